import { type EventStore, replay } from '@integrations/event-store';
import type { mongo } from 'mongoose';
import { type GridDocument, IntegrationGridProjection } from './integration-grid.projection';
import { IntegrationHistoryProjection, type HistoryDocument } from './integration-history.projection';
import { fromStoredEvent } from './projected-event';

export interface RebuildTargets {
  grid: string;
  history: string;
}

export interface RebuildResult {
  events: number;
  lastPosition?: number;
  /** Grid rows whose usage figures were carried over from the live grid. */
  usageCarried: number;
  /** Partner notification attempts carried over from the live history. */
  notificationsCarried: number;
}

/**
 * Rebuilds the grid and history from the event store into fresh collections (dropped first if they
 * exist). Usage figures and partner notification attempts come from another service's stream, not
 * ours, so they are copied from the live grid and history when given. Run with writers quiet, or keep the live consumer running alongside:
 * the projections are idempotent, so the two never conflict.
 */
export async function rebuildProjections(
  store: EventStore,
  db: mongo.Db,
  targets: RebuildTargets,
  liveGrid?: mongo.Collection<GridDocument>,
  liveHistory?: mongo.Collection<HistoryDocument>,
): Promise<RebuildResult> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of [targets.grid, targets.history]) if (existing.has(name)) await db.dropCollection(name);
  const grid = new IntegrationGridProjection(db.collection<GridDocument>(targets.grid));
  const history = new IntegrationHistoryProjection(db.collection<HistoryDocument>(targets.history));
  await grid.ensureIndexes();
  await history.ensureIndexes();

  const result = await replay(store, async (stored) => {
    const event = fromStoredEvent(stored);
    await history.apply(event);
    const applied = await grid.apply(event);
    if (applied === 'gap')
      throw new Error(`rebuild: ${event.streamId}@${event.version} has no predecessor in the event store`);
  });

  let usageCarried = 0;
  if (liveGrid) {
    const used = liveGrid.find({ uses: { $gt: 0 } }, { projection: { lastUsedAt: 1, uses: 1 } });
    for await (const row of used) {
      if (row.lastUsedAt && (await grid.recordUsage(row._id, row.lastUsedAt, row.uses))) usageCarried += 1;
    }
  }
  let notificationsCarried = 0;
  if (liveHistory) {
    for await (const entry of liveHistory.find({ kind: { $in: ['notification', 'credentials'] } })) {
      if ((await history.insert(entry)) === 'applied') notificationsCarried += 1;
    }
  }
  return { ...result, usageCarried, notificationsCarried };
}

/**
 * Replaces the live collections with rebuilt ones. FerretDB v1 has no `dropTarget` on rename, so
 * it is drop, then rename: reads see an empty collection for that instant.
 */
export async function promoteRebuild(db: mongo.Db, rebuilt: RebuildTargets, live: RebuildTargets): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const kind of ['grid', 'history'] as const) {
    if (existing.has(live[kind])) await db.dropCollection(live[kind]);
    await db.renameCollection(rebuilt[kind], live[kind]);
  }
}
