import { createLogger } from '@integrations/service-kit';
import { CallUsage } from './call-usage';
import type { UsageDaysStore, UsageDayTotals } from './usage-days.store';

/** The store's writes as they arrive; `failNext` makes the next write fail (a database down). */
class RecordingStore {
  readonly writes: UsageDayTotals[][] = [];
  readonly purges: string[] = [];
  failNext = false;
  async write(totals: readonly UsageDayTotals[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database down');
    }
    this.writes.push(totals.map((total) => ({ ...total, refusals: { ...total.refusals } })));
  }
  async purgeBefore(day: string): Promise<number> {
    this.purges.push(day);
    return 0;
  }
}

describe('CallUsage', () => {
  let now: number;
  let store: RecordingStore;
  let usage: CallUsage;
  beforeEach(() => {
    now = Date.parse('2026-12-08T23:59:58Z');
    store = new RecordingStore();
    usage = new CallUsage(store as unknown as UsageDaysStore, createLogger('test', 'silent'), () => now);
  });

  it('writes running totals of what changed since the last flush, nothing when nothing did', async () => {
    usage.record('a', 'accepted');
    usage.record('a', 'signature');
    usage.record('b', 'acl');
    await usage.flush();
    expect(store.writes).toHaveLength(1);
    expect(
      store.writes[0].map(({ integrationId, day, calls, refusals }) => ({ integrationId, day, calls, refusals })),
    ).toEqual([
      { integrationId: 'a', day: '2026-12-08', calls: 2, refusals: { signature: 1 } },
      { integrationId: 'b', day: '2026-12-08', calls: 1, refusals: { acl: 1 } },
    ]);
    usage.record('a', 'accepted');
    await usage.flush();
    expect(store.writes[1]).toEqual([expect.objectContaining({ integrationId: 'a', calls: 3 })]);
    await usage.flush();
    expect(store.writes[2]).toEqual([]);
  });

  it('writes the same totals again after a failed flush (a $set, so exact)', async () => {
    usage.record('a', 'accepted');
    store.failNext = true;
    await usage.flush();
    expect(store.writes).toEqual([]);
    usage.record('a', 'accepted');
    await usage.flush();
    expect(store.writes[0]).toEqual([expect.objectContaining({ integrationId: 'a', calls: 2 })]);
  });

  it('counts per UTC day, keeps one process id for its documents, and forgets a past day once written', async () => {
    usage.record('a', 'accepted');
    now += 4_000; // past midnight UTC
    usage.record('a', 'route');
    await usage.flush();
    const [written] = store.writes;
    expect(written.map((total) => [total.day, total.calls])).toEqual([
      ['2026-12-08', 1],
      ['2026-12-09', 1],
    ]);
    expect(new Set(written.map((total) => total.counter)).size).toBe(1);
    usage.record('a', 'accepted');
    await usage.flush();
    // Yesterday is final: only today is written again.
    expect(store.writes[1]).toEqual([expect.objectContaining({ day: '2026-12-09', calls: 2 })]);
  });

  it('counts a refusal decided after the checks without counting the call twice', async () => {
    usage.record('a', 'accepted');
    usage.refusedAfterChecks('a', 'rateLimit');
    await usage.flush();
    expect(store.writes[0]).toEqual([expect.objectContaining({ calls: 1, refusals: { rateLimit: 1 } })]);
  });

  it('purges the days past the 30 kept, at most once an hour', async () => {
    usage.record('a', 'accepted');
    await usage.flush();
    await usage.flush();
    expect(store.purges).toEqual(['2026-11-09']);
  });
});
