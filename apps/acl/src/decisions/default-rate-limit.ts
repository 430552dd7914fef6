import type { RateLimit, SettingPath, Settings } from '@integrations/contracts';

export const DEFAULT_RATE_LIMIT_SETTINGS = {
  perMinute: 'integrations/rate_limit/requests_per_minute',
  burst: 'integrations/rate_limit/burst',
} as const;

/**
 * The platform's rate limit for integrations without their own (docs/adr/0010), from the settings:
 * none when requests per minute is 0; a burst of 0 (or above the minute's) means no limit per second
 * beyond the minute's own.
 */
export function defaultRateLimit(settings: { get<P extends SettingPath>(path: P): Settings[P] }): RateLimit | null {
  const requestsPerMinute = settings.get(DEFAULT_RATE_LIMIT_SETTINGS.perMinute);
  if (requestsPerMinute <= 0) return null;
  const burst = settings.get(DEFAULT_RATE_LIMIT_SETTINGS.burst);
  return { requestsPerMinute, burst: burst > 0 ? Math.min(burst, requestsPerMinute) : requestsPerMinute };
}
