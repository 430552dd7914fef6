import type { Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import { RateLimiterMemory, RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';

export const RATE_LIMITS_COLLECTION = 'rate_limits';

export interface LimitVerdict {
  allowed: boolean;
  /** Whole seconds until the key has room again (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface SharedLimitOptions {
  /** Key prefix in the store, e.g. `login-address`. */
  name: string;
  points: number;
  windowSeconds: number;
  client: mongoose.mongo.MongoClient;
  dbName: string;
  logger: Logger;
}

const ALLOWED: LimitVerdict = { allowed: true, retryAfterSeconds: 0 };

/**
 * One limit ("at most `points` per window per key"), counted in two layers (docs/adr/0007):
 * - an in-process RateLimiterMemory, exact for this replica, consulted first and free;
 * - a RateLimiterMongo in the gateway database, shared by every replica. On MongoDB its
 *   findOneAndUpdate + `$inc` is atomic, so the count is exact across replicas. On FerretDB it is
 *   not (ADR 0003): concurrent requests lose increments, and the local layer is what keeps a burst
 *   at one replica to `points`.
 * When the store fails, the local layer alone decides (logged): the limits never take the sign-in
 * down with the database, and the database being down stops sign-ins anyway.
 */
export class SharedLimit {
  readonly points: number;
  private readonly local: RateLimiterMemory;
  private readonly shared: RateLimiterMongo;
  /** Fast path: keys the store last said were over the limit, until when (epoch ms). */
  private readonly blockedUntil = new Map<string, number>();
  /** Fast path: points not yet counted in the store, per key, while a count is in flight. */
  private readonly pending = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private lastStoreWarning = 0;

  constructor(private readonly options: SharedLimitOptions) {
    this.points = options.points;
    const limits = { keyPrefix: options.name, points: options.points, duration: options.windowSeconds };
    this.local = new RateLimiterMemory(limits);
    this.shared = new RateLimiterMongo({
      ...limits,
      storeClient: options.client,
      dbName: options.dbName,
      tableName: RATE_LIMITS_COLLECTION,
      // Our own indexes (rate-limit.store.ts): the library's TTL index does not exist on FerretDB.
      disableIndexesCreation: true,
      // Once the store says "over", this replica stops asking it until the window ends.
      inMemoryBlockOnConsumed: options.points + 1,
    });
  }

  get enabled(): boolean {
    return this.points > 0;
  }

  /** Counts one request against `key` and waits for the shared count: for the sign-in and token endpoints. */
  async consume(key: string): Promise<LimitVerdict> {
    if (!this.enabled) return ALLOWED;
    const local = await this.consumeLocally(key);
    if (!local.allowed) return local;
    try {
      await this.shared.consume(key);
      return ALLOWED;
    } catch (error) {
      if (error instanceof RateLimiterRes) return refused(error);
      this.storeFailed(error);
      return ALLOWED;
    }
  }

  /**
   * Hot path (anonymous /rest): decides from memory at once (this replica's count, and what the
   * store said last about the key) and counts in the shared store in the background, coalescing the
   * calls that arrive while a count is in flight into one `$inc`. Another replica's traffic is
   * therefore seen one store round trip late.
   */
  async consumeSoon(key: string): Promise<LimitVerdict> {
    if (!this.enabled) return ALLOWED;
    const blocked = this.blockedUntil.get(key);
    if (blocked !== undefined) {
      const ms = blocked - Date.now();
      if (ms > 0) return { allowed: false, retryAfterSeconds: Math.ceil(ms / 1000) };
      this.blockedUntil.delete(key);
    }
    const local = await this.consumeLocally(key);
    if (!local.allowed) return local;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    if (!this.inFlight.has(key)) void this.flush(key);
    return ALLOWED;
  }

  /** Drops memory of keys whose block ended (the sweeper calls it). */
  forgetExpiredBlocks(now = Date.now()): void {
    for (const [key, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(key);
  }

  private async flush(key: string): Promise<void> {
    this.inFlight.add(key);
    try {
      for (let points = this.pending.get(key); points; points = this.pending.get(key)) {
        this.pending.delete(key);
        try {
          await this.shared.consume(key, points);
        } catch (error) {
          if (error instanceof RateLimiterRes) this.blockedUntil.set(key, Date.now() + error.msBeforeNext);
          else this.storeFailed(error);
        }
      }
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async consumeLocally(key: string): Promise<LimitVerdict> {
    try {
      await this.local.consume(key);
      return ALLOWED;
    } catch (error) {
      if (error instanceof RateLimiterRes) return refused(error);
      throw error;
    }
  }

  private storeFailed(error: unknown): void {
    // At most one warning a minute: a store outage under load must not flood the logs.
    if (Date.now() - this.lastStoreWarning < 60_000) return;
    this.lastStoreWarning = Date.now();
    this.options.logger.warn(
      { limit: this.options.name, err: { message: (error as Error)?.message } },
      'rate limit store unavailable; this replica counts alone until it is back',
    );
  }
}

function refused(result: RateLimiterRes): LimitVerdict {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
}
