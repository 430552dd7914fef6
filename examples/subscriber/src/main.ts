import { createLogger } from '@integrations/service-kit';
import { startHealthServer } from './health-server';
import { startSubscriber } from './subscriber';
import { loadSubscriberEnv } from './subscriber.env';

// `node -r @swc-node/register examples/subscriber/src/main.ts` (with KAFKA_BROKERS set, e.g. by
// `source tools/infra/env.sh`). Ctrl-C stops after the message in hand.
const env = loadSubscriberEnv();
const logger = createLogger('subscriber');

(async () => {
  const health = await startHealthServer(env.SUBSCRIBER_PORT, env.SUBSCRIBER_HOST);
  const subscriber = await startSubscriber({
    brokers: env.KAFKA_BROKERS,
    groupId: env.SUBSCRIBER_GROUP_ID,
    topic: env.SUBSCRIBER_TOPIC,
    logger,
  });
  health.setReady(true);
  const stop = () => {
    health.setReady(false);
    void subscriber
      .close()
      .then(() => health.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
})().catch((error: Error) => {
  process.stderr.write(`subscriber failed to start: ${error.message}\n`);
  process.exit(1);
});
