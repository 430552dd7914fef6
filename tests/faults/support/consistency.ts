import type { IntegrationEvent } from '@integrations/contracts';
import { EventStore, type StoredEvent } from '@integrations/event-store';
import type { Connection, mongo } from 'mongoose';
import {
  GRANTS_COLLECTION,
  GrantsProjection,
  type GrantsDocument,
} from '../../../apps/acl/src/grants/grants.projection';
import { CONSUMERS_COLLECTION } from '../../../apps/oauth/src/consumer/consumer.store';
import {
  INTEGRATION_STATUS_COLLECTION,
  IntegrationStatusProjection,
  type IntegrationStatusDocument,
} from '../../../apps/oauth/src/integration-status/integration-status.projection';
import { GRID_COLLECTION } from '../../../apps/registry/src/integration/integration-grid.projection';
import { HISTORY_COLLECTION } from '../../../apps/registry/src/integration/integration-history.projection';
import { rebuildProjections } from '../../../apps/registry/src/integration/rebuild-projections';
import { EVENTS_COLLECTION } from '../../../apps/registry/src/integration/integration.repository';

export { commandsInStore, readStore, storeVersusTopic, type TopicEvent } from './store-checks';

export interface Databases {
  registry: Connection;
  acl: Connection;
  oauth: Connection;
  /** Where the rebuilt projections go (never a service's own database). */
  scratch: Connection;
}

type Doc = Record<string, unknown> & { _id: unknown };

/** Both collections, sorted by _id, minus the fields that do not come from the integration events. */
async function diffCollections(
  name: string,
  live: mongo.Collection<Doc>,
  rebuilt: mongo.Collection<Doc>,
  ignore: string[] = [],
): Promise<string[]> {
  const strip = (doc: Doc) =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(doc)
          .filter(([field]) => !ignore.includes(field))
          .sort(([a], [b]) => a.localeCompare(b)),
      ),
    );
  const [a, b] = await Promise.all([live.find({}).toArray(), rebuilt.find({}).toArray()]);
  const liveById = new Map(a.map((doc) => [String(doc._id), strip(doc)]));
  const rebuiltById = new Map(b.map((doc) => [String(doc._id), strip(doc)]));
  const problems: string[] = [];
  for (const [id, doc] of rebuiltById) {
    const other = liveById.get(id);
    if (other === undefined) problems.push(`${name}: ${id} missing from the live projection (rebuilt: ${doc})`);
    else if (other !== doc) problems.push(`${name}: ${id} differs\n    live:    ${other}\n    rebuilt: ${doc}`);
  }
  for (const id of liveById.keys())
    if (!rebuiltById.has(id)) problems.push(`${name}: ${id} is live but not in the rebuild`);
  return problems;
}

export interface RebuildCollections {
  grid: string;
  history: string;
  grants: string;
  status: string;
}

let rebuildCount = 0;

/** The scratch collections of the n-th rebuild: `registry_grid_rebuild`, then `registry_grid_rebuild_1`, … */
export function rebuildCollections(n: number): RebuildCollections {
  const suffix = n === 0 ? '' : `_${n}`;
  return {
    grid: `registry_grid_rebuild${suffix}`,
    history: `registry_history_rebuild${suffix}`,
    grants: `acl_grants_rebuild${suffix}`,
    status: `oauth_status_rebuild${suffix}`,
  };
}

async function freshCollection<T extends { _id: string }>(db: Connection, name: string): Promise<mongo.Collection<T>> {
  await db
    .db!.collection(name)
    .drop()
    .catch(() => undefined);
  return db.db!.collection(name) as unknown as mongo.Collection<T>;
}

/**
 * Rebuilds every projection of the integration events from the registry's event store into scratch
 * collections, with each service's own projection code, and compares with the live ones:
 * registry grid + history (its rebuild command's code), acl grants, oauth integration status.
 * Grid usage figures (`uses`, `lastUsedAt`) come from the oauth topic, not from these events.
 *
 * Each call rebuilds into collections of its own (`rebuildCollections(n)`; the first call of a test
 * file uses the plain names): FerretDB v1.24 sometimes refuses `createIndexes` on a collection
 * dropped a moment earlier while other collections of the same database are being created ("index …
 * already exists"), so the scratch collections are never dropped and reused.
 */
export async function projectionsVersusRebuild(
  dbs: Databases,
  events: readonly StoredEvent[],
  names: RebuildCollections = rebuildCollections(rebuildCount++),
): Promise<string[]> {
  const scratch = dbs.scratch.db!;
  const store = new EventStore(dbs.registry, { collection: EVENTS_COLLECTION });
  const targets = { grid: names.grid, history: names.history };
  // The four rebuilds in parallel: each is a round trip per event, latency-bound on a busy machine.
  const [grantsCollection, statusCollection] = await Promise.all([
    freshCollection<GrantsDocument>(dbs.scratch, names.grants),
    freshCollection<IntegrationStatusDocument>(dbs.scratch, names.status),
  ]);
  const grants = new GrantsProjection(grantsCollection);
  const status = new IntegrationStatusProjection(statusCollection);
  await Promise.all([
    rebuildProjections(store, scratch, targets),
    (async () => {
      for (const event of events) {
        await grants.apply({
          integrationId: event.streamId,
          version: event.version,
          time: event.timestamp,
          event: { type: event.type, payload: event.payload } as IntegrationEvent,
        });
      }
    })(),
    (async () => {
      for (const event of events)
        await status.apply({ streamId: event.streamId, version: event.version, type: event.type });
    })(),
  ]);
  const collection = (db: Connection, name: string) => db.db!.collection<Doc>(name);
  const diffs = await Promise.all([
    diffCollections('registry grid', collection(dbs.registry, GRID_COLLECTION), scratch.collection<Doc>(targets.grid), [
      'uses',
      'lastUsedAt',
    ]),
    diffCollections(
      'registry history',
      collection(dbs.registry, HISTORY_COLLECTION),
      scratch.collection<Doc>(targets.history),
    ),
    diffCollections('acl grants', collection(dbs.acl, GRANTS_COLLECTION), scratch.collection<Doc>(names.grants)),
    diffCollections(
      'oauth integration status',
      collection(dbs.oauth, INTEGRATION_STATUS_COLLECTION),
      scratch.collection<Doc>(names.status),
    ),
  ]);
  return diffs.flat();
}

/**
 * Cheap, before the rebuild: each live projection has reached every stream's last version (the
 * consumers caught up). History is one document per event, so it is left to the full comparison.
 */
export async function projectionsBehind(dbs: Databases, events: readonly StoredEvent[]): Promise<string[]> {
  const heads = new Map<string, number>();
  for (const event of events) heads.set(event.streamId, Math.max(heads.get(event.streamId) ?? 0, event.version));
  const live = [
    ['registry grid', dbs.registry, GRID_COLLECTION],
    ['acl grants', dbs.acl, GRANTS_COLLECTION],
    ['oauth integration status', dbs.oauth, INTEGRATION_STATUS_COLLECTION],
  ] as const;
  const problems: string[] = [];
  for (const [name, db, collection] of live) {
    const docs = await db
      .db!.collection<{ _id: string; version: number }>(collection)
      .find({}, { projection: { version: 1 } })
      .toArray();
    const versions = new Map(docs.map((doc) => [String(doc._id), doc.version]));
    for (const [streamId, head] of heads) {
      const at = versions.get(streamId) ?? 0;
      if (at !== head) problems.push(`${name}: ${streamId} at version ${at}, the store at ${head}`);
    }
  }
  return problems;
}

/** The oauth consumer's side effect: a deleted integration keeps no OAuth consumer. */
export async function deletedHaveNoConsumers(dbs: Databases, events: readonly StoredEvent[]): Promise<string[]> {
  const deleted = [
    ...new Set(events.filter((event) => event.type === 'IntegrationDeleted').map((event) => event.streamId)),
  ];
  const consumers = dbs.oauth.db!.collection<{ integrationId: string }>(CONSUMERS_COLLECTION);
  const left = await consumers
    .find({ integrationId: { $in: deleted } }, { projection: { integrationId: 1 } })
    .toArray();
  return left.map((doc) => `oauth consumer for deleted integration ${doc.integrationId} still exists`);
}
