import { OAuth1FormatError } from './oauth1.errors';
import { percentDecode } from './percent-encoding';

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
// Line breaks count as whitespace too: obs-fold continuation lines (RFC 9110 §5.5) and the
// RFC 5849 examples, which are written across lines.
const isOws = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

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
 */
export function parseAuthorizationHeader(header: string): Array<[string, string]> {
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\s+([\s\S]*))?$/.exec(header);
  if (!match) {
    throw new OAuth1FormatError('OAUTH.MALFORMED_AUTHORIZATION_HEADER', 'The Authorization header is malformed');
  }
  if (match[1].toLowerCase() !== 'oauth') {
    throw new OAuth1FormatError('OAUTH.NOT_OAUTH_SCHEME', 'The Authorization header does not use the OAuth scheme');
  }
  const input = match[2] ?? '';
  const params: Array<[string, string]> = [];
  const seen = new Set<string>();
  let pos = 0;
  const malformed = (why: string) =>
    new OAuth1FormatError('OAUTH.MALFORMED_AUTHORIZATION_HEADER', `The Authorization header is malformed: ${why}`);

  while (pos < input.length) {
    // Empty list elements are allowed by the #rule (RFC 9110 §5.6.1).
    while (pos < input.length && (isOws(input[pos]) || input[pos] === ',')) pos++;
    if (pos >= input.length) break;

    const nameStart = pos;
    while (pos < input.length && TCHAR.test(input[pos])) pos++;
    if (pos === nameStart) throw malformed(`unexpected character at position ${pos}`);
    const rawName = input.slice(nameStart, pos);
    while (isOws(input[pos])) pos++;
    if (input[pos] !== '=') throw malformed(`parameter ${quoteName(rawName)} has no value`);
    pos++;
    while (isOws(input[pos])) pos++;

    let rawValue = '';
    if (input[pos] === '"') {
      pos++;
      let closed = false;
      while (pos < input.length) {
        const c = input[pos];
        if (c === '"') {
          closed = true;
          pos++;
          break;
        }
        if (c === '\\' && pos + 1 < input.length) {
          rawValue += input[pos + 1];
          pos += 2;
          continue;
        }
        rawValue += c;
        pos++;
      }
      if (!closed) throw malformed(`parameter ${quoteName(rawName)} has an unterminated quoted value`);
    } else {
      const valueStart = pos;
      while (pos < input.length && input[pos] !== ',' && !isOws(input[pos]) && input[pos] !== '"') pos++;
      rawValue = input.slice(valueStart, pos);
    }
    while (isOws(input[pos])) pos++;
    if (pos < input.length && input[pos] !== ',') {
      throw malformed(`expected "," after parameter ${quoteName(rawName)}`);
    }

    const name = percentDecode(rawName, 'An Authorization header parameter name');
    if (!name.startsWith('oauth_')) continue;
    if (seen.has(name)) {
      throw new OAuth1FormatError('OAUTH.DUPLICATE_PROTOCOL_PARAMETER', `The ${quoteName(name)} parameter is sent more than once`);
    }
    seen.add(name);
    params.push([name, percentDecode(rawValue, `The "${name}" parameter`)]);
  }
  return params;
}

function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}
