import { DomainError } from '@integrations/service-kit';
import type { ServerResponse } from 'node:http';

/**
 * The 429 of each surface, in that surface's usual error shape, always with Retry-After:
 * - admin API: our `{error: {code, message, details}}`;
 * - /oauth/token/*: Magento's form body `oauth_problem=<message>` (what its token endpoints answer);
 * - /rest: Magento's REST error `{message, parameters}`.
 */
export const RATE_LIMITED = 'REQUEST.RATE_LIMITED';

export function tooManySignIns(retryAfterSeconds: number): DomainError {
  return new DomainError(
    RATE_LIMITED,
    `Too many sign-in attempts. Wait ${retryAfterSeconds} seconds, then try again.`,
    429,
    { retryAfterSeconds },
  );
}

export function sendTokenExchangeRateLimited(res: ServerResponse, retryAfterSeconds: number): void {
  res.statusCode = 429;
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.setHeader('Content-Type', 'application/x-www-form-urlencoded');
  res.setHeader('Cache-Control', 'no-store');
  res.end(
    new URLSearchParams({
      oauth_problem: `Too many token requests from this address. Try again in ${retryAfterSeconds} seconds.`,
    }).toString(),
  );
}

export function sendRestRateLimited(res: ServerResponse, retryAfterSeconds: number): void {
  res.statusCode = 429;
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(
    JSON.stringify({
      message: 'Too many requests without credentials from this address. Try again in %seconds seconds.',
      parameters: { seconds: retryAfterSeconds },
    }),
  );
}
