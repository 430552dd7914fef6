import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

/** What activation hands an integration (tokens mode, or the end of the exchange). */
export interface IntegrationCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/**
 * The `Authorization` header of a request signed with an integration's tokens, the way a partner app
 * written for Magento signs it (`oauth-1.0a`, HMAC-SHA256 as Magento 2.4.4+, OAuth parameters in the header).
 */
export function oauthAuthorization(method: string, url: string, credentials: IntegrationCredentials): string {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  return oauth.toHeader(
    oauth.authorize({ url, method }, { key: credentials.accessToken, secret: credentials.accessTokenSecret }),
  ).Authorization;
}
