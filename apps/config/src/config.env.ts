import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';

const configServiceEnv = z.object({
  CONFIG_PORT: envSchemas.port(3004),
  CONFIG_HOST: z.string().min(1).default('127.0.0.1'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URL'),
  CONFIG_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name ([A-Za-z0-9_-], 1-63 chars)')
    .default('config'),
  KAFKA_BROKERS: envSchemas.csv(),
  /** Replication of the config topic when this service creates it (3 in production clusters). */
  KAFKA_TOPIC_REPLICATION: envSchemas.topicReplication(),
  /** Prefix for the topic name; lets tests share one Kafka without colliding. */
  CONFIG_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold letters, digits, ".", "_" and "-" only')
    .default(''),
});

export type ConfigServiceEnv = z.infer<typeof configServiceEnv>;

export function loadConfigServiceEnv(env: NodeJS.ProcessEnv = process.env): ConfigServiceEnv {
  return loadConfig('config', configServiceEnv, env);
}
