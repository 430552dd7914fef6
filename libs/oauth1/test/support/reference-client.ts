import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { OAuthHttpRequest } from '../../src';

/**
 * Signs with the `oauth-1.0a` npm package, an implementation independent of ours, and turns the
 * call into what our server receives. Differences between that package and RFC 5849 that matter
 * when choosing test inputs (the RFC wins; see oauth-1.0a-cross-check.spec.ts):
 *  - it signs the URL exactly as given: no lower-casing of scheme/host, default ports kept;
 *  - it does not decode "+" in the query and does not decode parameter names;
 *  - a query name that also appears in the body overwrites it; an empty first value of a
 *    duplicated name is overwritten.
 */
export type Method = 'HMAC-SHA256' | 'HMAC-SHA1';

export interface ClientCall {
  method: string;
  /** Absolute URL exactly as the client is given it (and sends it). */
  url: string;
  /** Form fields for an application/x-www-form-urlencoded body. */
  form?: Record<string, string | string[]>;
}

export function referenceClient(method: Method, consumer: { key: string; secret: string }): OAuth {
  const hash = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return new OAuth({
    consumer,
    signature_method: method,
    hash_function: (base, key) => createHmac(hash, key).update(base).digest('base64'),
  });
}

/**
 * The package's signature for `call` with exactly these protocol parameters (no defaults added).
 * `method` picks the HMAC; `oauth.oauth_signature_method` may say anything (tests of refusals).
 */
export function referenceSignature(
  method: Method,
  consumerSecret: string,
  call: ClientCall,
  oauth: Record<string, string>,
  tokenSecret?: string,
): string {
  const client = referenceClient(method, { key: oauth.oauth_consumer_key ?? '', secret: consumerSecret });
  // getSignature merges the request data into the objects it is given: hand it copies.
  return client.getSignature(
    { url: call.url, method: call.method, data: call.form ? { ...call.form } : {} },
    tokenSecret,
    { ...oauth } as unknown as OAuth.Authorization,
  );
}

/** `OAuth k="v", …` as the package writes it (names sorted, values percent-encoded). */
export function referenceHeader(params: Record<string, string>): string {
  const client = referenceClient('HMAC-SHA256', { key: '', secret: '' });
  return client.toHeader(params as unknown as OAuth.Authorization).Authorization;
}

/** Signs `call` the way a partner app using the package does. */
export function signWithReference(
  method: Method,
  consumer: { key: string; secret: string },
  call: ClientCall,
  options: { token?: { key: string; secret: string } } = {},
): string {
  const client = referenceClient(method, consumer);
  const authorization = client.authorize(
    { url: call.url, method: call.method, data: call.form ? { ...call.form } : {} },
    options.token,
  );
  return client.toHeader(authorization).Authorization;
}

/**
 * What the server sees: the Host header and request target copied verbatim from the URL the
 * client used (no WHATWG normalisation), the form body encoded as browsers and fetch do.
 */
export function received(call: ClientCall, authorization: string): OAuthHttpRequest {
  const match = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(call.url);
  if (!match) throw new Error(`not an absolute http(s) URL: ${call.url}`);
  const [, protocol, host, target] = match;
  const request: OAuthHttpRequest = {
    method: call.method,
    url: target === '' ? '/' : target,
    protocol,
    headers: { authorization, host },
  };
  if (call.form) {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(call.form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    request.formBody = body.toString();
    request.headers.contentType = 'application/x-www-form-urlencoded; charset=UTF-8';
  }
  return request;
}
