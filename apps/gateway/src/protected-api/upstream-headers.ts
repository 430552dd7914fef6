import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Request headers the upstream must not get from the client. */
const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'host', // the upstream's, set by the HTTP client
  'authorization', // the upstream trusts X-Integration-Id; the OAuth header is ours to check
  'x-integration-id', // only ever set from the verified caller
  'content-length', // recomputed from the body actually sent
  'expect',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-correlation-id',
]);

function connectionTokens(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Set<string> {
  const value = headers.connection;
  const list = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    list
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

export interface ForwardContext {
  integrationId: string | null;
  correlationId: string;
  clientAddress: string | undefined;
  /** What the client called, for X-Forwarded-Host / -Proto. */
  host: string | undefined;
  scheme: 'http' | 'https';
  /** Set when the body is sent from a buffer (its length); absent when the request streams through. */
  bodyLength?: number;
}

/** The request headers for the upstream: the client's, minus hop-by-hop and credentials, plus ours. */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  context: ForwardContext,
): Record<string, string | string[]> {
  const dropped = connectionTokens(incoming);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || NOT_FORWARDED.has(name) || dropped.has(name)) continue;
    headers[name] = value;
  }
  if (context.bodyLength !== undefined) {
    headers['content-length'] = String(context.bodyLength);
    // The body parser already decoded a compressed body: what we send is the plain bytes.
    delete headers['content-encoding'];
  } else if (incoming['content-length'] !== undefined) {
    headers['content-length'] = incoming['content-length'];
  }
  // A streamed body without a length goes chunked: the HTTP client frames it (and refuses a
  // transfer-encoding header of ours).
  if (context.integrationId) headers['x-integration-id'] = context.integrationId;
  const forwardedFor = incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = [forwardedFor, context.clientAddress].flat().filter(Boolean).join(', ');
  if (context.host) headers['x-forwarded-host'] = context.host;
  headers['x-forwarded-proto'] = context.scheme;
  headers['x-correlation-id'] = context.correlationId;
  return headers;
}

/** The upstream's response headers for the client, minus hop-by-hop ones. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const dropped = connectionTokens(upstream);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}
