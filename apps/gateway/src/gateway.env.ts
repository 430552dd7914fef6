import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';
import { type RateLimitSettings, rateLimitEnvShape, rateLimitSettingsFrom } from './rate-limit/rate-limit.config';

/** The placeholder docs/nginx/nginx.conf ships with: refused, so that nobody runs with it. */
export const AUTH_DECISION_SECRET_EXAMPLE = 'replace-me-with-the-gateways-GATEWAY_AUTH_DECISION_SECRET';

/**
 * Gateway configuration, read once at boot from the environment. Keys are the variable names so a
 * bad value is reported by name (fail fast).
 */
const gatewayEnvSchema = z
  .object({
    GATEWAY_PORT: envSchemas.port(8080),
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
    GATEWAY_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name ([A-Za-z0-9_-], at most 63)')
      .default('gateway'),
    REGISTRY_URL: z
      .string()
      .url()
      .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
      .default('http://127.0.0.1:3001'),
    REGISTRY_TIMEOUT_MS: envSchemas.durationMs(10_000),
    ADMIN_USERNAME: z.string().optional(),
    ADMIN_PASSWORD: z.string().optional(),
    // Magento's admin session lifetime (admin/security/session_lifetime) is 900 s of inactivity.
    ADMIN_SESSION_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    // Even an active session ends after this; a stolen token cannot be kept alive forever.
    ADMIN_SESSION_MAX_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .default(8 * 3600),
    ADMIN_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(6),
    // Fractions allowed (tests use a few seconds); Magento's default is 30 minutes.
    ADMIN_LOCKOUT_MINUTES: z.coerce
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(30),
    ADMIN_CREDENTIALS_FILE: z.string().min(1).default('.local/admin-credentials.json'),
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 64kb, 1mb or 2048b')
      .default('64kb'),
    // Activation, settings, ACL resources and the protected path (src/activation, src/settings,
    // src/acl-resources, src/protected-api).
    OAUTH_URL: serviceUrl('http://127.0.0.1:3002'),
    ACL_URL: serviceUrl('http://127.0.0.1:3003'),
    CONFIG_URL: serviceUrl('http://127.0.0.1:3004'),
    /** What partners and API clients call (store_base_url, success_call_back); default http://<GATEWAY_HOST>:<GATEWAY_PORT>. */
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .regex(/^https?:\/\/[^/?#]+\/?$/i, 'must be an http:// or https:// origin, e.g. https://shop.example.com')
      .optional(),
    /** Base URL of the commerce API; else the one the acl service's route map names. */
    UPSTREAM_COMMERCE_URL: serviceUrl().optional(),
    /**
     * Shared with the NGINX in front (docs/nginx-auth-request.md): `GET /auth/decision` answers only
     * requests carrying it in X-Auth-Decision-Secret. Unset: the endpoint answers 404 to everyone.
     */
    GATEWAY_AUTH_DECISION_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
      .max(256)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it travels in a header)')
      .refine((value) => value !== AUTH_DECISION_SECRET_EXAMPLE, {
        message: 'is the example value of docs/nginx/nginx.conf; generate your own (e.g. `openssl rand -hex 32`)',
      })
      .optional(),
    /** How often each gateway writes the usage it counted (src/usage); the usage API lags by up to this. */
    GATEWAY_USAGE_FLUSH_MS: envSchemas.durationMs(5_000),
    /** Benchmarks only: /rest/* skips signature and ACL checks. Needs INTEGRATIONS_DEV_MODE=true. */
    GATEWAY_BENCH_AUTH_DISABLED: z.enum(['true', 'false']).default('false'),
    /** A developer's machine: allows what must never run elsewhere (the benchmark switch above). */
    INTEGRATIONS_DEV_MODE: z.enum(['true', 'false']).default('false'),
    /**
     * Strict-Transport-Security max-age on every answer, for deployments that end TLS in front of
     * the gateway (0: not sent; browsers ignore it over plain http anyway).
     */
    GATEWAY_HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(63_072_000).default(0),
    ...rateLimitEnvShape,
    NODE_ENV: z.string().default('development'),
  })
  .superRefine((env, ctx) => {
    // Safe unless told otherwise: forgetting a variable must never leave the API open.
    if (
      env.GATEWAY_BENCH_AUTH_DISABLED === 'true' &&
      (env.INTEGRATIONS_DEV_MODE !== 'true' || env.NODE_ENV === 'production')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEWAY_BENCH_AUTH_DISABLED'],
        message:
          'switches off every API check: it is refused unless INTEGRATIONS_DEV_MODE=true (a development machine), and always when NODE_ENV=production',
      });
    }
    // Half a bootstrap admin is a mistake worth stopping for, not something to guess around.
    if (Boolean(env.ADMIN_USERNAME) !== Boolean(env.ADMIN_PASSWORD)) {
      const missing = env.ADMIN_USERNAME ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'set both ADMIN_USERNAME and ADMIN_PASSWORD, or neither',
      });
    }
  });

export interface GatewayEnv {
  port: number;
  host: string;
  mongoUrl: string;
  database: string;
  registryUrl: string;
  registryTimeoutMs: number;
  bootstrapAdmin?: { username: string; password: string };
  credentialsFile: string;
  session: { idleTtlSeconds: number; maxLifetimeSeconds: number };
  lockout: { threshold: number; durationMs: number };
  bodyLimit: string;
  oauthUrl: string;
  aclUrl: string;
  configUrl: string;
  /** Unset: http://<host>:<the port actually listened on>. */
  publicBaseUrl?: string;
  /** Upstream base URLs by the route map's upstream name (`commerce`), overriding the acl service's. */
  upstreamUrls: Record<string, string>;
  /** Benchmarks only (GATEWAY_BENCH_AUTH_DISABLED). */
  benchAuthDisabled: boolean;
  /** GATEWAY_HSTS_MAX_AGE_SECONDS; 0 = no Strict-Transport-Security header. */
  hstsMaxAgeSeconds: number;
  rateLimits: RateLimitSettings;
  /** GATEWAY_AUTH_DECISION_SECRET; unset: `GET /auth/decision` is off. */
  authDecisionSecret?: string;
  /** GATEWAY_USAGE_FLUSH_MS. */
  usageFlushMs: number;
}

/** BODY_LIMIT in bytes (`64kb` is 65,536, as the express body parser counts). */
export function bodyLimitBytes(limit: string): number {
  const [, amount, unit] = /^(\d+)(b|kb|mb)$/i.exec(limit) ?? [];
  if (amount === undefined) throw new Error(`BODY_LIMIT: must look like 64kb, 1mb or 2048b (got ${limit})`);
  const scale = { b: 1, kb: 1024, mb: 1024 * 1024 }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(amount) * scale;
}

function serviceUrl(fallback?: string) {
  const url = z
    .string()
    .url()
    .regex(/^https?:\/\//i, 'must be an http:// or https:// URL');
  return fallback === undefined ? url : url.default(fallback);
}

export function loadGatewayEnv(env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const parsed = loadConfig('gateway', gatewayEnvSchema as unknown as z.ZodObject<z.ZodRawShape>, env) as z.infer<
    typeof gatewayEnvSchema
  >;
  return {
    port: parsed.GATEWAY_PORT,
    host: parsed.GATEWAY_HOST,
    mongoUrl: parsed.MONGO_URL,
    database: parsed.GATEWAY_DB,
    registryUrl: parsed.REGISTRY_URL.replace(/\/+$/, ''),
    registryTimeoutMs: parsed.REGISTRY_TIMEOUT_MS,
    bootstrapAdmin:
      parsed.ADMIN_USERNAME && parsed.ADMIN_PASSWORD
        ? { username: parsed.ADMIN_USERNAME, password: parsed.ADMIN_PASSWORD }
        : undefined,
    credentialsFile: parsed.ADMIN_CREDENTIALS_FILE,
    session: {
      idleTtlSeconds: parsed.ADMIN_SESSION_TTL_SECONDS,
      maxLifetimeSeconds: parsed.ADMIN_SESSION_MAX_SECONDS,
    },
    lockout: {
      threshold: parsed.ADMIN_LOCKOUT_THRESHOLD,
      durationMs: Math.round(parsed.ADMIN_LOCKOUT_MINUTES * 60_000),
    },
    bodyLimit: parsed.BODY_LIMIT,
    oauthUrl: parsed.OAUTH_URL.replace(/\/+$/, ''),
    aclUrl: parsed.ACL_URL.replace(/\/+$/, ''),
    configUrl: parsed.CONFIG_URL.replace(/\/+$/, ''),
    publicBaseUrl: parsed.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    upstreamUrls: parsed.UPSTREAM_COMMERCE_URL ? { commerce: parsed.UPSTREAM_COMMERCE_URL.replace(/\/+$/, '') } : {},
    benchAuthDisabled: parsed.GATEWAY_BENCH_AUTH_DISABLED === 'true',
    hstsMaxAgeSeconds: parsed.GATEWAY_HSTS_MAX_AGE_SECONDS,
    rateLimits: rateLimitSettingsFrom(parsed),
    authDecisionSecret: parsed.GATEWAY_AUTH_DECISION_SECRET,
    usageFlushMs: parsed.GATEWAY_USAGE_FLUSH_MS,
  };
}
