import type { Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import type { OauthEventLog } from '../events/oauth-event-log';

export const USAGE_COLLECTION = 'usage';

export interface UsageDocument {
  /** Integration id. */
  _id: string;
  uses: number;
  lastUsedAt: Date;
}

interface Pending {
  uses: number;
  lastUsedAt: number;
}

/**
 * "Last used" for the admin grid without a write per call: accepted calls are counted in memory and
 * flushed every few seconds, one database update and one IntegrationUsageRecorded event per
 * integration that was used. The event carries the running total (kept in `usage`), so a lost or
 * repeated event only delays the figure. A failed flush keeps its counts for the next one; counts
 * of the last interval are lost only if the process dies without a graceful shutdown.
 */
export class UsageRecorder {
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly collection: mongoose.mongo.Collection<UsageDocument>,
    private readonly events: OauthEventLog,
    private readonly logger: Logger,
  ) {}

  record(integrationId: string, at: number = Date.now()): void {
    const entry = this.pending.get(integrationId);
    if (entry) {
      entry.uses += 1;
      if (at > entry.lastUsedAt) entry.lastUsedAt = at;
    } else {
      this.pending.set(integrationId, { uses: 1, lastUsedAt: at });
    }
  }

  /** Forgets what a deleted integration did since the last flush. */
  discard(integrationId: string): void {
    this.pending.delete(integrationId);
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
    this.flushing ??= this.flushPending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushPending(): Promise<void> {
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    for (const [integrationId, entry] of batch) {
      let totals: UsageDocument | null;
      try {
        totals = await this.collection.findOneAndUpdate(
          { _id: integrationId },
          { $inc: { uses: entry.uses }, $max: { lastUsedAt: new Date(entry.lastUsedAt) } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!totals) throw new Error('usage upsert returned no document');
      } catch (error) {
        this.restore(integrationId, entry);
        this.logger.warn({ integrationId, err: describe(error) }, 'Usage flush failed; retrying at the next interval');
        continue;
      }
      try {
        await this.events.record(
          integrationId,
          [
            {
              type: 'IntegrationUsageRecorded',
              payload: { integrationId, uses: totals.uses, lastUsedAt: totals.lastUsedAt.toISOString() },
            },
          ],
          { now: new Date(), actor: 'system', correlationId: `usage:${integrationId}:${entry.lastUsedAt}` },
        );
      } catch (error) {
        // Counted but not announced: publish the totals at the next flush, without counting again.
        this.restore(integrationId, { uses: 0, lastUsedAt: entry.lastUsedAt });
        this.logger.warn(
          { integrationId, err: describe(error) },
          'Usage event not recorded; retrying at the next interval',
        );
      }
    }
  }

  private restore(integrationId: string, entry: Pending): void {
    const current = this.pending.get(integrationId);
    if (!current) this.pending.set(integrationId, entry);
    else
      this.pending.set(integrationId, {
        uses: current.uses + entry.uses,
        lastUsedAt: Math.max(current.lastUsedAt, entry.lastUsedAt),
      });
  }
}

function describe(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
