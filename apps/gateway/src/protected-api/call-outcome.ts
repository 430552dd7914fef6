import type { AclDecision, ApiCallVerdict, MagentoErrorBody, RateLimit } from '@integrations/contracts';

export type CallOutcome =
  | {
      kind: 'allow';
      /** null: the call goes upstream as anonymous (guest access, or an `anonymous` route). */
      integrationId: string | null;
      /** The acl's route id, `<METHOD> /V1/<segments with :params>`. */
      routeId: string;
      upstream: string;
      upstreamUrl: string | null;
      upstreamPath: string;
      /** The calling integration's rate limit, as the acl named it; null: none (or an anonymous call). */
      rateLimit: RateLimit | null;
      /** Sent with the upstream's answer (X-RateLimit-*). */
      headers?: Readonly<Record<string, string>>;
    }
  | {
      kind: 'deny';
      /** 429: the integration's rate limit (docs/adr/0010). */
      status: 400 | 401 | 403 | 404 | 429;
      body: MagentoErrorBody;
      /** Sent with the refusal (Retry-After, X-RateLimit-*). */
      headers?: Readonly<Record<string, string>>;
      /** The route's resources (for the NGINX headers). */
      resources: readonly string[];
      /** null: no route matched. */
      routeId: string | null;
      /** Why, for logs: the acl's reason or the oauth problem code. */
      reason: string;
    };

/**
 * Combines the oauth verdict (null: the call carried no credentials) with the acl decision, which
 * was asked with the verified integration id, or null when there is none. Magento's REST order
 * (Webapi RequestValidator, OauthUserContext):
 * 1. the route first: an unknown route is 404 whatever the credentials;
 * 2. an `anonymous` route, or a guest route while guest access is on, never looks at the caller:
 *    allowed as anonymous even when the signature is bad (Magento never evaluates the user there);
 * 3. a refused signature, nonce, token… is 401 (400 for malformed input) with the OAuth problem as
 *    Magento's `{"message": ...}` (its Oauth exceptions are AuthenticationExceptions);
 * 4. otherwise the acl's decision: oauth answers only for the signature (ADR 0006 §1), so an
 *    integration that is not active (deleted, reset, inactive) is refused here as an unidentified
 *    caller (Magento's findActiveIntegrationByConsumerId): 401 "The consumer isn't authorized to
 *    access %resources." with the route's resources; 403 when an active integration lacks a
 *    resource.
 */
export function callOutcome(verdict: ApiCallVerdict | null, decision: AclDecision): CallOutcome {
  if (decision.decision === 'allow') {
    return {
      kind: 'allow',
      integrationId: verdict?.ok ? verdict.integrationId : null,
      routeId: decision.routeId,
      upstream: decision.upstream,
      upstreamUrl: decision.upstreamUrl,
      upstreamPath: decision.upstreamPath,
      rateLimit: verdict?.ok ? (decision.rateLimit ?? null) : null,
    };
  }
  const deny = (status: 400 | 401 | 403 | 404, body: MagentoErrorBody, reason: string): CallOutcome => ({
    kind: 'deny',
    status,
    body,
    resources: decision.resources,
    routeId: decision.routeId,
    reason,
  });
  if (decision.status === 404) return deny(404, decision.body, decision.reason);
  if (verdict && !verdict.ok) return deny(verdict.status, { message: verdict.problem }, verdict.code);
  return deny(decision.status, decision.body, decision.reason);
}
