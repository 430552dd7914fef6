import { createHmac, timingSafeEqual } from 'node:crypto';
import { baseStringUri, splitRequestTarget } from './base-string-uri';
import { OAuth1FormatError } from './oauth1.errors';
import { isUnreserved, percentEncode, percentEncodeSlow } from './percent-encoding';
import { collectRequestParameters, type OAuthHttpRequest } from './request-parameters';

export type SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

const HASH: Record<SignatureMethod, string> = { 'HMAC-SHA256': 'sha256', 'HMAC-SHA1': 'sha1' };

export function isSignatureMethod(value: string): value is SignatureMethod {
  return value === 'HMAC-SHA256' || value === 'HMAC-SHA1';
}

/**
 * RFC 5849 §3.4.1.3.2: encode every name and value, sort by encoded name then encoded value, join
 * as `name=value` with `&`. `oauth_signature` is dropped here (§3.4.1.3.1) so no caller can forget.
 *
 * The order is plain byte order, as the RFC and every client library use. Magento sorts with
 * PHP's strnatcmp, which differs for names like `a10`/`a9`: following it would reject correctly
 * signed requests.
 */
export function normalizeParameters(pairs: ReadonlyArray<readonly [string, string]>): string {
  const sorted = sortedEncodedPairs(pairs);
  const parts: string[] = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) parts[i] = `${sorted[i][0]}=${sorted[i][1]}`;
  return parts.join('&');
}

/**
 * percentEncode(normalizeParameters(pairs)), built for speed (it runs on every signed call):
 *
 * - Encoded names and values only hold unreserved characters and "%", so encoding them a second
 *   time only turns "%" into "%25" (encodeURIComponent does exactly that, natively), and the
 *   separators "=" and "&" become "%3D" and "%26".
 * - The pairs are sorted on their twice-encoded forms: the second encoding keeps the order of the
 *   encoded forms (it only widens "%", the smallest character they hold, character by character).
 *
 * The unit tests hold it to percentEncode(normalizeParameters(pairs)) on random input.
 */
export function encodedNormalizedParameters(pairs: ReadonlyArray<readonly [string, string]>): string {
  const encoded: Array<[string, string]> = [];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair[0] === 'oauth_signature') continue;
    encoded.push([encodeNameTwice(pair[0]), encodeTwice(pair[1])]);
  }
  sortPairs(encoded);
  let out = '';
  for (let i = 0; i < encoded.length; i++) {
    const pair = encoded[i];
    out += i === 0 ? `${pair[0]}%3D${pair[1]}` : `%26${pair[0]}%3D${pair[1]}`;
  }
  return out;
}

/** percentEncode(percentEncode(value)). */
function encodeTwice(value: string): string {
  if (isUnreserved(value)) return value;
  const once = percentEncodeSlow(value);
  return once.includes('%') ? encodeURIComponent(once) : once;
}

/**
 * encodeTwice for parameter names, remembered: a client sends the same few names on every call
 * (`searchCriteria[filter_groups][0][filters][0][field]`…), and their encoding is the costliest
 * part of the base string. Bounded, since names come from the request: emptied when full.
 */
const encodedNames = new Map<string, string>();
const MAX_ENCODED_NAMES = 512;

function encodeNameTwice(name: string): string {
  if (isUnreserved(name)) return name;
  let encoded = encodedNames.get(name);
  if (encoded === undefined) {
    encoded = encodeTwice(name);
    if (encodedNames.size >= MAX_ENCODED_NAMES) encodedNames.clear();
    encodedNames.set(name, encoded);
  }
  return encoded;
}

/**
 * By name, then value, in place. A request carries a handful of parameters, where an insertion
 * sort beats the general sort's comparator calls; long lists go to Array.prototype.sort.
 */
function sortPairs(pairs: Array<[string, string]>): void {
  if (pairs.length > 24) {
    pairs.sort(byEncodedNameThenValue);
    return;
  }
  for (let i = 1; i < pairs.length; i++) {
    const pair = pairs[i];
    let j = i - 1;
    while (j >= 0 && byEncodedNameThenValue(pairs[j], pair) > 0) {
      pairs[j + 1] = pairs[j];
      j--;
    }
    pairs[j + 1] = pair;
  }
}

function sortedEncodedPairs(pairs: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const encoded: Array<[string, string]> = [];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair[0] === 'oauth_signature') continue;
    encoded.push([percentEncode(pair[0]), percentEncode(pair[1])]);
  }
  // Encoded text is ASCII, so comparing UTF-16 code units is comparing bytes.
  return encoded.sort(byEncodedNameThenValue);
}

function byEncodedNameThenValue(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** RFC 5849 §3.4.1.1: `METHOD&enc(base string URI)&enc(normalized parameters)`. */
export function signatureBaseString(method: string, baseUri: string, normalizedParams: string): string {
  return `${percentEncode(method.toUpperCase())}&${percentEncode(baseUri)}&${percentEncode(normalizedParams)}`;
}

/**
 * The base string of a received request. `pairs` defaults to collectRequestParameters(request);
 * pass them when already collected.
 */
export function requestSignatureBaseString(
  request: OAuthHttpRequest,
  pairs: ReadonlyArray<readonly [string, string]> = collectRequestParameters(request),
): string {
  const host = request.headers.host;
  if (host === undefined || host.trim() === '') {
    throw new OAuth1FormatError('OAUTH.MALFORMED_HOST', 'The Host header is required');
  }
  const { rawPath } = splitRequestTarget(request.url);
  const uri = baseStringUri({ protocol: request.protocol, host, rawPath });
  return `${percentEncode(request.method.toUpperCase())}&${percentEncode(uri)}&${encodedNormalizedParameters(pairs)}`;
}

export interface SignInput {
  method: SignatureMethod;
  baseString: string;
  consumerSecret: string;
  /** Empty or absent for the temporary-credentials (request token) call. */
  tokenSecret?: string;
}

/** RFC 5849 §3.4.2: key `enc(consumer secret)&enc(token secret)`, base64 of the raw HMAC. */
export function sign(input: SignInput): string {
  return hmac(input).toString('base64');
}

export interface VerifySignatureInput extends SignInput {
  /** The `oauth_signature` value as received (already percent-decoded). */
  signature: string;
}

/**
 * Compares in constant time. The received signature is base64-decoded and compared with the raw
 * HMAC on equal-length buffers; a wrong length is compared against the expected digest itself so
 * the timing does not depend on it, and only canonical base64 is accepted (no second spelling of
 * the same bytes).
 */
export function verifySignature(input: VerifySignatureInput): boolean {
  const expected = hmac(input);
  const received = Buffer.from(input.signature, 'base64');
  const sameLength = received.length === expected.length;
  const equal = timingSafeEqual(sameLength ? received : expected, expected);
  // The canonical-form check looks only at what the client sent, so it leaks nothing secret.
  return sameLength && equal && received.toString('base64') === input.signature;
}

function hmac({ method, baseString, consumerSecret, tokenSecret }: SignInput): Buffer {
  const hash = HASH[method];
  if (!hash) throw new Error('Unsupported signature method');
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret ?? '')}`;
  return createHmac(hash, key).update(baseString, 'utf8').digest();
}
