import type { IntegrationGridItem, IntegrationHistoryEntry, IntegrationJson } from '@integrations/contracts';
import type { IntegrationState } from './integration.decider';
import type { GridDocument } from './integration-grid.projection';
import type { HistoryDocument } from './integration-history.projection';

/**
 * The registry's answers are the contracts' (IntegrationJsonSchema and its kin in libs/contracts),
 * which the gateway checks every reply against. Handlers name the integration JSON from here.
 */
export type { IntegrationJson };

/**
 * A live integration's JSON; asking it of a missing or deleted one is a bug (the decider refuses
 * those first). `expired` is as of `now`.
 */
export function integrationJson(state: IntegrationState, version: number, now = new Date()): IntegrationJson {
  if (state.kind !== 'Existing') throw new Error(`integration JSON asked of a ${state.kind} integration`);
  return {
    id: state.id,
    name: state.name,
    email: state.email,
    callbackUrl: state.callbackUrl,
    identityLinkUrl: state.identityLinkUrl,
    status: state.status,
    setupType: state.setupType,
    resourceAccess: state.resourceAccess,
    resources: state.resources,
    insecure: state.insecure,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    ...controlsJson(state, now),
    version,
  };
}

/** The controls as the views show them (docs/adr/0010). */
function controlsJson(
  row: {
    suspended?: boolean;
    expiresAt?: string | Date | null;
    ipAllowList?: string[];
    rateLimit?: IntegrationJson['rateLimit'];
  },
  now: Date,
): Pick<IntegrationJson, 'suspended' | 'expiresAt' | 'expired' | 'ipAllowList' | 'rateLimit'> {
  const expiresAt = row.expiresAt instanceof Date ? row.expiresAt.toISOString() : (row.expiresAt ?? null);
  return {
    suspended: row.suspended ?? false,
    expiresAt,
    expired: expiresAt !== null && Date.parse(expiresAt) <= now.getTime(),
    ipAllowList: row.ipAllowList ?? [],
    rateLimit: row.rateLimit ?? null,
  };
}

export function gridItemJson(row: GridDocument, now = new Date()): IntegrationGridItem {
  return {
    id: row._id,
    name: row.name,
    email: row.email,
    callbackUrl: row.callbackUrl,
    identityLinkUrl: row.identityLinkUrl,
    status: row.status,
    setupType: row.setupType,
    resourceAccess: row.resourceAccess,
    resources: row.resources,
    insecure: row.insecure,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...controlsJson(row, now),
    version: row.version,
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
  };
}

export function historyEntryJson(entry: HistoryDocument): IntegrationHistoryEntry {
  return {
    version: entry.version,
    type: entry.type,
    actor: entry.actor,
    at: entry.at.toISOString(),
    changes: entry.changes,
  };
}
