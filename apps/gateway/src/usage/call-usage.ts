import { USAGE_RETENTION_DAYS, type UsageRefusalReason } from '@integrations/contracts';
import type { Logger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import { daysBefore, utcDay } from './usage-day';
import type { UsageDaysStore } from './usage-days.store';
import type { UsageResult } from './usage-outcome';

interface DayCount {
  integrationId: string;
  day: string;
  calls: number;
  refusals: Partial<Record<UsageRefusalReason, number>>;
  lastCallAt: number;
  /** Changed since it was last written. */
  dirty: boolean;
}

const PURGE_EVERY_MS = 3_600_000;

/**
 * Usage by integration and UTC day, counted in memory on the hot path (a map update per call, no
 * database write) and flushed every `GATEWAY_USAGE_FLUSH_MS` as this process's running totals, one
 * document per integration and day (usage-days.store.ts): exact across replicas, since each writes
 * only its own documents and reads sum them. Days older than USAGE_RETENTION_DAYS are purged. A
 * failed flush is retried at the next interval (the totals are `$set`, so writing them again is
 * exact); counts since the last flush are lost only if the process dies without a graceful stop.
 */
export class CallUsage {
  private readonly counts = new Map<string, DayCount>();
  /** One per process start: the documents only this process writes. */
  private readonly counter = randomUUID();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private lastPurge = 0;

  constructor(
    private readonly store: UsageDaysStore,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** One call of the integration, and how it ended. */
  record(integrationId: string, result: UsageResult): void {
    const count = this.countOf(integrationId);
    count.calls += 1;
    if (result !== 'accepted') count.refusals[result] = (count.refusals[result] ?? 0) + 1;
  }

  /**
   * A call already recorded as accepted by the checks, refused afterwards by the gateway itself
   * (a rate limit applied after the checks): counted as that refusal instead.
   */
  refusedAfterChecks(integrationId: string, reason: UsageRefusalReason): void {
    const count = this.countOf(integrationId);
    count.refusals[reason] = (count.refusals[reason] ?? 0) + 1;
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

  private countOf(integrationId: string): DayCount {
    const at = this.now();
    const day = utcDay(at);
    const key = `${integrationId}@${day}`;
    let count = this.counts.get(key);
    if (!count) {
      count = { integrationId, day, calls: 0, refusals: {}, lastCallAt: at, dirty: true };
      this.counts.set(key, count);
    }
    count.lastCallAt = Math.max(count.lastCallAt, at);
    count.dirty = true;
    return count;
  }

  private async flushDirty(): Promise<void> {
    const dirty = [...this.counts.values()].filter((count) => count.dirty);
    for (const count of dirty) count.dirty = false;
    try {
      await this.store.write(
        dirty.map((count) => ({
          integrationId: count.integrationId,
          day: count.day,
          counter: this.counter,
          calls: count.calls,
          refusals: { ...count.refusals },
          lastCallAt: new Date(count.lastCallAt),
        })),
      );
    } catch (error) {
      for (const count of dirty) count.dirty = true;
      this.logger.warn(
        { err: { name: (error as Error).name, message: (error as Error).message }, entries: dirty.length },
        'Usage flush failed; retrying at the next interval',
      );
      return;
    }
    // A past day that is written is final: this process never counts for it again.
    const today = utcDay(this.now());
    for (const [key, count] of this.counts) if (count.day < today && !count.dirty) this.counts.delete(key);
    await this.purgeIfDue();
  }

  private async purgeIfDue(): Promise<void> {
    const now = this.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    try {
      await this.store.purgeBefore(daysBefore(now, USAGE_RETENTION_DAYS - 1));
    } catch (error) {
      this.lastPurge = 0;
      this.logger.warn({ err: { message: (error as Error).message } }, 'Usage purge failed; retrying later');
    }
  }
}
