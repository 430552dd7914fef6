import { formatProblem, isFormUrlencoded } from '@integrations/oauth1';

/** The two token endpoints and the oauth service's internal path for each. */
export type TokenStep = 'token-request' | 'token-access';

/**
 * What the oauth service verifies (`POST /oauth/verify/<step>`): the request as the partner sent it.
 * The body goes along only when it is form-encoded, the one kind whose parameters are signed; it is
 * the raw bytes, never a re-encoding, so `+`, `%20` and duplicates reach the verifier as signed.
 */
export interface ForwardedTokenRequest {
  method: string;
  url: string;
  authorization: string | null;
  contentType: string | null;
  body: string | null;
}

export interface ReceivedTokenRequest {
  method: string;
  /** The URL the partner signed (scheme://Host + raw request target). */
  signedUrl: string;
  authorization: string | undefined;
  contentType: string | undefined;
  rawBody: Buffer | undefined;
}

export function forwardedTokenRequest(received: ReceivedTokenRequest): ForwardedTokenRequest {
  const form = isFormUrlencoded(received.contentType);
  return {
    method: received.method.toUpperCase(),
    url: received.signedUrl,
    authorization: received.authorization ?? null,
    contentType: received.contentType ?? null,
    body: form && received.rawBody ? received.rawBody.toString('utf8') : null,
  };
}

/** What the gateway answers: Magento's status and form-encoded body. */
export interface TokenReply {
  status: number;
  body: string;
  /** The oauth service's stable refusal code, for our logs only (never sent). */
  code?: string;
}

/**
 * The oauth service's answer, checked: it always says 200 `{status: 200|400|401, body, code?}`.
 * Anything else means the service is not the one we expect to talk to: null (answered as 503).
 */
export function relayedReply(answer: unknown): TokenReply | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { status, body, code } = answer as Record<string, unknown>;
  if ((status !== 200 && status !== 400 && status !== 401) || typeof body !== 'string') return null;
  return { status, body, ...(typeof code === 'string' ? { code } : {}) };
}

/** The oauth service could not be asked (down, timed out, answered garbage): Magento-style body. */
export const UNAVAILABLE_REPLY: TokenReply = {
  status: 503,
  body: formatProblem('The OAuth service is unavailable right now. Try again later.'),
};

/**
 * The oauth service refused to look at the request at all (its 400: a URL or body over its limits):
 * the partner's request is at fault, so a 400 in Magento's shape rather than an outage.
 */
export const UNCHECKABLE_REPLY: TokenReply = {
  status: 400,
  body: formatProblem('The request cannot be checked as sent.'),
};
