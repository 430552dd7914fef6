import type { RateLimit } from '@integrations/contracts';
import type { Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import { RateLimiterMemory, RateLimiterMongo, type RateLimiterRes } from 'rate-limiter-flexible';
import { RATE_LIMITS_COLLECTION } from './shared-limit';

/** How one call of an integration fared against its rate limit, and what to tell the caller. */
export interface IntegrationLimitVerdict {
  allowed: boolean;
  /** Calls a minute (X-RateLimit-Limit). */
  limit: number;
  /** Calls left in the current minute window after this one (X-RateLimit-Remaining). */
  remaining: number;
  /** When the minute window ends, in epoch seconds (X-RateLimit-Reset). */
  resetAt: number;
  /** Whole seconds until a call may succeed (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
  /** The window that refused: the minute's, or the burst's (one second). */
  refusedBy?: 'minute' | 'second';
}

/** Counts, not limits: every limit is compared here, so a changed limit needs no new counter. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

interface Counted {
  /** This call's rank in the window, across replicas (at least this replica's own count). */
  count: number;
  msBeforeNext: number;
}

/**
 * One fixed window ("calls per `windowSeconds` per integration"), counted like the gateway's other
 * limits (docs/adr/0007 §1) in the shared `rate_limits` collection, so every replica sees every
 * replica's calls:
 * - the calls of one integration that reach this replica while a count is in flight go to the store
 *   together (one `$inc` by n), each taking its rank in the batch: a burst costs a write per round
 *   trip, not per call, and FerretDB's non-atomic `$inc` loses nothing within a replica;
 * - a replica's own count (memory) is a floor under the store's answer, so a lost increment between
 *   replicas on FerretDB never lets one replica past the limit on its own;
 * - once a key is over its limit the replica refuses from memory until the window ends: a flood
 *   costs no database write.
 * When the store cannot be reached the replica's own count decides (logged once a minute).
 */
class SharedWindow {
  private readonly local: RateLimiterMemory;
  private readonly shared: RateLimiterMongo;
  private readonly waiting = new Map<string, Array<(counted: Counted | null) => void>>();
  private readonly inFlight = new Set<string>();
  /** Keys seen over their limit, until when (epoch ms) and at which count. */
  private readonly overUntil = new Map<string, { until: number; count: number }>();

  constructor(
    readonly windowSeconds: number,
    name: string,
    client: mongoose.mongo.MongoClient,
    dbName: string,
    private readonly storeFailed: (error: unknown) => void,
  ) {
    const options = { keyPrefix: name, points: UNBOUNDED, duration: windowSeconds };
    this.local = new RateLimiterMemory(options);
    this.shared = new RateLimiterMongo({
      ...options,
      storeClient: client,
      dbName,
      tableName: RATE_LIMITS_COLLECTION,
      // Our own indexes and sweeper (rate-limits.ts): FerretDB has no TTL index.
      disableIndexesCreation: true,
    });
  }

  /** Already over `limit` in this window, per this replica's memory: refused without counting. */
  knownOver(key: string, limit: number, now: number): { msBeforeNext: number } | null {
    const over = this.overUntil.get(key);
    if (!over) return null;
    if (over.until <= now) {
      this.overUntil.delete(key);
      return null;
    }
    // A raised limit is asked of the store again.
    return over.count >= limit ? { msBeforeNext: over.until - now } : null;
  }

  async count(key: string, limit: number): Promise<Counted> {
    const [local, shared] = await Promise.all([this.local.consume(key), this.countShared(key)]);
    const counted = {
      count: Math.max(local.consumedPoints, shared?.count ?? 0),
      msBeforeNext: shared?.msBeforeNext ?? local.msBeforeNext,
    };
    if (counted.count >= limit)
      this.overUntil.set(key, { until: Date.now() + counted.msBeforeNext, count: counted.count });
    return counted;
  }

  forgetEnded(now: number): void {
    for (const [key, over] of this.overUntil) if (over.until <= now) this.overUntil.delete(key);
  }

  /** null when the store failed: the local count decides alone. */
  private countShared(key: string): Promise<Counted | null> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push(resolve);
      else this.waiting.set(key, [resolve]);
      if (!this.inFlight.has(key)) void this.flush(key);
    });
  }

  private async flush(key: string): Promise<void> {
    this.inFlight.add(key);
    try {
      for (let batch = this.waiting.get(key); batch?.length; batch = this.waiting.get(key)) {
        this.waiting.delete(key);
        let result: RateLimiterRes | null = null;
        try {
          result = await this.shared.consume(key, batch.length);
        } catch (error) {
          this.storeFailed(error);
        }
        batch.forEach((resolve, i) =>
          resolve(
            result && {
              count: result.consumedPoints - batch.length + i + 1,
              msBeforeNext: result.msBeforeNext,
            },
          ),
        );
      }
    } finally {
      this.inFlight.delete(key);
    }
  }
}

/**
 * Each integration's own rate limit on the protected API (docs/adr/0010): at most
 * `requestsPerMinute` calls in a minute and `burst` in one second, counted across every gateway
 * replica. The limit itself travels with the acl's decision for the call (its own, or the platform
 * default), so a change applies from the next call on. Only calls the checks allowed are counted: a
 * refused one (bad signature, suspended…) spends nothing of the partner's budget.
 */
export class IntegrationRateLimits {
  private readonly minute: SharedWindow;
  private readonly second: SharedWindow;
  private lastStoreWarning = 0;

  constructor(
    client: mongoose.mongo.MongoClient,
    dbName: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const failed = (error: unknown) => this.storeFailed(error);
    this.minute = new SharedWindow(60, 'rest-integration-minute', client, dbName, failed);
    this.second = new SharedWindow(1, 'rest-integration-second', client, dbName, failed);
  }

  async consume(integrationId: string, limit: RateLimit): Promise<IntegrationLimitVerdict> {
    const now = this.now();
    // A burst as large as the minute's limit adds nothing: not counted.
    const burst = limit.burst < limit.requestsPerMinute ? limit.burst : null;
    const minuteOver = this.minute.knownOver(integrationId, limit.requestsPerMinute, now);
    if (minuteOver) return this.refused(limit, 'minute', minuteOver.msBeforeNext, 0, minuteOver.msBeforeNext, now);
    const secondOver = burst === null ? null : this.second.knownOver(integrationId, burst, now);
    if (secondOver) return this.refused(limit, 'second', secondOver.msBeforeNext, null, null, now);

    const [minute, second] = await Promise.all([
      this.minute.count(integrationId, limit.requestsPerMinute),
      burst === null ? null : this.second.count(integrationId, burst),
    ]);
    const remaining = Math.max(0, limit.requestsPerMinute - minute.count);
    if (minute.count > limit.requestsPerMinute)
      return this.refused(limit, 'minute', minute.msBeforeNext, remaining, minute.msBeforeNext, now);
    if (second && burst !== null && second.count > burst)
      return this.refused(limit, 'second', second.msBeforeNext, remaining, minute.msBeforeNext, now);
    return {
      allowed: true,
      limit: limit.requestsPerMinute,
      remaining,
      resetAt: Math.ceil((now + minute.msBeforeNext) / 1000),
      retryAfterSeconds: 0,
    };
  }

  /** Forgets ended windows (the rate limit sweeper calls it). */
  forgetEnded(now = this.now()): void {
    this.minute.forgetEnded(now);
    this.second.forgetEnded(now);
  }

  private refused(
    limit: RateLimit,
    refusedBy: 'minute' | 'second',
    retryMs: number,
    remaining: number | null,
    minuteMs: number | null,
    now: number,
  ): IntegrationLimitVerdict {
    return {
      allowed: false,
      limit: limit.requestsPerMinute,
      remaining: remaining ?? 0,
      // A burst refusal known from memory does not know the minute's window: say "one second".
      resetAt: Math.ceil((now + (minuteMs ?? retryMs)) / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)),
      refusedBy,
    };
  }

  private storeFailed(error: unknown): void {
    if (this.now() - this.lastStoreWarning < 60_000) return;
    this.lastStoreWarning = this.now();
    this.logger.warn(
      { limit: 'rest-integration', err: { message: (error as Error)?.message } },
      'rate limit store unavailable; this replica counts integrations alone until it is back',
    );
  }
}
