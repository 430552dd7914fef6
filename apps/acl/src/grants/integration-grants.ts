import type { AccessStatus, IntegrationAccess, RateLimit } from '@integrations/contracts';
import { ADMIN_ROOT, ALL_RESOURCES, type AclCatalog } from '../catalog/acl-catalog';
import { SELF } from '../routes/route-map';

/**
 * `active` only after IntegrationActivated / IntegrationReauthorized; `reset` after a config-based
 * integration was recreated; `deleted` is kept (not removed) so a replayed event cannot resurrect it.
 */
export type IntegrationStatus = AccessStatus;

/**
 * An integration's access at a stream version, wherever it comes from: the grants projection
 * (collection `grants`), an access snapshot or a hold (docs/adr/0006 §2). `resources` are the ones
 * the admin chose (Custom), [] for All; ancestors are added on read.
 */
export type GrantsRecord = IntegrationAccess;

/** An integration's effective permissions, as decisions use them. */
export interface IntegrationGrants {
  integrationId: string;
  status: IntegrationStatus;
  version: number;
  /** true for "Resource Access = All" (`Magento_Backend::all`). */
  all: boolean;
  /** Chosen resources plus every ancestor; never `self` (that is for customer tokens). */
  granted: ReadonlySet<string>;
  /** The controls (docs/adr/0010), as the access states them; absent when not in use. */
  suspended?: true;
  expiresAt?: string;
  ipAllowList?: readonly string[];
  rateLimit?: RateLimit;
}

/**
 * Magento semantics: All is the single resource `Magento_Backend::all`, which allows everything.
 * Custom grants each chosen resource and every ancestor up to `Magento_Backend::admin` (the
 * consolidated converter adds parents), but a parent does NOT grant its children. An empty
 * selection grants nothing. Expansion happens at read time so a replaced catalog takes effect
 * without rebuilding the projection; a chosen id the catalog no longer has is still granted as is.
 */
export function toIntegrationGrants(record: GrantsRecord, catalog: AclCatalog): IntegrationGrants {
  const granted = new Set<string>();
  const all = record.resourceAccess === 'all';
  if (all) {
    granted.add(ALL_RESOURCES);
  } else if (record.resources.length > 0) {
    granted.add(ADMIN_ROOT);
    for (const resource of record.resources) {
      if (resource === SELF) continue;
      granted.add(resource);
      for (const ancestor of catalog.ancestors(resource)) granted.add(ancestor);
    }
  }
  return {
    integrationId: record.integrationId,
    status: record.status,
    version: record.version,
    all,
    granted,
    ...(record.suspended ? { suspended: true as const } : {}),
    ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
    ...(record.ipAllowList !== undefined ? { ipAllowList: record.ipAllowList } : {}),
    ...(record.rateLimit !== undefined ? { rateLimit: record.rateLimit } : {}),
  };
}

/** Whether the grants allow one route resource (`anonymous` is handled before, by the decider). */
export function allowsResource(grants: IntegrationGrants, resource: string): boolean {
  if (resource === SELF) return false;
  return grants.all || grants.granted.has(resource);
}
