import type { IntegrationAccess } from '@integrations/contracts';
import type { IntegrationState } from './integration.decider';

/**
 * What the acl enforces of an integration at a stream version (docs/adr/0006 §2): its status and
 * grants, nothing else. Null for an integration that never existed. A deleted one grants nothing.
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
      };
    default: {
      const _exhaustive: never = state;
      throw new Error(`unknown state ${JSON.stringify(_exhaustive)}`);
    }
  }
}

/** Same status and grants (versions aside): an email or URL change needs no new snapshot. */
export function sameAccess(a: IntegrationAccess | null, b: IntegrationAccess | null): boolean {
  if (!a || !b) return a === b;
  if (a.status !== b.status || a.resourceAccess !== b.resourceAccess) return false;
  const inB = new Set(b.resources);
  return a.resources.length === b.resources.length && a.resources.every((resource) => inB.has(resource));
}
