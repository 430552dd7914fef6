import { randomUUID } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { CommitDocument, OutboxEntry } from '@integrations/event-store';

export interface RefillResult {
  commits: number;
  /** Outbox entries found (and, unless a dry run, replaced). */
  replaced: number;
}

/**
 * Puts every commit of an event store back into its outbox, so the service's relay publishes the
 * whole history again (a lost Kafka cluster). Entries are written as the relay expects them
 * (EventStore.append): their own `_id`, `commitId`, `confirmed: true`, and in position order, since
 * on FerretDB the relay reads the outbox in insertion order. The old entries go first: left in place
 * they would be published before the history, newer versions of a stream ahead of older ones.
 *
 * Run with the service stopped (its relay and its appends), then start it.
 */
export async function refillOutbox(
  db: mongo.Db,
  options: {
    collection?: string;
    dryRun?: boolean;
    batchSize?: number;
    onProgress?: (written: number, total: number) => void;
  } = {},
): Promise<RefillResult> {
  const commits = db.collection<CommitDocument>(options.collection ?? 'events');
  const outbox = db.collection<OutboxEntry>(`${commits.collectionName}_outbox`);
  const total = await commits.countDocuments({});
  const replaced = await outbox.countDocuments({});
  if (options.dryRun) return { commits: total, replaced };
  await outbox.deleteMany({});
  const batchSize = options.batchSize ?? 500;
  let batch: OutboxEntry[] = [];
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await outbox.insertMany(batch, { ordered: true });
    written += batch.length;
    batch = [];
    options.onProgress?.(written, total);
  };
  for await (const commit of commits.find({}).sort({ position: 1 })) {
    batch.push({ ...commit, _id: randomUUID(), commitId: commit._id, confirmed: true });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { commits: written, replaced };
}
