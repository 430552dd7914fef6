/**
 * A relay in its own process, for the crash tests (`node -r @swc-node/register <this file>`).
 * Env: MONGO_URL, DB_NAME, KAFKA_BROKERS, TOPIC, optional COLLECTION, BATCH_SIZE, and
 * PAUSE_AFTER_PUBLISHES=n: after the n-th successful publish, print `paused-after-publish n` and
 * hang before flagging the batch, so that the test can SIGKILL the process at exactly the worst
 * moment (published, not flagged). Prints `relay-started` once running; stops cleanly on SIGTERM.
 */
import { createKafkaMessageBus, type MessagePublisher } from '@integrations/messaging';
import { EventStore } from '../src/event-store';
import { OutboxRelay } from '../src/outbox-relay';
import { connectMongo } from '../src/connect-mongo';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`relay-runner: set ${name}`);
  return value;
}

async function main(): Promise<void> {
  const topic = required('TOPIC');
  const connection = await connectMongo(required('MONGO_URL'), required('DB_NAME'));
  const store = new EventStore(connection, { collection: process.env.COLLECTION ?? 'events' });
  const bus = createKafkaMessageBus({ brokers: required('KAFKA_BROKERS').split(','), clientId: 'relay-runner' });
  await bus.connect();

  const pauseAfter = Number(process.env.PAUSE_AFTER_PUBLISHES ?? 0);
  let publishes = 0;
  const publisher: MessagePublisher = {
    async publish(target, messages) {
      await bus.publish(target, messages);
      publishes += 1;
      if (publishes === pauseAfter) {
        process.stdout.write(`paused-after-publish ${publishes}\n`);
        await new Promise(() => undefined);
      }
    },
  };

  const relay = new OutboxRelay({
    store,
    publisher,
    topicFor: () => topic,
    source: '/tests/relay-runner',
    batchSize: Number(process.env.BATCH_SIZE ?? 100),
  });
  relay.start();
  process.stdout.write('relay-started\n');

  process.once('SIGTERM', () => {
    void (async () => {
      await relay.stop();
      await bus.disconnect();
      await connection.close();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`relay-runner failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
