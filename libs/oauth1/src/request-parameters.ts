import { isOAuthAuthorization, parseAuthorizationHeader } from './authorization-header';
import { splitRequestTarget } from './base-string-uri';
import { OAuth1FormatError } from './oauth1.errors';
import { parseFormUrlencoded } from './percent-encoding';

/** An HTTP request as the server received it, before any framework decoding. */
export interface OAuthHttpRequest {
  method: string;
  /** The raw request target as received: path + query, NOT decoded (Node's `req.url`). */
  url: string;
  /** `http` or `https`, as seen by the client (behind a proxy: the forwarded protocol). */
  protocol: string;
  headers: { authorization?: string; contentType?: string; host?: string };
  /** The raw body; only read when the content type is application/x-www-form-urlencoded. */
  formBody?: string;
}

export function isFormUrlencoded(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/x-www-form-urlencoded';
}

/**
 * Every parameter that takes part in the signature, from all three RFC 5849 §3.4.1.3.1 sources:
 * the query, the OAuth Authorization header (oauth_* only, see parseAuthorizationHeader) and a
 * form-urlencoded body. Order and duplicates are kept; `+` means space in query and body.
 * `oauth_signature` is included here (the verifier needs it); normalizeParameters drops it.
 *
 * Deliberately NOT Magento: Magento ignores oauth_* query parameters whenever the header or body
 * carried any, and then leaves them out of its base string too. Clients sign what the RFC says, so
 * every source is signed here; a protocol parameter sent in two places is rejected instead
 * (see protocolParameters).
 *
 * An Authorization header with another scheme (Bearer, Basic) contributes nothing.
 */
export function collectRequestParameters(request: OAuthHttpRequest): Array<[string, string]> {
  const { rawQuery } = splitRequestTarget(request.url);
  const pairs = parseFormUrlencoded(rawQuery, 'query');
  const authorization = request.headers.authorization;
  if (authorization !== undefined && isOAuthAuthorization(authorization)) {
    pairs.push(...parseAuthorizationHeader(authorization));
  }
  if (request.formBody !== undefined && isFormUrlencoded(request.headers.contentType)) {
    pairs.push(...parseFormUrlencoded(request.formBody, 'form body'));
  }
  return pairs;
}

export type ProtocolParameters = Readonly<Record<string, string>>;

/**
 * The oauth_* parameters as a map. RFC 5849 §3.1: each MUST NOT appear more than once per
 * request, whatever mix of header, query and body carries them.
 */
export function protocolParameters(pairs: ReadonlyArray<readonly [string, string]>): ProtocolParameters {
  // A plain object is safe here: only names starting with "oauth_" are stored or looked up, and
  // no Object.prototype member has such a name.
  const params: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i++) {
    const name = pairs[i][0];
    if (!name.startsWith('oauth_')) continue;
    if (params[name] !== undefined) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      throw new OAuth1FormatError(
        'OAUTH.DUPLICATE_PROTOCOL_PARAMETER',
        `The "${shown}" parameter is sent more than once`,
      );
    }
    params[name] = pairs[i][1];
  }
  return params;
}
