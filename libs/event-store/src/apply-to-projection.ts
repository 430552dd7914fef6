import type mongoose from 'mongoose';

export type ProjectionResult = 'applied' | 'duplicate' | 'gap';

/** A read-model document: `_id` is the stream id, `version` the last stream version applied. */
export interface ProjectionDocument {
  _id: string;
  version: number;
  [field: string]: unknown;
}

type ProjectionCollection = Pick<mongoose.mongo.Collection<ProjectionDocument>, 'updateOne' | 'findOne'>;
type ProjectionUpdate = mongoose.mongo.UpdateFilter<ProjectionDocument>;

/**
 * Applies one event's update to a read model exactly once, in stream order, without transactions:
 * the update only matches the document at `version - 1`, and it sets `version`.
 * - version 1 creates the document (upsert); if it exists already, the event was applied before.
 * - 'duplicate': the document is already at or past `version` (a redelivery): nothing changed.
 * - 'gap': an earlier event has not been applied yet. The caller decides; a Kafka consumer
 *   usually throws ProjectionGapError so the message is retried.
 * Deleting the document on a "deleted" event would let a redelivered version-1 event recreate it:
 * set a tombstone field instead.
 */
export async function applyToProjection(
  collection: ProjectionCollection,
  at: { id: string; version: number },
  update: ProjectionUpdate,
): Promise<ProjectionResult> {
  const versioned: ProjectionUpdate = { ...update, $set: { ...update.$set, version: at.version } };
  if (at.version === 1) {
    try {
      await collection.updateOne({ _id: at.id, version: 0 }, versioned, { upsert: true });
      return 'applied';
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return 'duplicate';
      throw error;
    }
  }
  const result = await collection.updateOne({ _id: at.id, version: at.version - 1 }, versioned);
  if (result.matchedCount === 1) return 'applied';
  const current = await collection.findOne({ _id: at.id }, { projection: { version: 1 } });
  return current && current.version >= at.version ? 'duplicate' : 'gap';
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
