import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';

const oauthEnv = z.object({
  OAUTH_PORT: envSchemas.port(3002),
  OAUTH_HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  OAUTH_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name ([A-Za-z0-9_-], 1-63 chars)')
    .default('oauth'),
  KAFKA_BROKERS: envSchemas.csv(),
  /** Prefix for topic names and consumer groups; lets tests share one Kafka without colliding. */
  OAUTH_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  KAFKA_TOPIC_REPLICATION: envSchemas.topicReplication(),
  NODE_ENV: z.string().default('development'),
  /** `kid1:<base64 of 32 bytes>,kid2:...`; required when NODE_ENV=production. */
  OAUTH_ENCRYPTION_KEYS: z.string().optional(),
  /** The key id new secrets are sealed with; optional when there is one key. */
  OAUTH_ENCRYPTION_ACTIVE_KEY_ID: z.string().optional(),
  /** `true` on a developer's machine only: OAUTH_ENCRYPTION_KEYS may then be unset (a generated key). */
  INTEGRATIONS_DEV_MODE: z.enum(['true', 'false']).default('false'),
  /** With INTEGRATIONS_DEV_MODE=true, where a generated key is kept when OAUTH_ENCRYPTION_KEYS is unset. */
  OAUTH_DEV_KEY_FILE: z.string().min(1).default('.local/oauth-keys.json'),
  /** The registry, asked to complete an exchange-mode activation before the partner's token reply. */
  REGISTRY_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//i, 'must be an http:// or https:// URL')
    .default('http://127.0.0.1:3001'),
  /**
   * How long the access-token reply waits for the registry's activation completion; past it the
   * partner gets its token anyway and Kafka completes the activation.
   */
  OAUTH_REGISTRY_TIMEOUT_MS: envSchemas.durationMs(3_000),
  /** Usage counters are written and published once per integration per interval. */
  OAUTH_USAGE_FLUSH_MS: envSchemas.durationMs(5_000),
  /** Partner notifications (src/notifications): the wait after a first failed attempt (×4 per attempt, ≤ 6 h). */
  OAUTH_NOTIFY_RETRY_BASE_MS: envSchemas.durationMs(10_000),
  /** Attempts before a partner notification is abandoned (8: about 16 hours of retries by default). */
  OAUTH_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** How often the sending replica looks for due notifications. */
  OAUTH_NOTIFY_POLL_MS: envSchemas.durationMs(1_000),
  /** How often expired nonces, request tokens and revoked tokens are purged. */
  OAUTH_CLEANUP_INTERVAL_MS: envSchemas.durationMs(60_000),
});

export type OauthEnv = z.infer<typeof oauthEnv>;

export function loadOauthEnv(env: NodeJS.ProcessEnv = process.env): OauthEnv {
  return loadConfig('oauth', oauthEnv, env);
}
