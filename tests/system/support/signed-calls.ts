import { type IntegrationCredentials, oauthAuthorization } from '@integrations/testing';

export interface SignedReply {
  /** Which base URL answered (a gateway replica, or NGINX). */
  via: string;
  status: number;
  /** The start of the body of a refusal, for the report. */
  detail?: string;
}

/**
 * One call signed with an integration's tokens (OAuth 1.0a, HMAC-SHA256, as Magento 2.4.4+), to
 * `baseUrl` (the gateway through NGINX, or one gateway replica: the signature covers the URL called).
 */
export async function signedCall(
  baseUrl: string,
  path: string,
  credentials: IntegrationCredentials,
  method = 'GET',
): Promise<SignedReply> {
  const url = `${baseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: { authorization: oauthAuthorization(method, url, credentials), accept: 'application/json' },
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return { via: baseUrl, status: response.status, ...(response.status === 200 ? {} : { detail: text.slice(0, 200) }) };
}

/** One call with the integration's access token as a standalone Bearer token (the setting
 * `oauth/consumer/enable_integration_as_bearer` must be on). */
export async function bearerCall(
  baseUrl: string,
  path: string,
  credentials: IntegrationCredentials,
): Promise<SignedReply> {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${credentials.accessToken}`, accept: 'application/json' },
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return { via: baseUrl, status: response.status, ...(response.status === 200 ? {} : { detail: text.slice(0, 200) }) };
}
