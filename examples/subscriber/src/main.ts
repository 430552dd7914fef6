import { Topics } from '@integrations/contracts';
import { createLogger, envSchemas, loadConfig } from '@integrations/service-kit';
import { z } from 'zod';
import { startSubscriber } from './subscriber';

// `node -r @swc-node/register examples/subscriber/src/main.ts` (with KAFKA_BROKERS set, e.g. by
// `source tools/infra/env.sh`). Ctrl-C stops after the message in hand.
const env = loadConfig(
  'subscriber',
  z.object({
    KAFKA_BROKERS: envSchemas.csv(),
    SUBSCRIBER_GROUP_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/)
      .default('example-subscriber'),
    SUBSCRIBER_TOPIC: z.string().min(1).default(Topics.integration),
  }),
);
const logger = createLogger('subscriber');

startSubscriber({
  brokers: env.KAFKA_BROKERS,
  groupId: env.SUBSCRIBER_GROUP_ID,
  topic: env.SUBSCRIBER_TOPIC,
  logger,
}).then(
  (subscriber) => {
    const stop = () => void subscriber.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: Error) => {
    process.stderr.write(`subscriber failed to start: ${error.message}\n`);
    process.exit(1);
  },
);
