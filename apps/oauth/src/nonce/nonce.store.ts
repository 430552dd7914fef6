import type { NonceStore } from '@integrations/oauth1';
import type mongoose from 'mongoose';
import { isDuplicateKeyError } from '../mongo-errors';

export const NONCES_COLLECTION = 'nonces';

/**
 * Magento's `oauth_nonce` (primary key `(nonce, consumer_id)`). `_id` is `<consumerId>:<nonce>`:
 * uniqueness per consumer comes from the `_id` index alone, so a claim is one insert, the only
 * write of a signed call. Consumer ids are UUIDs (no ":"), so the pair cannot be ambiguous.
 */
export interface NonceDocument {
  _id: string;
  consumerId: string;
  /** The request's oauth_timestamp: a nonce may go once this is outside the timestamp window. */
  oauthTimestamp: Date;
  createdAt: Date;
}

export class MongoNonceStore implements NonceStore {
  constructor(private readonly collection: mongoose.mongo.Collection<NonceDocument>) {}

  async ensureIndexes(): Promise<void> {
    // No TTL index (FerretDB has none): purge() deletes by this index instead.
    await this.collection.createIndex({ oauthTimestamp: 1 }, { name: 'oauth_timestamp' });
    await this.collection.createIndex({ consumerId: 1 }, { name: 'consumer' });
  }

  async claim(consumerId: string, nonce: string, timestamp: number): Promise<boolean> {
    try {
      await this.collection.insertOne({
        _id: `${consumerId}:${nonce}`,
        consumerId,
        oauthTimestamp: new Date(timestamp * 1000),
        createdAt: new Date(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Deletes nonces whose timestamp is older than `keepSeconds`. Callers pass at least the timestamp
   * window: a request with an older timestamp is refused anyway, so its nonce can no longer be replayed.
   */
  async purge(now: Date, keepSeconds: number): Promise<number> {
    const result = await this.collection.deleteMany({ oauthTimestamp: { $lt: new Date(now.getTime() - keepSeconds * 1000) } });
    return result.deletedCount;
  }

  async deleteForConsumer(consumerId: string): Promise<number> {
    return (await this.collection.deleteMany({ consumerId })).deletedCount;
  }
}
