import type { IntegrationAccess } from '@integrations/contracts';
import type { IntegrationState } from './integration.decider';

/**
 * What the acl enforces of an integration at a stream version (docs/adr/0006 §2): its status, grants
 * and controls (suspension, expiry, IP allow-list, rate limit: docs/adr/0010), each control only when
 * in use. Null for an integration that never existed. A deleted one grants nothing.
 */
export function accessOf(state: IntegrationState, version: number): IntegrationAccess | null {
  switch (state.kind) {
    case 'Empty':
      return null;
    case 'Deleted':
      return { integrationId: state.id, version, status: 'deleted', resourceAccess: 'custom', resources: [] };
    case 'Existing':
      return {
        integrationId: state.id,
        version,
        status: state.status,
        resourceAccess: state.resourceAccess,
        resources: state.resourceAccess === 'all' ? [] : [...state.resources],
        ...(state.suspended ? { suspended: true as const } : {}),
        ...(state.expiresAt !== null ? { expiresAt: state.expiresAt } : {}),
        ...(state.ipAllowList.length > 0 ? { ipAllowList: [...state.ipAllowList] } : {}),
        ...(state.rateLimit !== null ? { rateLimit: { ...state.rateLimit } } : {}),
      };
    default: {
      const _exhaustive: never = state;
      throw new Error(`unknown state ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** Same status, grants and controls (versions aside): an email or URL change needs no new snapshot. */
export function sameAccess(a: IntegrationAccess | null, b: IntegrationAccess | null): boolean {
  if (!a || !b) return a === b;
  if (a.status !== b.status || a.resourceAccess !== b.resourceAccess) return false;
  if (a.suspended !== b.suspended || a.expiresAt !== b.expiresAt) return false;
  if (!sameSet(a.ipAllowList, b.ipAllowList)) return false;
  if (a.rateLimit?.requestsPerMinute !== b.rateLimit?.requestsPerMinute || a.rateLimit?.burst !== b.rateLimit?.burst)
    return false;
  return sameSet(a.resources, b.resources);
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const inB = new Set(b);
  return a.length === b.length && a.every((value) => inB.has(value));
}
