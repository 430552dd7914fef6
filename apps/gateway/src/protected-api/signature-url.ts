/**
 * The URL a client signed (RFC 5849 §3.4.1.2: scheme, host and port as the client called them, then
 * the raw path and query), rebuilt from what reached the gateway. Header values are checked before
 * use: a Host that could change how the oauth service splits the URL is replaced by the public host.
 */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const PORT = /^\d{1,5}$/;

export function safeHost(value: string | undefined, fallback: string): string {
  return value && HOST.test(value) ? value : fallback;
}

/**
 * A direct call to the gateway: Magento's `scheme://HttpHost + RequestUri`. The host is the request's
 * Host header (what the client called); the scheme is the public base URL's, because TLS, when
 * there is some, ends in front of the gateway.
 */
export function directCallUrl(
  scheme: 'http' | 'https',
  hostHeader: string | undefined,
  publicHost: string,
  rawTarget: string,
): string {
  return `${scheme}://${safeHost(hostHeader, publicHost)}${rawTarget}`;
}

/**
 * A call NGINX asks about (`GET /auth/decision`): the client's URL comes in X-Forwarded-Proto,
 * X-Forwarded-Host (NGINX's `$http_host`: the client's Host header, with its port when not the
 * default) and X-Original-URI (`$request_uri`, raw). The subrequest's own Host names the gateway
 * upstream, never what the client signed, so it is not used. X-Forwarded-Port only fills in a port
 * the host lacks (a client that left a non-default port out of Host).
 */
export function forwardedCallUrl(
  forwarded: { proto?: string; host?: string; port?: string },
  fallback: { scheme: 'http' | 'https'; host: string },
  originalUri: string,
): string {
  const scheme = forwarded.proto === 'https' || forwarded.proto === 'http' ? forwarded.proto : fallback.scheme;
  let host = safeHost(forwarded.host, fallback.host);
  const port = forwarded.port && PORT.test(forwarded.port) ? forwarded.port : undefined;
  const hasPort = /:\d+$/.test(host);
  if (!hasPort && port && port !== (scheme === 'https' ? '443' : '80')) host = `${host}:${port}`;
  return `${scheme}://${host}${originalUri}`;
}
