/** UTC day of an instant, `YYYY-MM-DD`: usage is kept per UTC day. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** The UTC day `days` days before the day of `at` (0: that day). */
export function daysBefore(at: number, days: number): string {
  return utcDay(Date.UTC(...utcParts(at)) - days * DAY_MS);
}

function utcParts(at: number): [number, number, number] {
  const date = new Date(at);
  return [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
}
