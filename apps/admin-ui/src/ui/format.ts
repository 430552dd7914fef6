import type { IntlShape } from 'react-intl';

/** A date and time in the interface locale ("Nov 28, 2026, 6:30 AM", "28 nov. 2026, 06:30"). */
export function formatDateTime(intl: IntlShape, iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : intl.formatDate(date, { dateStyle: 'medium', timeStyle: 'short' });
}

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "5 minutes ago" / "il y a 5 minutes"; the exact time goes in a title/`<time>` next to it. */
export function formatRelative(intl: IntlShape, iso: string, now = Date.now()): string {
  let amount = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return intl.formatRelativeTime(Math.round(amount), unit, { numeric: 'auto' });
    amount /= size;
  }
  return formatDateTime(intl, iso);
}
