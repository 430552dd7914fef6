import { anIntegrationCreated, anIntegrationUpdated } from '@integrations/testing';
import type mongoose from 'mongoose';
import { applyToProjection, type ProjectionDocument, type ProjectionResult } from '../src/apply-to-projection';
import type { EventStore } from '../src/event-store';
import type { NewEvent } from '../src/event-store.types';

export interface IntegrationTestDocument extends ProjectionDocument {
  name?: string;
  resources?: string[];
  status?: string;
  history?: string[];
}

type Collection = mongoose.mongo.Collection<IntegrationTestDocument>;

/**
 * A small read model of integrations for the store/relay tests: the state depends on the order
 * of events (every update renames), so a reordering or a lost event shows in the documents.
 */
export function projectIntegration(
  collection: Collection,
  streamId: string,
  version: number,
  type: string,
  payload: unknown,
): Promise<ProjectionResult> {
  const data = payload as { name: string; resources: string[]; changes: Partial<IntegrationTestDocument> };
  switch (type) {
    case 'IntegrationCreated':
      return applyToProjection(
        collection,
        { id: streamId, version },
        {
          $set: { name: data.name, resources: data.resources, status: 'inactive' },
          $push: { history: `created:${version}` },
        },
      );
    case 'IntegrationUpdated':
      return applyToProjection(
        collection,
        { id: streamId, version },
        {
          $set: data.changes,
          $push: { history: `updated:${version}` },
        },
      );
    default:
      // Every event moves the version, even one this read model ignores; else the next one gaps.
      return applyToProjection(collection, { id: streamId, version }, {});
  }
}

/** All documents, sorted, for comparing two projections. */
export function projectionSnapshot(collection: Collection): Promise<IntegrationTestDocument[]> {
  return collection.find({}).sort({ _id: 1 }).toArray();
}

export interface Workload {
  /** Stream id -> its final version. */
  versions: Map<string, number>;
  events: number;
  commits: number;
}

/**
 * Appends `eventsPerStream` events to each of `streams` streams, commits of 1 to 4 events, with
 * `concurrency` streams written at the same time (each stream's own appends are sequential).
 */
export async function appendWorkload(
  store: EventStore,
  options: { prefix: string; streams: number; eventsPerStream: number; concurrency: number },
): Promise<Workload> {
  const versions = new Map<string, number>();
  let commits = 0;
  const streamIds = Array.from({ length: options.streams }, (_, i) => `${options.prefix}-${i}`);
  const writeStream = async (streamId: string, index: number) => {
    let version = 0;
    while (version < options.eventsPerStream) {
      const size = Math.min(((index + version) % 4) + 1, options.eventsPerStream - version);
      const events: NewEvent[] = [];
      for (let k = 1; k <= size; k++) {
        const next = version + k;
        events.push(
          next === 1
            ? anIntegrationCreated({ integrationId: streamId, name: `${streamId} v1` })
            : anIntegrationUpdated(streamId, {
                name: `${streamId} v${next}`,
                resources: [`Magento_Sales::r${next % 5}`],
              }),
        );
      }
      await store.append(streamId, version, events);
      version += size;
      commits += 1;
    }
    versions.set(streamId, version);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < streamIds.length) {
        const index = next++;
        await writeStream(streamIds[index]!, index);
      }
    }),
  );
  return { versions, events: options.streams * options.eventsPerStream, commits };
}
