import { Topics } from '@integrations/contracts';
import { envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';

const subscriberEnv = z.object({
  KAFKA_BROKERS: envSchemas.csv(),
  SUBSCRIBER_GROUP_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default('example-subscriber'),
  SUBSCRIBER_TOPIC: z.string().min(1).default(Topics.integration),
  /** Health endpoints only (probes, the image's HEALTHCHECK). */
  SUBSCRIBER_PORT: envSchemas.port(3040),
  SUBSCRIBER_HOST: z.string().min(1).default('127.0.0.1'),
});

export type SubscriberEnv = z.infer<typeof subscriberEnv>;

export function loadSubscriberEnv(env: NodeJS.ProcessEnv = process.env): SubscriberEnv {
  return loadConfig('subscriber', subscriberEnv, env);
}
