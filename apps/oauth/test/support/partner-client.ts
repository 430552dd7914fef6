import { type OAuthKeyPair, oauthSign, parseTokenReply } from '@integrations/testing';

/**
 * A partner app's side of OAuth 1.0a, signed by the tests' one signer (`oauthSign` of
 * @integrations/testing: the `oauth-1.0a` npm package, independent of libs/oauth1). `signed()`
 * returns what the gateway forwards to the oauth service for the request the partner sends. The
 * package signs the URL as given: test URLs use `https://shop.example.com`, raw brackets and %20 for
 * spaces, as partner apps using it do.
 */
export const STORE_URL = 'https://shop.example.com';

export type Credentials = OAuthKeyPair;

export interface SignOptions {
  method?: string;
  /** Path + query, appended to STORE_URL. */
  path: string;
  consumer: Credentials;
  token?: Credentials;
  /** Form fields, sent as an application/x-www-form-urlencoded body and signed. */
  form?: Record<string, string>;
  /** Extra or replaced protocol parameters (oauth_verifier, a bad oauth_version, …). */
  oauth?: Record<string, string>;
  /** Protocol parameters to leave out of the request (missing-parameter tests). */
  omit?: string[];
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
  /** Sign with this secret instead of the consumer's (bad-signature tests). */
  signWithConsumerSecret?: string;
}

export interface ForwardedRequest {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body?: string;
}

export function signed(options: SignOptions): ForwardedRequest {
  const method = options.method ?? 'POST';
  const url = `${STORE_URL}${options.path}`;
  const { path: _path, ...signOptions } = options;
  const { authorization, contentType, body } = oauthSign({ ...signOptions, method, url });
  return { method, url, authorization, ...(contentType ? { contentType, body } : {}) };
}

export { parseTokenReply };
