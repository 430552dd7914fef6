import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface Credentials {
  key: string;
  secret: string;
}

export interface SignRequest {
  method: string;
  /** The absolute URL exactly as it is sent (the server signs `scheme://Host` + raw target). */
  url: string;
  consumer: Credentials;
  token?: Credentials;
  /** Extra protocol parameters sent in the header and signed (oauth_verifier). */
  oauth?: Record<string, string>;
}

const clients = new Map<string, OAuth>();

/** One `oauth-1.0a` client per consumer (the package's object holds the consumer). */
function clientFor(consumer: Credentials): OAuth {
  let client = clients.get(consumer.key);
  if (!client) {
    client = new OAuth({
      consumer,
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    clients.set(consumer.key, client);
  }
  return client;
}

/**
 * A partner's `Authorization: OAuth …` header, signed by the `oauth-1.0a` npm package (independent
 * of libs/oauth1) with a fresh nonce and timestamp on every call, HMAC-SHA256.
 */
export function authorizationHeader(request: SignRequest): string {
  const client = clientFor(request.consumer);
  const oauth: Record<string, string> = {
    oauth_consumer_key: request.consumer.key,
    oauth_nonce: client.getNonce(),
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(client.getTimeStamp()),
    oauth_version: '1.0',
    ...(request.token ? { oauth_token: request.token.key } : {}),
    ...request.oauth,
  };
  // getSignature merges the request data into the object it is given: hand it a copy.
  oauth.oauth_signature = client.getSignature(
    { url: request.url, method: request.method, data: {} },
    request.token?.secret,
    { ...oauth } as unknown as OAuth.Data,
  );
  return client.toHeader(oauth as unknown as OAuth.Authorization).Authorization;
}
