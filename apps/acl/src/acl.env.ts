import { Topics } from '@integrations/contracts';
import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';
import { AclCatalog } from './catalog/acl-catalog';
import { loadRouteMap, type RouteMap } from './routes/route-map';

const aclEnv = z.object({
  ACL_PORT: envSchemas.port(3003),
  ACL_HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  ACL_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name ([A-Za-z0-9_-], 1-63 chars)')
    .default('acl'),
  KAFKA_BROKERS: envSchemas.csv(),
  /** The admin ACL tree (children of Magento_Backend::admin). */
  ACL_CATALOG_FILE: z.string().min(1).default('config/acl-resources.json'),
  /** Route map: method + path -> resources, upstream, guest. */
  ACL_ROUTES_FILE: z.string().min(1).default('config/routes.json'),
  /**
   * How many integrations' effective access a replica keeps in memory. Entries stay until the
   * access change signal moves (docs/adr/0006 §3); beyond this many, the oldest go first.
   */
  ACL_ACCESS_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(50_000),
  /** The registry, asked for the authoritative access of an integration whose hold went stale. */
  REGISTRY_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+/, 'must be an http:// or https:// URL, e.g. http://registry:3001')
    .default('http://127.0.0.1:3001')
    .transform((url) => url.replace(/\/+$/, '')),
  /**
   * A hold older than this is taken for the hold of a command that died before it published its
   * snapshot, and resolved by asking the registry. Must exceed the longest a command takes from
   * hold to snapshot, or a live command's hold would be resolved too early.
   */
  ACL_HOLD_RESOLVE_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** How often each replica looks for stale holds (all may; resolving twice is harmless). */
  ACL_HOLD_SWEEP_EVERY_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  /** Consumer group of the grants projection (one per deployment, shared by its replicas). */
  ACL_CONSUMER_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('acl'),
  /** Prefix for topic names and consumer groups; lets tests share one Kafka without colliding. */
  ACL_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold letters, digits, ".", "_" and "-" only')
    .default(''),
  KAFKA_TOPIC_REPLICATION: envSchemas.topicReplication(),
});

export type AclEnv = z.infer<typeof aclEnv>;

export function loadAclEnv(env: NodeJS.ProcessEnv = process.env): AclEnv {
  return loadConfig('acl', aclEnv, env);
}

/** Everything the service is configured with, validated before anything is opened. */
export interface AclConfig {
  env: AclEnv;
  catalog: AclCatalog;
  routeMap: RouteMap;
}

/**
 * The environment, then the catalog and route map files it points at (UPSTREAM_<NAME>_URL comes from
 * the same environment). Each error names the variable or the file entry to fix.
 */
export function loadAclConfig(processEnv: NodeJS.ProcessEnv = process.env): AclConfig {
  const env = loadAclEnv(processEnv);
  const catalog = AclCatalog.load(env.ACL_CATALOG_FILE);
  const routeMap = loadRouteMap(env.ACL_ROUTES_FILE, catalog, processEnv);
  return { env, catalog, routeMap };
}

/** The (prefixed) topics the service reads. */
export function aclTopics(env: Pick<AclEnv, 'ACL_TOPIC_PREFIX'>): { integration: string; config: string } {
  return {
    integration: `${env.ACL_TOPIC_PREFIX}${Topics.integration}`,
    config: `${env.ACL_TOPIC_PREFIX}${Topics.config}`,
  };
}
