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

// Replies are asserted field by field; a loose type keeps the tests readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  /** JSON when the answer says so, else the text. */
  body: Json;
  headers: Headers;
}

export interface SignedRequestOptions {
  /** Form fields: sent as application/x-www-form-urlencoded and signed. */
  form?: Record<string, string>;
  /** Sent as JSON (not signed, as in Magento). */
  json?: unknown;
  /** Sign the `form` fields but send this body instead (tampering). */
  sendForm?: string;
}

/** A freshly signed call (new nonce) with an integration's tokens, answered in full. */
export function signedRequest(
  baseUrl: string,
  credentials: IntegrationCredentials,
  method: string,
  path: string,
  options: SignedRequestOptions = {},
): Promise<Reply> {
  const url = new URL(`${baseUrl}${path}`).href;
  const headers: Record<string, string> = {
    authorization: oauthAuthorization(method, url, credentials, options.form),
    accept: 'application/json',
  };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = options.sendForm ?? new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  return send(url, method, headers, body);
}

/** A call without credentials. */
export function anonymousCall(baseUrl: string, method: string, path: string): Promise<Reply> {
  return send(new URL(`${baseUrl}${path}`).href, method, { accept: 'application/json' });
}

async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text;
  return { status: response.status, body: json ? JSON.parse(text) : text, headers: response.headers };
}
