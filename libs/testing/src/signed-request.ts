import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/** What activation hands an integration (tokens mode, or the end of the exchange). */
export interface IntegrationCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/** A key and its secret: a consumer, a request token or an access token. */
export interface OAuthKeyPair {
  key: string;
  secret: string;
}

export interface OAuthSignOptions {
  method: string;
  /** Exactly as it will be sent: the signature covers it (scheme, host, port, raw path and query). */
  url: string;
  consumer: OAuthKeyPair;
  token?: OAuthKeyPair;
  /** Form fields: signed, and sent as an application/x-www-form-urlencoded body. */
  form?: Record<string, string>;
  /** Extra or replaced protocol parameters, in the header and signed (`oauth_verifier`, a bad `oauth_version`, …). */
  oauth?: Record<string, string>;
  /** Protocol parameters left out of the header after signing (missing-parameter tests). */
  omit?: string[];
  /** Default HMAC-SHA256 (Magento 2.4.4+). */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
  /** Sign with this secret instead of the consumer's (bad-signature tests). */
  signWithConsumerSecret?: string;
}

export interface OAuthSigned {
  authorization: string;
  /** With `form`: the body to send and its content type. */
  contentType?: string;
  body?: string;
}

/**
 * The one OAuth 1.0a signer of the tests: a request signed the way a partner app written for
 * Magento signs it, with the `oauth-1.0a` npm package (independent of libs/oauth1, whose verifier
 * it checks), the protocol parameters in the `Authorization` header. The package signs the URL as
 * given (no host lower-casing, default ports kept) and does not decode "+" or parameter names.
 * Token-exchange steps pass `token` and `oauth: {oauth_verifier}` (or the verifier as a `form` field).
 */
export function oauthSign(options: OAuthSignOptions): OAuthSigned {
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
    { url: options.url, method: options.method, data: options.form ? { ...options.form } : {} },
    options.token?.secret,
    { ...oauth } as unknown as OAuth.Data,
  );
  // Again: `oauth_signature` itself may be the one to leave out.
  for (const name of options.omit ?? []) delete oauth[name];
  return {
    authorization: client.toHeader(oauth as unknown as OAuth.Authorization).Authorization,
    ...(options.form
      ? { contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(options.form).toString() }
      : {}),
  };
}

/**
 * The `Authorization` header of a call signed with an integration's tokens (`form`: signed form
 * fields the call sends as its body).
 */
export function oauthAuthorization(
  method: string,
  url: string,
  credentials: IntegrationCredentials,
  form?: Record<string, string>,
): string {
  return oauthSign({
    method,
    url,
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    token: { key: credentials.accessToken, secret: credentials.accessTokenSecret },
    ...(form ? { form } : {}),
  }).authorization;
}

/** `oauth_token=…&oauth_token_secret=…` (a token step's reply) -> the token. */
export function parseTokenReply(body: string): OAuthKeyPair {
  const params = new URLSearchParams(body);
  return { key: params.get('oauth_token') ?? '', secret: params.get('oauth_token_secret') ?? '' };
}
