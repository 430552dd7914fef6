import type { NonceStore } from '@integrations/oauth1';
import type mongoose from 'mongoose';

export const NONCES_COLLECTION = 'nonces';

/**
 * Magento's `oauth_nonce` (primary key `(nonce, consumer_id)`). `_id` is `<consumerId>:<nonce>`:
 * uniqueness per consumer comes from the `_id` index alone, so a claim is one inserted document, the
 * only write of a signed call. Consumer ids are UUIDs (no ":"), so the pair cannot be ambiguous.
 */
export interface NonceDocument {
  _id: string;
  consumerId: string;
  /** The request's oauth_timestamp: a nonce may go once this is outside the timestamp window. */
  oauthTimestamp: Date;
  createdAt: Date;
}

interface PendingClaim {
  document: NonceDocument;
  resolve: (claimed: boolean) => void;
  reject: (error: unknown) => void;
}

/** Claims sent in one insert at most; more wait for the next round trip. */
const MAX_BATCH = 500;

/**
 * Claims are group-committed: one unordered `insertMany` at a time, carrying every claim that
 * arrived since the previous one was sent; the duplicate-key errors it reports (by index) say which
 * nonces were already used. Under load that is one database write per round trip, however many
 * signed calls arrive meanwhile (FerretDB on SQLite runs writes one at a time: an insert per call
 * or per request would queue there instead); alone, a claim waits only for the current turn of the
 * event loop.
 */
export class MongoNonceStore implements NonceStore {
  private queue: PendingClaim[] = [];
  private scheduled = false;
  private inFlight = false;

  constructor(private readonly collection: mongoose.mongo.Collection<NonceDocument>) {}

  async ensureIndexes(): Promise<void> {
    // No TTL index (FerretDB has none): purge() deletes by this index instead.
    await this.collection.createIndex({ oauthTimestamp: 1 }, { name: 'oauth_timestamp' });
    await this.collection.createIndex({ consumerId: 1 }, { name: 'consumer' });
  }

  claim(consumerId: string, nonce: string, timestamp: number): Promise<boolean> {
    const document: NonceDocument = {
      _id: `${consumerId}:${nonce}`,
      consumerId,
      oauthTimestamp: new Date(timestamp * 1000),
      createdAt: new Date(),
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ document, resolve, reject });
      this.schedule();
    });
  }

  /** The next insert: at the end of this turn of the event loop, or when the one in flight returns. */
  private schedule(): void {
    if (this.scheduled || this.inFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.inFlight = true;
    try {
      await this.insert(batch);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }

  private async insert(batch: PendingClaim[]): Promise<void> {
    try {
      await this.collection.insertMany(
        batch.map((claim) => claim.document),
        { ordered: false },
      );
      for (const claim of batch) claim.resolve(true);
    } catch (error) {
      const failures = writeErrorsByIndex(error, batch.length);
      if (!failures) {
        for (const claim of batch) claim.reject(error);
        return;
      }
      batch.forEach((claim, index) => {
        const code = failures.get(index);
        if (code === undefined) claim.resolve(true);
        else if (code === DUPLICATE_KEY) claim.resolve(false);
        else claim.reject(error);
      });
    }
  }

  /**
   * Deletes nonces whose timestamp is older than `keepSeconds`. Callers pass at least the timestamp
   * window: a request with an older timestamp is refused anyway, so its nonce can no longer be replayed.
   */
  async purge(now: Date, keepSeconds: number): Promise<number> {
    const result = await this.collection.deleteMany({
      oauthTimestamp: { $lt: new Date(now.getTime() - keepSeconds * 1000) },
    });
    return result.deletedCount;
  }

  async deleteForConsumer(consumerId: string): Promise<number> {
    return (await this.collection.deleteMany({ consumerId })).deletedCount;
  }
}

const DUPLICATE_KEY = 11000;

/** index -> error code of an unordered bulk insert's failed documents; undefined if it is not one. */
function writeErrorsByIndex(error: unknown, batchSize: number): Map<number, number> | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (!Array.isArray(writeErrors)) {
    // A one-document batch may fail as a plain write error (driver versions differ).
    const duplicate = (error as { code?: unknown }).code === DUPLICATE_KEY && batchSize === 1;
    return duplicate ? new Map([[0, DUPLICATE_KEY]]) : undefined;
  }
  return new Map(writeErrors.map((w: { index: number; code: number }) => [w.index, w.code] as const));
}
