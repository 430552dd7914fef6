import type { ApiError } from '../api/api-client';

/** When a locked admin account opens again, read from ADMIN.LOCKED (`details.lockedUntil`). */
export function lockedUntil(error: ApiError): Date | null {
  if (error.code !== 'ADMIN.LOCKED') return null;
  const until = (error.data as { lockedUntil?: unknown } | undefined)?.lockedUntil;
  if (typeof until !== 'string') return null;
  const date = new Date(until);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface LockoutWhen {
  /** "2:32 PM" in the browser's locale and time zone; with the date when it is not today. */
  time: string;
  /** "in 12 minutes"; rounded up, so it never promises a minute too early. */
  fromNow: string;
}

export function lockoutWhen(until: Date, now: Date, locale?: string, timeZone?: string): LockoutWhen {
  const sameDay =
    new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone }).format(until) ===
    new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone }).format(now);
  const time = new Intl.DateTimeFormat(locale, {
    ...(sameDay ? {} : { dateStyle: 'medium' }),
    timeStyle: 'short',
    timeZone,
  }).format(until);
  const minutes = Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const fromNow =
    minutes === 0
      ? relative.format(0, 'minute')
      : minutes < 120
        ? relative.format(minutes, 'minute')
        : relative.format(Math.round(minutes / 60), 'hour');
  return { time, fromNow };
}
