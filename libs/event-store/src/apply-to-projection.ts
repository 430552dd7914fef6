import type mongoose from 'mongoose';

export type ProjectionResult = 'applied' | 'duplicate' | 'gap';

/** A read-model document: `_id` is the stream id, `version` the last stream version applied. */
export interface ProjectionDocument {
  _id: string;
  version: number;
}

type ProjectionCollection<TDoc extends ProjectionDocument> = Pick<
  mongoose.mongo.Collection<TDoc>,
  'updateOne' | 'findOne'
>;

/**
 * Applies one event's update to a read model once, in stream order: the document's `version`
 * says which event it reflects, and the update sets it to `at.version`.
 * - 'applied': the document was at `version - 1` (or absent, for version 1) and is updated.
 * - 'duplicate': the document is already at or past `version` (a redelivery): nothing changed.
 * - 'gap': an earlier event has not been applied yet; nothing changed. The caller decides; a
 *   Kafka consumer usually throws ProjectionGapError so that the message is retried.
 *
 * Both round trips filter on `_id` alone, the only filter FerretDB v1 runs without decoding the
 * whole collection (and its updates are read-then-write anyway, so a version filter would not be
 * atomic there). The check is therefore exact for one applier per stream at a time, which a Kafka
 * partition (same key = same partition) gives; prefer `$set` over `$inc`, so that the rare
 * overlap during a consumer-group rebalance cannot double a value.
 * A deleted aggregate should get a tombstone field, not a deleted document: a redelivered
 * version-1 event would recreate the document.
 */
export async function applyToProjection<TDoc extends ProjectionDocument>(
  collection: ProjectionCollection<TDoc>,
  at: { id: string; version: number },
  update: mongoose.mongo.UpdateFilter<TDoc>,
): Promise<ProjectionResult> {
  const byId = { _id: at.id } as mongoose.mongo.Filter<TDoc>;
  const current = await collection.findOne(byId, { projection: { version: 1 } });
  const applied = (current?.version as number | undefined) ?? 0;
  if (applied >= at.version) return 'duplicate';
  if (applied < at.version - 1) return 'gap';
  const versioned = { ...update, $set: { ...update.$set, version: at.version } } as mongoose.mongo.UpdateFilter<TDoc>;
  await collection.updateOne(byId, versioned, { upsert: at.version === 1 });
  return 'applied';
}

/** Thrown by a consumer that met a 'gap', so that the message is redelivered later. */
export class ProjectionGapError extends Error {
  override readonly name = 'ProjectionGapError';
  readonly code = 'EVENT_STORE.PROJECTION_GAP';
  constructor(
    readonly projection: string,
    readonly streamId: string,
    readonly version: number,
  ) {
    super(`${projection}: ${streamId}@${version} arrived before version ${version - 1} was applied.`);
  }
}
