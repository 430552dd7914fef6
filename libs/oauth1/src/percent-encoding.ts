import { OAuth1FormatError } from './oauth1.errors';

const SUB_DELIMS_KEPT = /[!'()*]/;
const SUB_DELIMS_KEPT_ALL = /[!'()*]/g;

// RFC 5849 §3.6 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~" (a compiled expression scans
// faster than a loop over char codes).
const ALL_UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/** True when every character is ASCII unreserved: percent-encoding leaves such a string unchanged. */
export function isUnreserved(value: string): boolean {
  return ALL_UNRESERVED.test(value);
}

/**
 * RFC 5849 §3.6: UTF-8, then every octet outside ALPHA / DIGIT / "-" / "." / "_" / "~" as %XX with
 * upper-case hex. Most protocol values (keys, tokens, nonces, timestamps) are already unreserved
 * ASCII and come back as they are, without a call into the slow path; it runs on every parameter
 * of every signed call.
 */
export function percentEncode(value: string): string {
  return isUnreserved(value) ? value : percentEncodeSlow(value);
}

/**
 * percentEncode without the fast path (exported for the test that holds both to the same result).
 * encodeURIComponent leaves exactly the unreserved set plus ! ' ( ) * untouched, so only those five
 * need a second pass.
 */
export function percentEncodeSlow(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form, so it cannot be signed at all.
    throw new OAuth1FormatError('OAUTH.MALFORMED_ENCODING', 'A parameter is not valid Unicode text');
  }
  return SUB_DELIMS_KEPT.test(encoded)
    ? encoded.replace(SUB_DELIMS_KEPT_ALL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    : encoded;
}

/**
 * Strict percent-decoding: a "%" must start a two-digit hex escape and the octets must be UTF-8
 * (RFC 5849 §3.6 signs UTF-8 text). decodeURIComponent enforces both, including overlong forms.
 * Being strict matters: a lenient decoder (WHATWG keeps "%zz" literally, swaps bad UTF-8 for
 * U+FFFD) would let two different wire strings normalise to the same signed text.
 */
export function percentDecode(value: string, what: string | (() => string) = 'A parameter'): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    const label = typeof what === 'string' ? what : what();
    throw new OAuth1FormatError('OAUTH.MALFORMED_ENCODING', `${label} is not correctly percent-encoded UTF-8`);
  }
}

/** application/x-www-form-urlencoded value decoding: "+" is a space, then percent-decoding. */
export function formDecode(value: string, what?: string | (() => string)): string {
  return percentDecode(value.includes('+') ? value.replace(/\+/g, ' ') : value, what);
}

/**
 * Parses a query string or form body into name/value pairs, keeping order and duplicates
 * (RFC 5849 §3.4.1.3.1). Empty segments ("a=1&&b=2", a trailing "&") carry no parameter, as in
 * the WHATWG form-urlencoded parser; a segment without "=" is a name with an empty value
 * (the RFC example's "c2").
 */
export function parseFormUrlencoded(input: string, source: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (input === '') return pairs;
  const nameLabel = `A ${source} parameter name`;
  const valueLabel = `A ${source} parameter value`;
  for (const segment of input.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    pairs.push([formDecode(rawName, nameLabel), formDecode(rawValue, valueLabel)]);
  }
  return pairs;
}

/**
 * PHP's urlencode (what Magento's http_build_query writes in `oauth_problem=` bodies):
 * keeps A-Z a-z 0-9 - _ . , writes a space as "+", everything else (including "~") as %XX.
 */
export function phpUrlencode(value: string): string {
  return percentEncode(value).replace(/~/g, '%7E').replace(/%20/g, '+');
}
