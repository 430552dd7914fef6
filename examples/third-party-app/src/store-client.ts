import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface KeyPair {
  key: string;
  secret: string;
}

/** The store said no (or could not be reached): what it answered, without any secret. */
export class StoreRefusedError extends Error {
  override readonly name = 'StoreRefusedError';
  constructor(
    readonly step: string,
    /** The store's HTTP status; 0 when it could not be reached. */
    readonly status: number,
    /** Magento's `oauth_problem`, when the store sent one. */
    readonly problem: string | null,
  ) {
    super(`${step}: the store answered ${status || 'nothing'}${problem ? ` (${problem})` : ''}`);
  }
}

export interface StoreReply {
  status: number;
  contentType: string | null;
  body: string;
}

const TIMEOUT_MS = 10_000;

/**
 * A Magento partner's OAuth 1.0a client, as partner apps write it: the `oauth-1.0a` package,
 * HMAC-SHA256, the OAuth parameters in the Authorization header. Everything is relative to the
 * store's base URL (`store_base_url`, which ends in "/"; it may carry a path).
 */
export class StoreClient {
  private readonly oauth: OAuth;

  constructor(
    private readonly storeBaseUrl: string,
    consumer: KeyPair,
  ) {
    this.oauth = new OAuth({
      consumer,
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
  }

  /** `POST oauth/token/request`, signed with the consumer secret alone. */
  async requestToken(): Promise<KeyPair> {
    return this.tokenStep('request token', 'oauth/token/request', {});
  }

  /** `POST oauth/token/access` with the verifier the store POSTed to our callback. */
  async accessToken(requestToken: KeyPair, verifier: string): Promise<KeyPair> {
    return this.tokenStep('access token', 'oauth/token/access', { oauth_verifier: verifier }, requestToken);
  }

  /** A signed REST call (`path` like `/rest/V1/products?...`) with the access token. */
  async call(method: string, path: string, accessToken: KeyPair): Promise<StoreReply> {
    return this.send(method, this.urlOf(path), {}, accessToken);
  }

  private async tokenStep(
    step: string,
    path: string,
    extra: Record<string, string>,
    token?: KeyPair,
  ): Promise<KeyPair> {
    let reply: StoreReply;
    try {
      reply = await this.send('POST', this.urlOf(path), extra, token);
    } catch (error) {
      throw new StoreRefusedError(step, 0, (error as Error).message);
    }
    const form = new URLSearchParams(reply.body);
    const key = form.get('oauth_token');
    const secret = form.get('oauth_token_secret');
    if (reply.status !== 200 || !key || !secret)
      throw new StoreRefusedError(step, reply.status, form.get('oauth_problem'));
    return { key, secret };
  }

  private async send(
    method: string,
    url: string,
    extraOauth: Record<string, string>,
    token?: KeyPair,
  ): Promise<StoreReply> {
    // authorize() merges `data` into the OAuth parameters it returns, so oauth_verifier lands in the
    // header; it also signs the URL's query parameters, which stay in the URL.
    const signed = this.oauth.authorize({ url, method, data: { ...extraOauth } }, token);
    const response = await fetch(url, {
      method,
      headers: { authorization: this.oauth.toHeader(signed).Authorization, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  private urlOf(path: string): string {
    // Relative to the base, so a store under a path prefix keeps it.
    return new URL(path.replace(/^\/+/, ''), this.storeBaseUrl).href;
  }
}
