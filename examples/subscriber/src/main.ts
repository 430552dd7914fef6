import { createLogger } from '@integrations/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHealthServer } from './health-server';
import { type RunningSubscriber, startSubscriber } from './subscriber';
import { loadSubscriberEnv } from './subscriber.env';

// `node -r @swc-node/register examples/subscriber/src/main.ts` (with KAFKA_BROKERS set, e.g. by
// `source tools/infra/env.sh`). Ctrl-C stops after the message in hand.
const env = loadSubscriberEnv();
const logger = createLogger('subscriber');
const MAX_BACKOFF_MS = 15_000;

(async () => {
  const health = await startHealthServer(env.SUBSCRIBER_PORT, env.SUBSCRIBER_HOST);
  let stopping = false;
  let subscriber: RunningSubscriber | undefined;
  const stop = () => {
    stopping = true;
    health.setReady(false);
    void (subscriber?.close() ?? Promise.resolve()).then(() => health.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  // The topic belongs to the registry, which creates it once the broker answers: a subscriber that
  // starts first (a fresh cluster, every pod at once) waits for it, live but not ready, rather than
  // exiting into a restart loop.
  for (let attempt = 1; !stopping; attempt++) {
    try {
      subscriber = await startSubscriber({
        brokers: env.KAFKA_BROKERS,
        groupId: env.SUBSCRIBER_GROUP_ID,
        topic: env.SUBSCRIBER_TOPIC,
        logger,
      });
      break;
    } catch (error) {
      const retryInMs = Math.min(1_000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      logger.warn(
        { err: { message: (error as Error).message }, attempt, retryInMs, brokers: env.KAFKA_BROKERS },
        'cannot subscribe yet (is the broker up, and has the registry created the topic?); retrying',
      );
      await sleep(retryInMs);
    }
  }
  if (stopping) {
    await subscriber?.close();
    return;
  }
  health.setReady(true);
})().catch((error: Error) => {
  process.stderr.write(`subscriber failed to start: ${error.message}\n`);
  process.exit(1);
});
