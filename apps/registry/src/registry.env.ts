import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';

const registryEnv = z.object({
  REGISTRY_PORT: envSchemas.port(3001),
  REGISTRY_HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  REGISTRY_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name ([A-Za-z0-9_-], 1-63 chars)')
    .default('registry'),
  KAFKA_BROKERS: envSchemas.csv(),
  KAFKA_TOPIC_REPLICATION: envSchemas.topicReplication(),
  ACL_CATALOG_FILE: z.string().min(1).default('config/acl-resources.json'),
  /**
   * The acl service, told of every access change before a command replies (docs/adr/0006 §2): a hold
   * before a narrowing command commits, the access snapshot after any command that changes access.
   */
  ACL_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+/, 'must be an http:// or https:// URL, e.g. http://acl:3003')
    .default('http://127.0.0.1:3003'),
  /** Longest one call to the acl may take (hold, release, snapshot) before it counts as failed. */
  ACCESS_SYNC_TIMEOUT_MS: envSchemas.durationMs(2_000),
  /**
   * Declarative integrations (integration/manifest/): a JSON file applied at every start. Unset or
   * empty: none (config-type integrations created by an earlier manifest are then left as they are).
   */
  INTEGRATIONS_MANIFEST_FILE: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim() : undefined)),
  READ_YOUR_WRITES_TIMEOUT_MS: envSchemas.durationMs(3000),
  /** How long an AccessTokenGranted may wait for its activation to be recorded here (see access-token-granted.consumer.ts). */
  ACTIVATION_GRACE_MS: envSchemas.durationMs(10_000),
  /**
   * How often the replica holding the expiry lease looks for integrations whose expiry passed, to
   * publish IntegrationExpired (integration/expire-integration/). Calls are refused at `expiresAt`
   * regardless: this is how late the event may be.
   */
  REGISTRY_EXPIRY_CHECK_MS: envSchemas.durationMs(5_000),
  /** Prefix for topic names and consumer groups; lets tests share one Kafka without colliding. */
  REGISTRY_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
});

export type RegistryEnv = z.infer<typeof registryEnv>;

export function loadRegistryEnv(env: NodeJS.ProcessEnv = process.env): RegistryEnv {
  return loadConfig('registry', registryEnv, env);
}
