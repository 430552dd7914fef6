import type { ApiCallVerdict, UsageRefusalReason } from '@integrations/contracts';
import type { CallOutcome } from '../protected-api/call-outcome';

/** How one call of an integration ended, as its usage counts it. */
export type UsageResult = 'accepted' | UsageRefusalReason;

/**
 * Refusals with a reason of their own, by the refusal's `reason` in the call outcome: the acl's deny
 * reason, or the oauth problem code when the signature check refused. A control that refuses calls
 * (suspension, expiry, IP allow-list) adds its row here, e.g. `'integration-suspended': 'suspended'`;
 * a reason not listed is a signature refusal when it came from oauth, `route` for a 404, else `acl`.
 */
export const REFUSAL_REASONS: Readonly<Record<string, UsageRefusalReason>> = {
  'route-not-found': 'route',
  'integration-unknown': 'acl',
  'integration-not-active': 'acl',
  'resource-not-granted': 'acl',
};

/**
 * Whose call this was and how it ended, or null when it is nobody's: an anonymous call, credentials
 * oauth could not tie to an integration (an unknown key or token), or a bad signature on a route
 * that is open to anyone (answered as anonymous, not refused).
 */
export function usageOf(
  verdict: ApiCallVerdict | null,
  outcome: CallOutcome,
): { integrationId: string; result: UsageResult } | null {
  const integrationId = verdict?.integrationId;
  if (integrationId === undefined) return null;
  if (outcome.kind === 'allow') {
    return outcome.integrationId === null ? null : { integrationId: outcome.integrationId, result: 'accepted' };
  }
  const listed = REFUSAL_REASONS[outcome.reason];
  if (listed) return { integrationId, result: listed };
  if (outcome.status === 404) return { integrationId, result: 'route' };
  const byOauth = !verdict!.ok && outcome.reason === verdict!.code;
  return { integrationId, result: byOauth ? 'signature' : 'acl' };
}
