import { z } from 'zod';

/**
 * `GET /admin/v1/integrations/{id}/usage` (gateway admin API): an integration's calls through the
 * protected API per UTC day, its last call, and its refused calls by reason. Counted by the gateways
 * from the outcomes of their checks (apps/gateway/src/usage), flushed every few seconds: a figure
 * may lag the calls by that interval.
 */

/** How many days are kept and can be asked for (today included). */
export const USAGE_RETENTION_DAYS = 30;

/**
 * Why a call of the integration was refused:
 * - `signature`: oauth refused the credentials (bad signature, used nonce, revoked token, …);
 * - `acl`: the acl refused the caller (inactive integration, resource not granted);
 * - `route`: no route matches (404);
 * - `rateLimit`, `ip`, `expired`, `suspended`: the integration's own controls.
 */
export const UsageRefusalReason = z.enum(['signature', 'acl', 'route', 'rateLimit', 'ip', 'expired', 'suspended']);
export type UsageRefusalReason = z.infer<typeof UsageRefusalReason>;
export const USAGE_REFUSAL_REASONS = UsageRefusalReason.options;

const count = z.number().int().nonnegative();

/** The query: `days` (1 to 30, default 30), the most recent UTC days, today included. */
export const IntegrationUsageQuerySchema = z.strictObject({
  days: z
    .string({ error: 'days must be given once, as a whole number' })
    .regex(/^\d{1,3}$/, 'days must be a whole number')
    .transform(Number)
    .refine((days) => days >= 1 && days <= USAGE_RETENTION_DAYS, `days must be between 1 and ${USAGE_RETENTION_DAYS}`)
    .optional(),
});
export type IntegrationUsageQuery = z.output<typeof IntegrationUsageQuerySchema>;

const isoDate = z.iso.date();

export const UsageDaySchema = z.strictObject({
  /** UTC date, `YYYY-MM-DD`. */
  date: isoDate,
  /** Every call made with the integration's credentials that day, accepted or refused. */
  calls: count,
  accepted: count,
  refused: count,
});
export type UsageDay = z.infer<typeof UsageDaySchema>;

export const IntegrationUsageSchema = z.strictObject({
  integrationId: z.string().min(1),
  /** First and last UTC day of the window (inclusive); `daily` holds every day between, oldest first. */
  from: isoDate,
  to: isoDate,
  daily: z.array(UsageDaySchema),
  totals: z.strictObject({ calls: count, accepted: count, refused: count }),
  /** Refused calls over the window, by reason (every reason present, 0 when none). */
  refusals: z.strictObject(
    Object.fromEntries(USAGE_REFUSAL_REASONS.map((reason) => [reason, count])) as Record<
      UsageRefusalReason,
      typeof count
    >,
  ),
  /** The last call in the window, accepted or refused; null when there was none. */
  lastCallAt: z.iso.datetime({ offset: true }).nullable(),
});
export type IntegrationUsage = z.infer<typeof IntegrationUsageSchema>;
