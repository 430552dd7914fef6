import { formatProblem, type OAuthRejection } from '@integrations/oauth1';

/**
 * What the gateway relays for `/oauth/token/request` and `/oauth/token/access`: the status and the
 * form-encoded body, exactly as Magento answers (`oauth_token=…&oauth_token_secret=…`, or
 * `oauth_problem=…` with 400/401).
 */
export interface TokenReply {
  status: 200 | 400 | 401;
  body: string;
  /** Our stable code of a refusal (not part of Magento's body; for the gateway's logs). */
  code?: string;
}

export function problemReply(rejection: OAuthRejection): TokenReply {
  return { status: rejection.status, body: formatProblem(rejection.problem), code: rejection.code };
}

export function isRejection(value: object): value is OAuthRejection {
  return (value as { ok?: unknown }).ok === false;
}
