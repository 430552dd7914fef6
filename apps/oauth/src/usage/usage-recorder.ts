import { randomUUID } from 'node:crypto';
import type { Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import type { OauthEventLog } from '../events/oauth-event-log';

export const USAGE_COUNTS_COLLECTION = 'usage_counts';
/** Totals of the single-replica versions (one `$inc`ed document per integration): read, never written. */
export const LEGACY_USAGE_COLLECTION = 'usage';

/**
 * What one process (one replica, one start) counted for one integration: `_id` is
 * `<integrationId>@<counter id>`, and only that process writes it, with `$set` of its own running
 * total. So no two writers ever touch one document (FerretDB's `$inc` is not atomic across writers:
 * two replicas flushing at once would lose counts), and a repeated write is harmless.
 */
export interface UsageCountDocument {
  _id: string;
  integrationId: string;
  counter: string;
  uses: number;
  lastUsedAt: Date;
}

export interface LegacyUsageDocument {
  /** Integration id. */
  _id: string;
  uses: number;
  lastUsedAt: Date;
}

interface Count {
  uses: number;
  lastUsedAt: number;
  /** This count changed since it was last written. */
  dirty: boolean;
}

/**
 * "Last used" for the admin grid without a write per call: accepted calls are counted in memory;
 * every few seconds each process writes its running total per used integration to its own document
 * and publishes one IntegrationUsageRecorded with the integration's total over all documents
 * (docs/adr/0006 §6). Two replicas flushing at once: the one whose write lands last sums both, and
 * the registry keeps the largest total it sees (`$max`), so the grid converges on the exact count.
 * A lost or repeated event only delays the figure. A failed flush is retried at the next interval;
 * counts of the last interval are lost only if the process dies without a graceful shutdown.
 *
 * The count is of calls signed by valid credentials (oauth's verdict); the acl may still have
 * refused some of them (an inactive integration, a resource it lacks).
 */
export class UsageRecorder {
  private readonly counts = new Map<string, Count>();
  /** One per process start: this process's documents, which only it writes. */
  private readonly counter = randomUUID();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly collection: mongoose.mongo.Collection<UsageCountDocument>,
    private readonly legacy: mongoose.mongo.Collection<LegacyUsageDocument>,
    private readonly events: OauthEventLog,
    private readonly logger: Logger,
  ) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1 }, { name: 'integration' });
  }

  record(integrationId: string, at: number = Date.now()): void {
    const count = this.counts.get(integrationId);
    if (count) {
      count.uses += 1;
      if (at > count.lastUsedAt) count.lastUsedAt = at;
      count.dirty = true;
    } else {
      this.counts.set(integrationId, { uses: 1, lastUsedAt: at, dirty: true });
    }
  }

  /** Forgets a deleted integration (its documents stay, as history). */
  discard(integrationId: string): void {
    this.counts.delete(integrationId);
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and flushes what is left (graceful shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  flush(): Promise<void> {
    // One flush at a time: a slow database must not stack them up.
    this.flushing ??= this.flushDirty().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushDirty(): Promise<void> {
    for (const [integrationId, count] of this.counts) {
      if (!count.dirty) continue;
      count.dirty = false;
      try {
        await this.collection.updateOne(
          { _id: `${integrationId}@${this.counter}` },
          {
            $set: {
              integrationId,
              counter: this.counter,
              uses: count.uses,
              lastUsedAt: new Date(count.lastUsedAt),
            },
          },
          { upsert: true },
        );
        const total = await this.totalOf(integrationId);
        await this.events.record(
          integrationId,
          [
            {
              type: 'IntegrationUsageRecorded',
              payload: { integrationId, uses: total.uses, lastUsedAt: total.lastUsedAt.toISOString() },
            },
          ],
          {
            now: new Date(),
            actor: 'system',
            correlationId: `usage:${integrationId}:${this.counter}:${count.uses}`,
          },
        );
      } catch (error) {
        // The write is a `$set` of the running total: writing it again next time is exact.
        count.dirty = true;
        this.logger.warn({ integrationId, err: describe(error) }, 'Usage flush failed; retrying at the next interval');
      }
    }
  }

  /** The integration's total over every process that counted it (and the pre-replica total). */
  private async totalOf(integrationId: string): Promise<{ uses: number; lastUsedAt: Date }> {
    const [documents, legacy] = await Promise.all([
      this.collection.find({ integrationId }, { projection: { uses: 1, lastUsedAt: 1 } }).toArray(),
      this.legacy.findOne({ _id: integrationId }),
    ]);
    let uses = legacy?.uses ?? 0;
    let lastUsedAt = legacy?.lastUsedAt?.getTime() ?? 0;
    for (const document of documents) {
      uses += document.uses;
      lastUsedAt = Math.max(lastUsedAt, document.lastUsedAt.getTime());
    }
    return { uses, lastUsedAt: new Date(lastUsedAt) };
  }
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
