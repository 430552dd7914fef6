import {
  type IntegrationUsage,
  USAGE_REFUSAL_REASONS,
  type UsageDay,
  type UsageRefusalReason,
} from '@integrations/contracts';
import { daysBefore } from './usage-day';
import type { UsageDayDocument } from './usage-days.store';

/** The first day of a window of `days` UTC days ending today (the day of `now`). */
export function windowStart(now: number, days: number): string {
  return daysBefore(now, days - 1);
}

/**
 * The usage reply from every replica's documents of the window: summed per day, every day of the
 * window present (0 when nothing was counted), oldest first.
 */
export function usageReport(
  integrationId: string,
  documents: readonly UsageDayDocument[],
  now: number,
  days: number,
): IntegrationUsage {
  const from = windowStart(now, days);
  const to = daysBefore(now, 0);
  const byDay = new Map<string, { calls: number; refused: number }>();
  const refusals = Object.fromEntries(USAGE_REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<
    UsageRefusalReason,
    number
  >;
  let lastCallAt = 0;
  for (const document of documents) {
    if (document.day < from || document.day > to) continue;
    const day = byDay.get(document.day) ?? { calls: 0, refused: 0 };
    day.calls += document.calls;
    for (const reason of USAGE_REFUSAL_REASONS) {
      const refused = document.refusals?.[reason] ?? 0;
      day.refused += refused;
      refusals[reason] += refused;
    }
    byDay.set(document.day, day);
    lastCallAt = Math.max(lastCallAt, document.lastCallAt.getTime());
  }
  const daily: UsageDay[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const date = daysBefore(now, back);
    const { calls, refused } = byDay.get(date) ?? { calls: 0, refused: 0 };
    daily.push({ date, calls, accepted: Math.max(0, calls - refused), refused });
  }
  const totals = daily.reduce(
    (sum, day) => ({
      calls: sum.calls + day.calls,
      accepted: sum.accepted + day.accepted,
      refused: sum.refused + day.refused,
    }),
    { calls: 0, accepted: 0, refused: 0 },
  );
  return {
    integrationId,
    from,
    to,
    daily,
    totals,
    refusals,
    lastCallAt: lastCallAt === 0 ? null : new Date(lastCallAt).toISOString(),
  };
}
