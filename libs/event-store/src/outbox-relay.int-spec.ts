import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { createTestTopics, getTestInfra, uniqueName, waitFor, type TestInfra } from '@integrations/testing';
import type mongoose from 'mongoose';
import { connectMongo } from './connect-mongo';
import { EventStore } from './event-store';
import { metricsRegistry } from '@integrations/service-kit';
import { OutboxRelay } from './outbox-relay';
import { replay } from './replay';
import {
  appendWorkload,
  projectIntegration,
  projectionSnapshot,
  type IntegrationTestDocument,
} from '../test/integration-test-projection';
import {
  collectIntoProjection,
  distinctDeliveries,
  firstDeliveriesByStream,
  spawnRelayProcess,
  startRelay,
  type ProjectingCollector,
} from '../test/relay-test-kit';

const STREAMS = 50;
const EVENTS_PER_STREAM = 20;
const TOTAL = STREAMS * EVENTS_PER_STREAM;
// Generous: FerretDB on a shared 2-core machine can be 10x slower than alone (see PERFORMANCE.md).
const DELIVERY_TIMEOUT_MS = 150_000;
jest.setTimeout(400_000);

function everyStreamInOrder(streams: number): Map<string, number[]> {
  return new Map(
    Array.from({ length: streams }, (_, i) => [`int-${i}`, Array.from({ length: EVENTS_PER_STREAM }, (_, v) => v + 1)]),
  );
}
/** The crash test needs fewer events: what it checks happens around one batch. */
const CRASH_STREAMS = 20;
const CRASH_TOTAL = CRASH_STREAMS * EVENTS_PER_STREAM;

describe('OutboxRelay with Kafka', () => {
  let infra: TestInfra;
  let connection: mongoose.Connection;
  let collector: ProjectingCollector | undefined;

  beforeAll(async () => {
    infra = await getTestInfra();
  });
  afterEach(async () => {
    await collector?.stop();
    collector = undefined;
    await connection?.db?.dropDatabase();
    await connection?.close();
  });

  async function setUp(name: string) {
    connection = await connectMongo(infra.mongoUrl, uniqueName(name));
    const store = new EventStore(connection);
    await store.ensureIndexes();
    const topic = `${uniqueName(name)}.integration`;
    await createTestTopics(infra.kafkaBrokers, [topic], { partitions: 3 });
    const fromKafka = connection.db!.collection<IntegrationTestDocument>('grid_from_kafka');
    const rebuilt = connection.db!.collection<IntegrationTestDocument>('grid_rebuilt');
    collector = await collectIntoProjection(infra.kafkaBrokers, topic, fromKafka);
    const rebuild = () =>
      replay(store, (e) => projectIntegration(rebuilt, e.streamId, e.version, e.type, e.payload).then(() => undefined));
    return { store, topic, fromKafka, rebuilt, rebuild, collector };
  }

  it('delivers 1,000 events of 50 concurrently written streams in order, and Kafka-fed equals rebuilt', async () => {
    const { store, topic, fromKafka, rebuilt, rebuild, collector } = await setUp('es_relay');
    const bus: MessageBus = createKafkaMessageBus({ brokers: infra.kafkaBrokers, clientId: 'es-relay-test' });
    await bus.connect();
    let relay: OutboxRelay | undefined;
    try {
      relay = startRelay(store, bus, topic);
      const workload = await appendWorkload(store, {
        prefix: 'int',
        streams: STREAMS,
        eventsPerStream: EVENTS_PER_STREAM,
        concurrency: 10,
      });
      expect(workload.commits).toBeLessThan(TOTAL); // some commits carried several events

      await waitFor(() => distinctDeliveries(collector.messages) === TOTAL, {
        timeoutMs: DELIVERY_TIMEOUT_MS,
        message: () =>
          `all ${TOTAL} events delivered (got ${distinctDeliveries(collector.messages)}, ${collector.messages.length} with duplicates)`,
      });
      await waitFor(async () => (await relay!.backlog()) === 0, { message: 'an empty outbox' });
    } finally {
      await relay?.stop();
      await bus.disconnect();
    }

    expect(firstDeliveriesByStream(collector.messages)).toEqual(everyStreamInOrder(STREAMS));
    expect(collector.gaps).toBe(0);
    for (const message of collector.messages) expect(message.key).toBe(JSON.parse(message.value!).subject);

    await rebuild();
    const live = await projectionSnapshot(fromKafka);
    expect(live).toHaveLength(STREAMS);
    expect(live.every((doc) => doc.version === EVENTS_PER_STREAM)).toBe(true);
    expect(live).toEqual(await projectionSnapshot(rebuilt));
  });

  it('loses nothing when the relay process is SIGKILLed between publishing and flagging a batch', async () => {
    const { store, topic, fromKafka, rebuilt, rebuild, collector } = await setUp('es_crash');
    await appendWorkload(store, {
      prefix: 'int',
      streams: CRASH_STREAMS,
      eventsPerStream: EVENTS_PER_STREAM,
      concurrency: 10,
    });
    const env = {
      MONGO_URL: infra.mongoUrl,
      DB_NAME: connection.db!.databaseName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      TOPIC: topic,
      BATCH_SIZE: '10',
    };

    const first = spawnRelayProcess({ ...env, PAUSE_AFTER_PUBLISHES: '4' });
    await first.waitForLine(/^paused-after-publish 4$/);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const beforeRestart = await waitFor(
      () => distinctDeliveries(collector.messages) >= 40 && distinctDeliveries(collector.messages),
      {
        message: 'the 4 batches published before the kill',
      },
    );
    expect(beforeRestart).toBeLessThan(CRASH_TOTAL);

    const second = spawnRelayProcess(env);
    try {
      await waitFor(() => distinctDeliveries(collector.messages) === CRASH_TOTAL, {
        timeoutMs: DELIVERY_TIMEOUT_MS,
        message: () =>
          `all ${CRASH_TOTAL} events delivered after the restart (got ${distinctDeliveries(collector.messages)})`,
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }

    // The 4th batch was published but not flagged, so the second relay published it again.
    expect(collector.messages.length).toBeGreaterThan(CRASH_TOTAL);
    expect(firstDeliveriesByStream(collector.messages)).toEqual(everyStreamInOrder(CRASH_STREAMS));
    expect(collector.gaps).toBe(0);
    expect(await store.countUnpublished()).toBe(0);

    await rebuild();
    expect(await projectionSnapshot(fromKafka)).toEqual(await projectionSnapshot(rebuilt));
  });

  it('reports its backlog (above 0 while Kafka refuses, then 0) and tags each message with its correlation id', async () => {
    const { store, topic, collector } = await setUp('es_relay_metrics');
    const bus: MessageBus = createKafkaMessageBus({
      brokers: infra.kafkaBrokers,
      clientId: 'es-relay-metrics-test',
      logger: () => undefined,
    });
    await bus.connect();
    const relayName = uniqueName('relay');
    const metric = async (name: string) => {
      const prefix = `${name}{service="es-test",relay="${relayName}"} `;
      const line = (await metricsRegistry.metrics()).split('\n').find((l) => l.startsWith(prefix));
      return line === undefined ? undefined : Number(line.slice(prefix.length));
    };
    // The real bus behind a switch: closed, every publish fails as with a broker outage.
    let brokerUp = false;
    const relay = new OutboxRelay({
      store,
      publisher: {
        publish: (t, messages) =>
          brokerUp ? bus.publish(t, messages) : Promise.reject(new Error('KafkaJSConnectionError: broker down')),
      },
      topicFor: () => topic,
      source: '/tests/event-store',
      backoffMs: { initial: 20, max: 100 },
      logger: { warn: () => undefined },
      metrics: { service: 'es-test', relay: relayName },
    });
    try {
      const workload = await appendWorkload(store, {
        prefix: 'metrics',
        streams: 5,
        eventsPerStream: 4,
        concurrency: 5,
      });
      relay.start();
      await waitFor(async () => (await metric('event_relay_backlog_events')) === workload.commits, {
        timeoutMs: 60_000,
        message: `the backlog to show the ${workload.commits} waiting commits`,
      });

      brokerUp = true;
      await waitFor(() => distinctDeliveries(collector.messages) === 20, {
        timeoutMs: DELIVERY_TIMEOUT_MS,
        message: 'the 20 events',
      });
      await waitFor(async () => (await metric('event_relay_backlog_events')) === 0, {
        timeoutMs: 30_000,
        message: 'backlog 0',
      });
      expect(await metric('event_relay_published_events_total')).toBe(20);
      expect(await store.countUnpublished()).toBe(0);

      for (const message of collector.messages) {
        const event = JSON.parse(message.value ?? '{}') as { correlationid?: string };
        expect(message.headers.correlationid).toBeDefined();
        expect(message.headers.correlationid).toBe(event.correlationid);
      }
    } finally {
      await relay.stop();
      await bus.disconnect();
    }
  });
});
