import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { formEncode } from '@integrations/oauth1';
import { callbackAddressRefused, callbackFailed, callbackUrlInvalid } from '../../oauth.errors';
import { checkOutboundHost, type ResolvedAddress, type Resolve } from './outbound-guard';

export interface CredentialsPostInput {
  callbackUrl: string;
  /** The form fields, in order (`oauth_consumer_key, oauth_consumer_secret, store_base_url, oauth_verifier`). */
  fields: ReadonlyArray<readonly [string, string]>;
  /** `oauth/consumer/post_timeout`, per request. */
  timeoutMs: number;
  /** `oauth/consumer/post_maxredirects`; 0 = a redirect answer is a failure. */
  maxRedirects: number;
  /** `oauth/consumer/outbound_allowlist`. */
  allowList: string;
}

/**
 * POSTs the consumer credentials to the callback URL, form-encoded as Magento does, and resolves once
 * it answered 2xx. Throws OAUTH.CALLBACK_URL_INVALID, OAUTH.CALLBACK_ADDRESS_REFUSED (SSRF guard) or
 * OAUTH.CALLBACK_FAILED (transport error, timeout, non-2xx). Error messages name the host and the
 * reason, never the body (it holds the consumer secret and the verifier).
 *
 * Magento ignores the answer and fails only on transport errors; we also fail on non-2xx, so an
 * activation never reports success when the partner never stored the credentials.
 * A redirect is followed (when allowed) by POSTing again to the new location, which is checked like
 * the first, but only on the same host: the body holds the consumer secret and the verifier, and a
 * partner's redirect must not hand them to a host the admin never entered. An https -> http redirect
 * is refused too, it would send them in clear.
 */
export async function postCredentials(input: CredentialsPostInput, resolve?: Resolve): Promise<void> {
  await postGuarded(
    {
      url: input.callbackUrl,
      body: formEncode(input.fields),
      contentType: 'application/x-www-form-urlencoded',
      what: 'credentials',
      timeoutMs: input.timeoutMs,
      maxRedirects: input.maxRedirects,
      allowList: input.allowList,
    },
    resolve,
  );
}

/** One POST to a partner's callback URL, through the outbound guard. */
export interface GuardedPostInput {
  url: string;
  body: string;
  contentType: string;
  /** Further headers (a signature). */
  headers?: Readonly<Record<string, string>>;
  /** What is posted, for messages and the User-Agent: `credentials` or `notification`. */
  what: 'credentials' | 'notification';
  timeoutMs: number;
  maxRedirects: number;
  allowList: string;
  /** Follow a redirect only to the same host (and port): a notification goes where the admin said. */
  sameHostRedirects?: boolean;
}

/**
 * The outbound guard of every POST to a partner (credentials, notifications): http(s) only, each
 * hop's address vetted by the SSRF guard and connected to as vetted (no DNS rebinding), redirects
 * only as allowed, never from https to http. Resolves with the 2xx status; throws as postCredentials.
 */
export async function postGuarded(input: GuardedPostInput, resolve?: Resolve): Promise<{ status: number }> {
  let url = parseCallbackUrl(input.url);
  for (let redirects = 0; ; redirects++) {
    const address = await vetTarget(url, input.allowList, input.what, resolve);
    const answer = await send(url, address, input, input.timeoutMs);
    if (answer.status >= 200 && answer.status < 300) return { status: answer.status };
    const isRedirect = answer.status >= 300 && answer.status < 400 && answer.location !== undefined;
    if (!isRedirect) throw callbackFailed(`the callback answered HTTP ${answer.status}`, url.hostname, answer.status);
    if (redirects >= input.maxRedirects) {
      throw callbackFailed(
        `the callback answered HTTP ${answer.status} (a redirect; oauth/consumer/post_maxredirects allows ${input.maxRedirects})`,
        url.hostname,
        answer.status,
      );
    }
    const next = parseRedirect(answer.location!, url);
    if (next.hostname.toLowerCase() !== url.hostname.toLowerCase()) {
      throw callbackFailed(
        `the callback redirected to another host (${next.hostname}); the credentials are only posted to the callback URL's host`,
        url.hostname,
      );
    }
    if (url.protocol === 'https:' && next.protocol === 'http:') {
      throw callbackFailed(
        `the callback redirected from https to http, which would send the ${input.what} in clear`,
        url.hostname,
        answer.status,
      );
    }
    if (input.sameHostRedirects && next.host !== url.host) {
      throw callbackFailed(
        `the callback redirected to another host (${next.hostname}); a ${input.what} only follows redirects on its own host`,
        url.hostname,
        answer.status,
      );
    }
    url = next;
  }
}

function parseCallbackUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw callbackUrlInvalid('The callback URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw callbackUrlInvalid('The callback URL must use http or https.');
  return url;
}

function parseRedirect(location: string, base: URL): URL {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    throw callbackFailed('the callback redirected to an invalid location', base.hostname);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw callbackFailed('the callback redirected to a location that is neither http nor https', base.hostname);
  }
  return next;
}

async function vetTarget(
  url: URL,
  allowList: string,
  what: GuardedPostInput['what'],
  resolve?: Resolve,
): Promise<ResolvedAddress> {
  const decision = await checkOutboundHost(url.hostname, allowList, resolve);
  if (decision.ok) return decision.address;
  if (decision.reason === 'unresolvable') throw callbackFailed('the host name could not be resolved', decision.host);
  throw callbackAddressRefused(
    `The callback URL host ${decision.host} resolves to ${decision.address}, a ${decision.kind} address; credentials are not posted to ` +
      'loopback, private, link-local, metadata or other non-global addresses. If this is intended (a local run), add the address ' +
      'or its CIDR range to the oauth/consumer/outbound_allowlist setting (a host name there does not lift the check).',
    { host: decision.host, address: decision.address, kind: decision.kind },
  );
}

/** One POST, connected to the vetted address (the custom lookup pins it; SNI and Host keep the name). */
function send(
  url: URL,
  address: ResolvedAddress,
  { body, contentType, headers, what }: GuardedPostInput,
  timeoutMs: number,
): Promise<{ status: number; location?: string }> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        agent: false,
        lookup: pinned,
        ...(url.username ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
        headers: {
          ...headers,
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'user-agent': `integrations-oauth/1 (${what === 'credentials' ? 'credentials POST' : 'partner notification'})`,
          accept: '*/*',
        },
      },
      (response: IncomingMessage) => {
        clearTimeout(timer);
        const location = response.headers.location;
        response.resume();
        resolve({ status: response.statusCode ?? 0, ...(location ? { location } : {}) });
      },
    );
    const timer = setTimeout(() => request.destroy(new CallbackTimeout()), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(callbackFailed(describeTransportError(error, timeoutMs), url.hostname));
    });
    request.end(body);
  });
}

class CallbackTimeout extends Error {
  readonly code = 'CALLBACK_TIMEOUT';
}

function describeTransportError(error: Error, timeoutMs: number): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  switch (code) {
    case 'CALLBACK_TIMEOUT':
      return `no answer within ${timeoutMs / 1000} s (oauth/consumer/post_timeout)`;
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    default:
      if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `the TLS connection failed (${code})`;
      return code ? `a network error occurred (${code})` : 'a network error occurred';
  }
}
