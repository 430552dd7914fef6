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

/**
 * Request headers the upstream must not get from the client, by normalised name (below). Either
 * ours to set (identity, forwarding, correlation), or able to change what an approved call does
 * once it is past the checks.
 */
const PROTECTED = new Set([
  ...HOP_BY_HOP,
  'host', // the upstream's, set by the HTTP client
  'authorization', // the upstream trusts X-Integration-Id; the OAuth header is ours to check
  'x-integration-id', // only ever set from the verified caller
  'content-length', // set from the body actually sent
  'expect',
  'x-correlation-id',
  // Who called, from where: only the gateway's own view (set below).
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'front-end-https',
  'x-url-scheme',
  // Method and URL overrides: an approved GET must not become a DELETE or another path upstream
  // (PHP frameworks and IIS honour X-Original-URL / X-Rewrite-URL).
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-rewrite-url',
  // CGI turns `Proxy:` into HTTP_PROXY, which many HTTP clients read as their proxy (httpoxy).
  'proxy',
]);
/** Whole families: X-Forwarded-For/-Host/-Proto/-Port/-Prefix…, X-Original-URL/-URI/-Method… */
const PROTECTED_PREFIXES = ['x-forwarded-', 'x-original-'];

/**
 * CGI, PHP, WSGI and Rack upstreams read header names case-insensitively and with `_` and `-` as
 * the same character (`X_Integration_Id` is HTTP_X_INTEGRATION_ID, as is `X-Integration-Id`), so a
 * name is compared in that form (issue 12 item 7).
 */
export function normalisedHeaderName(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

function isProtected(name: string): boolean {
  const normal = normalisedHeaderName(name);
  return PROTECTED.has(normal) || PROTECTED_PREFIXES.some((prefix) => normal.startsWith(prefix));
}

function connectionTokens(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Set<string> {
  const value = headers.connection;
  const list = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    list
      .split(',')
      .map((token) => normalisedHeaderName(token.trim()))
      .filter(Boolean),
  );
}

export interface ForwardContext {
  integrationId: string | null;
  correlationId: string;
  /** The peer address of the client's connection, as the gateway sees it. */
  clientAddress: string | undefined;
  /** The host the client called (a checked Host header, signature-url.ts `safeHost`). */
  host: string;
  scheme: 'http' | 'https';
  /** The length of the body sent (the gateway reads every body whole), or undefined for none. */
  bodyLength: number | undefined;
  /** The body is sent decompressed (a compressed JSON or form body): no Content-Encoding. */
  decoded: boolean;
}

/** The request headers for the upstream: the client's, minus protected ones, plus ours. */
export function upstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  context: ForwardContext,
): Record<string, string | string[]> {
  const dropped = incoming.connection === undefined ? undefined : connectionTokens(incoming);
  const headers: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || isProtected(name) || dropped?.has(normalisedHeaderName(name))) continue;
    headers[name] = value;
  }
  if (context.bodyLength !== undefined) headers['content-length'] = String(context.bodyLength);
  if (context.decoded) delete headers['content-encoding'];
  if (context.integrationId) headers['x-integration-id'] = context.integrationId;
  // The gateway's own view only: a client's X-Forwarded-For is not extended, it is replaced.
  const forwardedFor = context.clientAddress ?? 'unknown';
  headers['x-forwarded-for'] = forwardedFor;
  headers['x-forwarded-host'] = context.host;
  headers['x-forwarded-proto'] = context.scheme;
  headers.forwarded = `for=${forwardedNode(forwardedFor)};host="${context.host}";proto=${context.scheme}`;
  headers['x-correlation-id'] = context.correlationId;
  return headers;
}

/** RFC 7239 §6: an IPv6 address is bracketed and quoted; `unknown` and IPv4 go as they are. */
function forwardedNode(address: string): string {
  return address.includes(':') ? `"[${address}]"` : address;
}

/** The upstream's response headers for the client, minus hop-by-hop ones. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const dropped = upstream.connection === undefined ? undefined : connectionTokens(upstream);
  const headers: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || HOP_BY_HOP.has(name) || dropped?.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}
