import type { IntegrationState } from './integration.decider';
import type { GridDocument } from './integration-grid.projection';
import type { HistoryDocument } from './integration-history.projection';

/** Integration JSON exactly as the HTTP API fixes it (apps/registry/README.md). */
export interface IntegrationJson {
  id: string;
  name: string;
  email: string | null;
  callbackUrl: string | null;
  identityLinkUrl: string | null;
  status: 'inactive' | 'active' | 'reset';
  setupType: 'manual' | 'config';
  resourceAccess: 'all' | 'custom';
  resources: string[];
  insecure: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A grid row: the integration plus when it last called the API (null until the oauth side reports use). */
export interface GridItemJson extends IntegrationJson {
  lastUsedAt: string | null;
}

/** A live integration's JSON; asking it of a missing or deleted one is a bug (the decider refuses those first). */
export function integrationJson(state: IntegrationState, version: number): IntegrationJson {
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
    version,
  };
}

export function gridItemJson(row: GridDocument): GridItemJson {
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
    version: row.version,
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
  };
}

export interface HistoryEntryJson {
  version: number;
  type: string;
  actor: string | null;
  at: string;
  changes: Record<string, unknown>;
}

export function historyEntryJson(entry: HistoryDocument): HistoryEntryJson {
  return {
    version: entry.version,
    type: entry.type,
    actor: entry.actor,
    at: entry.at.toISOString(),
    changes: entry.changes,
  };
}
