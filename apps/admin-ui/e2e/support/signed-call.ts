import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface IntegrationCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/** A GET to the protected commerce API signed with an integration's tokens (HMAC-SHA256, as Magento 2.4.4+). */
export async function signedGet(gateway: string, path: string, credentials: IntegrationCredentials): Promise<number> {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
  const url = `${gateway}${path}`;
  const header = oauth.toHeader(
    oauth.authorize({ url, method: 'GET' }, { key: credentials.accessToken, secret: credentials.accessTokenSecret }),
  );
  const response = await fetch(url, { headers: { Authorization: header.Authorization, Accept: 'application/json' } });
  await response.arrayBuffer();
  return response.status;
}
