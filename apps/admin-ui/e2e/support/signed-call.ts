import { type IntegrationCredentials, oauthAuthorization } from '@integrations/testing';

export type { IntegrationCredentials };

/** A GET to the protected commerce API signed with an integration's tokens (HMAC-SHA256, as Magento 2.4.4+). */
export async function signedGet(gateway: string, path: string, credentials: IntegrationCredentials): Promise<number> {
  const url = `${gateway}${path}`;
  const response = await fetch(url, {
    headers: { Authorization: oauthAuthorization('GET', url, credentials), Accept: 'application/json' },
  });
  await response.arrayBuffer();
  return response.status;
}
