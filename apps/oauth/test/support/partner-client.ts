import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/**
 * A partner app's side of OAuth 1.0a, signed by the `oauth-1.0a` npm package (independent of
 * libs/oauth1). `signed()` returns what the gateway forwards to the oauth service for the request the
 * partner sends. The package signs the URL as given (no host lower-casing, default ports kept) and
 * does not decode "+" or parameter names: test URLs use `https://shop.example.com`, raw brackets and
 * %20 for spaces, as partner apps using it do.
 */
export const STORE_URL = 'https://shop.example.com';

export interface Credentials {
  key: string;
  secret: string;
}

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
  const signatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  const hash = signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const client = new OAuth({
    consumer: { key: options.consumer.key, secret: options.signWithConsumerSecret ?? options.consumer.secret },
    signature_method: signatureMethod,
    hash_function: (base, key) => createHmac(hash, key).update(base).digest('base64'),
  });
  const oauth: Record<string, string> = {
    oauth_consumer_key: options.consumer.key,
    oauth_nonce: client.getNonce(),
    oauth_signature_method: signatureMethod,
    oauth_timestamp: String(client.getTimeStamp()),
    oauth_version: '1.0',
    ...(options.token ? { oauth_token: options.token.key } : {}),
    ...options.oauth,
  };
  for (const name of options.omit ?? []) delete oauth[name];
  // getSignature merges the request data into the object it is given: hand it a copy.
  oauth.oauth_signature = client.getSignature(
    { url, method, data: options.form ? { ...options.form } : {} },
    options.token?.secret,
    { ...oauth } as unknown as OAuth.Data,
  );
  for (const name of options.omit ?? []) delete oauth[name];
  const authorization = client.toHeader(oauth as unknown as OAuth.Authorization).Authorization;
  return {
    method,
    url,
    authorization,
    ...(options.form
      ? { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(options.form).toString() }
      : {}),
  };
}

/** `oauth_token=…&oauth_token_secret=…` -> credentials. */
export function parseTokenReply(body: string): Credentials {
  const params = new URLSearchParams(body);
  return { key: params.get('oauth_token') ?? '', secret: params.get('oauth_token_secret') ?? '' };
}
