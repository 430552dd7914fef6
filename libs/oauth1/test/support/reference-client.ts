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

/** Signs `call`, with `oauth` overriding/adding protocol parameters, and returns the header. */
export function signWithReference(
  method: Method,
  consumer: { key: string; secret: string },
  call: ClientCall,
  options: { tokenSecret?: string; oauth?: Record<string, string> } = {},
): string {
  const client = referenceClient(method, consumer);
  const oauthData: OAuth.Authorization = {
    oauth_consumer_key: consumer.key,
    oauth_nonce: client.getNonce(),
    oauth_signature_method: method,
    oauth_timestamp: client.getTimeStamp(),
    oauth_version: '1.0',
    ...options.oauth,
  } as OAuth.Authorization;
  // getSignature merges the request data into the object it is given: hand it a copy.
  const signature = client.getSignature(
    { url: call.url, method: call.method, data: call.form ? { ...call.form } : {} },
    options.tokenSecret,
    { ...oauthData },
  );
  return client.toHeader({ ...oauthData, oauth_signature: signature }).Authorization;
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
