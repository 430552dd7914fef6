import type { AclResourceNode } from '../acl-catalog';
import type { IntegrationStatus } from '../integration.decider';
import type { IntegrationFields } from '../integration-fields';
import { nameKey } from '../name-reservations';
import type { ManifestEntry } from './manifest-file';

/** Magento's root resources: "All" is one grant; any Custom selection also allows the admin root. */
export const ALL_RESOURCES = 'Magento_Backend::all';
export const ADMIN_ROOT = 'Magento_Backend::admin';

/** What the reconciler knows of a live integration (folded from its stream, never the grid). */
export interface CurrentIntegration {
  id: string;
  version: number;
  setupType: 'manual' | 'config';
  status: IntegrationStatus;
  /** Consumer credentials may exist: active, or an exchange started (Magento issues them then). */
  hasCredentials: boolean;
  suspended: boolean;
  fields: IntegrationFields;
}

export type ManifestAction =
  | { kind: 'create'; entry: ManifestEntry }
  /**
   * `reset`: the effective resource set changed and credentials exist, so they are revoked first.
   * The suspension follows the entry's `suspended` (compared with `current.suspended`).
   */
  | { kind: 'update'; entry: ManifestEntry; current: CurrentIntegration; reset: boolean }
  | { kind: 'delete'; current: CurrentIntegration }
  /** An admin-created integration holds the name: it is left alone (never taken over). */
  | { kind: 'conflict'; entry: ManifestEntry; current: CurrentIntegration }
  | { kind: 'unchanged'; entry: ManifestEntry; current: CurrentIntegration };

export interface ManifestState {
  /** The live integration holding each manifest entry's name (by name key), if any. */
  byName: ReadonlyMap<string, CurrentIntegration>;
  /** Every live config-type integration (to find those no longer in the manifest). */
  configIntegrations: readonly CurrentIntegration[];
}

/** Child -> parent for every catalog id (top-level ids -> the admin root). */
export type ParentMap = ReadonlyMap<string, string>;

export function parentMap(resources: readonly AclResourceNode[]): ParentMap {
  const parents = new Map<string, string>();
  const walk = (nodes: readonly AclResourceNode[], parent: string) => {
    for (const node of nodes) {
      parents.set(node.id, parent);
      walk(node.children, node.id);
    }
  };
  walk(resources, ADMIN_ROOT);
  return parents;
}

/**
 * The resources an integration is effectively granted, as the acl service expands them: "all" is
 * `Magento_Backend::all`; a Custom selection adds every ancestor up to `Magento_Backend::admin` (the
 * consolidated converter adds parents); an empty selection grants nothing. Listing a parent
 * explicitly or not therefore changes nothing, and does not reset the integration.
 */
export function effectiveResources(
  fields: Pick<IntegrationFields, 'resourceAccess' | 'resources'>,
  parents: ParentMap,
): string[] {
  if (fields.resourceAccess === 'all') return [ALL_RESOURCES];
  if (fields.resources.length === 0) return [];
  const granted = new Set<string>([ADMIN_ROOT]);
  for (const id of fields.resources) {
    granted.add(id);
    for (let parent = parents.get(id); parent !== undefined; parent = parents.get(parent)) granted.add(parent);
  }
  return [...granted].sort();
}

export function sameFields(a: IntegrationFields, b: IntegrationFields): boolean {
  return (
    a.name === b.name &&
    a.email === b.email &&
    a.callbackUrl === b.callbackUrl &&
    a.identityLinkUrl === b.identityLinkUrl &&
    a.resourceAccess === b.resourceAccess &&
    sameList(a.resources, b.resources) &&
    a.expiresAt === b.expiresAt &&
    sameList(a.ipAllowList, b.ipAllowList) &&
    a.rateLimit?.requestsPerMinute === b.rateLimit?.requestsPerMinute &&
    a.rateLimit?.burst === b.rateLimit?.burst
  );
}

/**
 * Pure: what to do so that the config-type integrations equal the manifest. Entries are matched by
 * name (case-insensitive, as names are unique); a config-type integration whose name is not in the
 * manifest any more is deleted (Magento removes it with its module). Running the plan of an applied
 * manifest yields only `unchanged` (and the same `conflict`s).
 */
export function planManifest(
  entries: readonly ManifestEntry[],
  state: ManifestState,
  parents: ParentMap,
): ManifestAction[] {
  const actions: ManifestAction[] = [];
  for (const entry of entries) {
    const current = state.byName.get(nameKey(entry.fields.name));
    if (!current) {
      actions.push({ kind: 'create', entry });
    } else if (current.setupType !== 'config') {
      actions.push({ kind: 'conflict', entry, current });
    } else if (sameFields(current.fields, entry.fields) && current.suspended === entry.suspended) {
      actions.push({ kind: 'unchanged', entry, current });
    } else {
      const resourcesChanged = !sameList(
        effectiveResources(current.fields, parents),
        effectiveResources(entry.fields, parents),
      );
      actions.push({ kind: 'update', entry, current, reset: resourcesChanged && current.hasCredentials });
    }
  }
  const wanted = new Set(entries.map((entry) => nameKey(entry.fields.name)));
  for (const current of state.configIntegrations) {
    if (!wanted.has(nameKey(current.fields.name))) actions.push({ kind: 'delete', current });
  }
  return actions;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);
