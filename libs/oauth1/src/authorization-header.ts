import { OAuth1FormatError } from './oauth1.errors';
import { percentDecode } from './percent-encoding';

// Whitespace includes line breaks: obs-fold continuation lines (RFC 9110 §5.5) and the RFC 5849
// examples, which are written across lines. Sticky regexes: one pass over the header, no copies.
const SEPARATORS = /[\s,]*/y;
// name = token; value = quoted-string (with quoted-pairs) or a bare run, as Magento also accepts.
const AUTH_PARAM = /([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"([^"\\]*(?:\\[\s\S][^"\\]*)*)"|([^\s,"]*))\s*(?=,|$)/y;

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

  while (pos < input.length) {
    // Empty list elements are allowed by the #rule (RFC 9110 §5.6.1).
    SEPARATORS.lastIndex = pos;
    SEPARATORS.exec(input);
    pos = SEPARATORS.lastIndex;
    if (pos >= input.length) break;

    AUTH_PARAM.lastIndex = pos;
    const param = AUTH_PARAM.exec(input);
    if (!param) throw malformed(input, pos);
    pos = AUTH_PARAM.lastIndex;
    const [, rawName, quoted, bare] = param;

    const name = percentDecode(rawName, 'An Authorization header parameter name');
    if (!name.startsWith('oauth_')) continue;
    if (seen.has(name)) {
      throw new OAuth1FormatError('OAUTH.DUPLICATE_PROTOCOL_PARAMETER', `The ${quoteName(name)} parameter is sent more than once`);
    }
    seen.add(name);
    const rawValue = quoted === undefined ? bare : quoted.includes('\\') ? quoted.replace(/\\([\s\S])/g, '$1') : quoted;
    params.push([name, percentDecode(rawValue, () => `The ${quoteName(name)} parameter`)]);
  }
  return params;
}

/** Says what is wrong at `pos` without repeating any value. */
function malformed(input: string, pos: number): OAuth1FormatError {
  const name = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(input.slice(pos))?.[0];
  let why: string;
  if (!name) why = `unexpected character at position ${pos}`;
  else {
    const rest = input.slice(pos + name.length).trimStart();
    if (!rest.startsWith('=')) why = `parameter ${quoteName(name)} has no value`;
    else if (rest.slice(1).trimStart().startsWith('"')) {
      why = `parameter ${quoteName(name)} has an unterminated quoted value or no "," after it`;
    } else why = `expected "," after parameter ${quoteName(name)}`;
  }
  return new OAuth1FormatError('OAUTH.MALFORMED_AUTHORIZATION_HEADER', `The Authorization header is malformed: ${why}`);
}

function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
}
