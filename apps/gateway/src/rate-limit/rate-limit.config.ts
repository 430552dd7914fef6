import { z } from 'zod';

/**
 * The gateway's rate limits (docs/adr/0007-rate-limits.md). Deployment settings read at boot, like
 * the lockout: an admin session must not be able to lift the limits that protect the sign-in.
 * Each limit is "at most N requests per window per key"; 0 switches that limit off.
 */
export interface RateLimitSettings {
  /** Window of every limit, in seconds. */
  windowSeconds: number;
  /** POST /admin/v1/auth/login, by client address. */
  loginPerAddress: number;
  /** POST /admin/v1/auth/login, by (normalised) username, whether or not the account exists. */
  loginPerAccount: number;
  /** /oauth/token/request and /oauth/token/access, by client address. */
  tokenExchangePerAddress: number;
  /** /rest calls without an Authorization header, by client address. */
  anonymousRestPerAddress: number;
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR ranges, or
   * `loopback`, `linklocal`, `uniquelocal`). Empty: the client is the connection's peer.
   */
  trustedProxies: string[];
}

const limit = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);

/** Merged into the gateway's environment schema (gateway.env.ts). */
export const rateLimitEnvShape = {
  GATEWAY_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // An office behind one NAT signs in a few times a minute; a password sprayer needs thousands.
  GATEWAY_RATE_LIMIT_LOGIN_PER_ADDRESS: limit(20),
  // Above the lockout threshold (6), so a person mistyping meets the lockout's message first.
  GATEWAY_RATE_LIMIT_LOGIN_PER_ACCOUNT: limit(10),
  GATEWAY_RATE_LIMIT_TOKEN_PER_ADDRESS: limit(60),
  GATEWAY_RATE_LIMIT_ANONYMOUS_REST_PER_ADDRESS: limit(600),
  GATEWAY_TRUSTED_PROXIES: z
    .string()
    .default('')
    .refine(
      (value) => value.split(',').every((entry) => entry.trim() === '' || TRUSTED_PROXY_ENTRY.test(entry.trim())),
      'must be a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    ),
};

const TRUSTED_PROXY_ENTRY = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/i;

type RateLimitEnv = { [K in keyof typeof rateLimitEnvShape]: z.infer<(typeof rateLimitEnvShape)[K]> };

export function rateLimitSettingsFrom(env: RateLimitEnv): RateLimitSettings {
  return {
    windowSeconds: env.GATEWAY_RATE_LIMIT_WINDOW_SECONDS,
    loginPerAddress: env.GATEWAY_RATE_LIMIT_LOGIN_PER_ADDRESS,
    loginPerAccount: env.GATEWAY_RATE_LIMIT_LOGIN_PER_ACCOUNT,
    tokenExchangePerAddress: env.GATEWAY_RATE_LIMIT_TOKEN_PER_ADDRESS,
    anonymousRestPerAddress: env.GATEWAY_RATE_LIMIT_ANONYMOUS_REST_PER_ADDRESS,
    trustedProxies: env.GATEWAY_TRUSTED_PROXIES.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  };
}
