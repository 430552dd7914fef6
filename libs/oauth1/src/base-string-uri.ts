import { OAuth1FormatError } from './oauth1.errors';

export type HttpProtocol = 'http' | 'https';

const DEFAULT_PORT: Record<HttpProtocol, number> = { http: 80, https: 443 };
// RFC 3986 reg-name / IPv4address characters (unreserved, pct-encoded, sub-delims).
const REG_NAME = /^[A-Za-z0-9._~!$&'()*+,;=%-]+$/;
const IPV6_LITERAL = /^\[[0-9A-Za-z:.%_~-]+\]$/;

export interface BaseStringUriInput {
  /** `http` or `https` (a trailing ":" and any case are accepted). */
  protocol: string;
  /** The Host header as received: `name`, `name:port`, `[v6]` or `[v6]:port`. */
  host: string;
  /** The request path exactly as received on the wire; a query or fragment, if present, is dropped. */
  rawPath: string;
}

export function normalizeProtocol(protocol: string): HttpProtocol {
  // The form every caller passes (Express's req.protocol), without the lower-casing below.
  if (protocol === 'https' || protocol === 'http') return protocol;
  const p = protocol.toLowerCase().replace(/:$/, '');
  if (p !== 'http' && p !== 'https') {
    throw new OAuth1FormatError('OAUTH.UNSUPPORTED_PROTOCOL', 'Only http and https requests can be signed');
  }
  return p;
}

/**
 * RFC 5849 §3.4.1.2 base string URI: scheme and host lower-cased, the port kept only when it is
 * not the scheme's default, the path exactly as received, no query, no fragment.
 *
 * The path is never decoded nor re-encoded: `/rest/V1/products/ABC%2F10` stays `…ABC%2F10` here
 * and becomes `…ABC%252F10` in the base string, which is what clients sign. Magento 2.4.6+ (Laminas)
 * decodes and re-encodes the path and so rejects such calls (magento/magento2#37913).
 */
export function baseStringUri({ protocol, host, rawPath }: BaseStringUriInput): string {
  const scheme = normalizeProtocol(protocol);
  const authority = normalizeAuthority(scheme, host);
  return `${scheme}://${authority}${pathOnly(rawPath)}`;
}

function normalizeAuthority(scheme: HttpProtocol, rawHost: string): string {
  const host = rawHost.trim();
  let name: string;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    name = host.slice(0, end + 1);
    const rest = host.slice(end + 1);
    if (end === -1 || !IPV6_LITERAL.test(name) || (rest !== '' && !rest.startsWith(':'))) throw badHost();
    port = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = host.indexOf(':');
    name = colon === -1 ? host : host.slice(0, colon);
    port = colon === -1 ? undefined : host.slice(colon + 1);
    if (!REG_NAME.test(name)) throw badHost();
  }
  name = name.toLowerCase();
  // An empty port means the default one (RFC 3986 §6.2.3).
  if (port === undefined || port === '') return name;
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) throw badHost();
  const portNumber = Number(port);
  return portNumber === DEFAULT_PORT[scheme] ? name : `${name}:${portNumber}`;
}

function pathOnly(rawPath: string): string {
  let end = rawPath.length;
  const q = rawPath.indexOf('?');
  if (q !== -1) end = q;
  const hash = rawPath.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  const path = rawPath.slice(0, end);
  if (path === '') return '/';
  if (!path.startsWith('/')) {
    throw new OAuth1FormatError('OAUTH.MALFORMED_REQUEST_TARGET', 'The request path must start with "/"');
  }
  return path;
}

function badHost(): OAuth1FormatError {
  return new OAuth1FormatError('OAUTH.MALFORMED_HOST', 'The Host header is not a valid host[:port]');
}

/**
 * Splits a raw request target into its raw path and raw query. Accepts origin-form (`/p?q`) and
 * absolute-form (`http://h/p?q`, sent to proxies); in the latter only the path and query are used,
 * the Host header still names the authority.
 */
export function splitRequestTarget(url: string): { rawPath: string; rawQuery: string } {
  let target = url;
  // Origin-form ("/…", what servers receive) cannot carry a scheme: no need for the expression.
  const absolute = url.charCodeAt(0) === 47 ? null : /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  if (absolute) target = target.slice(absolute[0].length);
  const hash = target.indexOf('#');
  if (hash !== -1) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q === -1 ? { rawPath: target, rawQuery: '' } : { rawPath: target.slice(0, q), rawQuery: target.slice(q + 1) };
}
