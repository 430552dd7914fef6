import { IntegrationUsageSchema } from '@integrations/contracts';
import { usageReport, windowStart } from './integration-usage.report';
import type { UsageDayDocument } from './usage-days.store';

const NOW = Date.parse('2026-12-08T15:00:00Z');
const doc = (day: string, counter: string, calls: number, refusals: UsageDayDocument['refusals'], last: string) => ({
  _id: `i@${day}@${counter}`,
  integrationId: 'i',
  day,
  counter,
  calls,
  refusals,
  lastCallAt: new Date(last),
});

describe('usageReport', () => {
  it('sums every replica per day, every day of the window present, oldest first', () => {
    const report = usageReport(
      'i',
      [
        doc('2026-12-08', 'a', 10, { signature: 2 }, '2026-12-08T14:00:00Z'),
        doc('2026-12-08', 'b', 5, { acl: 1, route: 1 }, '2026-12-08T14:30:00Z'),
        doc('2026-12-02', 'a', 3, {}, '2026-12-02T09:00:00Z'),
      ],
      NOW,
      7,
    );
    expect(IntegrationUsageSchema.parse(report)).toEqual(report);
    expect(report.from).toBe('2026-12-02');
    expect(report.to).toBe('2026-12-08');
    expect(report.daily.map((d) => d.date)).toEqual([
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
      '2026-12-08',
    ]);
    expect(report.daily[0]).toEqual({ date: '2026-12-02', calls: 3, accepted: 3, refused: 0 });
    expect(report.daily[6]).toEqual({ date: '2026-12-08', calls: 15, accepted: 11, refused: 4 });
    expect(report.totals).toEqual({ calls: 18, accepted: 14, refused: 4 });
    expect(report.refusals).toEqual({ signature: 2, acl: 1, route: 1, rateLimit: 0, ip: 0, expired: 0, suspended: 0 });
    expect(report.lastCallAt).toBe('2026-12-08T14:30:00.000Z');
  });

  it('leaves out days outside the window, and has no last call without calls', () => {
    const report = usageReport('i', [doc('2026-12-01', 'a', 3, {}, '2026-12-01T09:00:00Z')], NOW, 7);
    expect(report.totals.calls).toBe(0);
    expect(report.lastCallAt).toBeNull();
  });

  it('starts a window of n days n-1 days before today (UTC), across months and years', () => {
    expect(windowStart(NOW, 1)).toBe('2026-12-08');
    expect(windowStart(NOW, 30)).toBe('2026-11-09');
    expect(windowStart(Date.parse('2027-01-03T00:30:00Z'), 5)).toBe('2026-12-30');
  });
});
