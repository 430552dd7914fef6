import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';

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
   * How long a replica may answer from its cached copy of an integration's grants. The replica that
   * consumes a change drops its copy at once; the others see it after at most this long.
   */
  ACL_GRANTS_CACHE_TTL_MS: z.coerce.number().int().min(0).max(1000).default(250),
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
