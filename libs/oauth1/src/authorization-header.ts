import { OAuth1FormatError } from './oauth1.errors';
import { percentDecode } from './percent-encoding';

// RFC 9110 tchar, for ASCII code points.
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TCHAR[c.charCodeAt(0)] = 1;
}
const isTchar = (c: number) => c < 128 && TCHAR[c] === 1;
// Whitespace includes line breaks: obs-fold continuation lines (RFC 9110 §5.5) and the RFC 5849
// examples, which are written across lines.
const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10;
const COMMA = 44;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

/** True when the header uses the OAuth scheme (case-insensitive, RFC 7235 §2.1). */
export function isOAuthAuthorization(header: string): boolean {
  return /^\s*oauth(?:\s|$)/i.test(header);
}

/**
 * Parses `Authorization: OAuth name="value", …` (RFC 5849 §3.5.1).
 *
 * - The scheme is case-insensitive; names and values are percent-decoded (§3.6).
 * - Only `oauth_*` names are kept, as Magento does (`FW/Oauth/Helper/Request.php`): `realm` and any
 *   other extension parameter are dropped. (The RFC would sign non-realm extension parameters too;
 *   Magento clients never send any.)
 * - Values may be quoted-strings (the RFC form) or bare, as Magento's parser also accepts.
 * - A protocol parameter given twice is an error (RFC 5849 §3.1: MUST NOT appear more than once).
 *
 * Throws `OAuth1FormatError`; the message never repeats a value (values can be credentials).
 * A hand-written scanner: this runs on every signed call.
 */
export function parseAuthorizationHeader(header: string): Array<[string, string]> {
  const length = header.length;
  let pos = 0;
  while (pos < length && isSpace(header.charCodeAt(pos))) pos++;
  const schemeStart = pos;
  while (pos < length && isTchar(header.charCodeAt(pos))) pos++;
  if (pos === schemeStart || (pos < length && !isSpace(header.charCodeAt(pos)))) {
    throw new OAuth1FormatError('OAUTH.MALFORMED_AUTHORIZATION_HEADER', 'The Authorization header is malformed');
  }
  if (header.slice(schemeStart, pos).toLowerCase() !== 'oauth') {
    throw new OAuth1FormatError('OAUTH.NOT_OAUTH_SCHEME', 'The Authorization header does not use the OAuth scheme');
  }

  const params: Array<[string, string]> = [];
  let backslashAt = header.indexOf('\\', pos);
  for (;;) {
    // Empty list elements are allowed by the #rule (RFC 9110 §5.6.1).
    let c = header.charCodeAt(pos);
    while (pos < length && (isSpace(c) || c === COMMA)) c = header.charCodeAt(++pos);
    if (pos >= length) break;

    const nameStart = pos;
    while (pos < length && isTchar(header.charCodeAt(pos))) pos++;
    if (pos === nameStart) throw malformed(`unexpected character at position ${pos}`);
    const rawName = header.slice(nameStart, pos);
    while (pos < length && isSpace(header.charCodeAt(pos))) pos++;
    if (header.charCodeAt(pos) !== EQUALS) throw malformed(`parameter ${quoteName(rawName)} has no value`);
    pos++;
    while (pos < length && isSpace(header.charCodeAt(pos))) pos++;

    let rawValue: string;
    if (header.charCodeAt(pos) === QUOTE) {
      const valueStart = ++pos;
      let escaped = false;
      // Protocol values hold no backslash: find the closing quote natively, and walk the value
      // character by character only when an escape comes before it. The next backslash is looked
      // up again only once passed, so the header is searched once overall.
      if (backslashAt !== -1 && backslashAt < pos) backslashAt = header.indexOf('\\', pos);
      const close = header.indexOf('"', pos);
      if (close !== -1 && (backslashAt === -1 || backslashAt > close)) {
        pos = close;
      } else {
        while (pos < length) {
          c = header.charCodeAt(pos);
          if (c === QUOTE) break;
          if (c === BACKSLASH) {
            escaped = true;
            pos++;
          }
          pos++;
        }
      }
      if (pos >= length) throw malformed(`parameter ${quoteName(rawName)} has an unterminated quoted value`);
      rawValue = header.slice(valueStart, pos);
      if (escaped) rawValue = rawValue.replace(/\\([\s\S])/g, '$1');
      pos++;
    } else {
      const valueStart = pos;
      while (pos < length) {
        c = header.charCodeAt(pos);
        if (c === COMMA || c === QUOTE || isSpace(c)) break;
        pos++;
      }
      rawValue = header.slice(valueStart, pos);
    }
    while (pos < length && isSpace(header.charCodeAt(pos))) pos++;
    if (pos < length && header.charCodeAt(pos) !== COMMA) {
      throw malformed(`expected "," after parameter ${quoteName(rawName)}`);
    }

    const name = percentDecode(rawName, 'An Authorization header parameter name');
    if (!name.startsWith('oauth_')) continue;
    if (isKept(params, name)) {
      throw new OAuth1FormatError(
        'OAUTH.DUPLICATE_PROTOCOL_PARAMETER',
        `The ${quoteName(name)} parameter is sent more than once`,
      );
    }
    params.push([
      name,
      rawValue.includes('%') ? percentDecode(rawValue, () => `The ${quoteName(name)} parameter`) : rawValue,
    ]);
  }
  return params;
}

/**
 * Whether `name` is already among the kept parameters. Only oauth_* names are kept and each at most
 * once, so the list stays short (the header is bounded by the server's header size limit): a scan
 * costs less than building a Set on every call.
 */
function isKept(params: ReadonlyArray<readonly [string, string]>, name: string): boolean {
  for (let i = 0; i < params.length; i++) if (params[i][0] === name) return true;
  return false;
}

function malformed(why: string): OAuth1FormatError {
  return new OAuth1FormatError('OAUTH.MALFORMED_AUTHORIZATION_HEADER', `The Authorization header is malformed: ${why}`);
}

function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}
