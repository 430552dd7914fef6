import { createKafkaMessageBus } from '@integrations/messaging';
import {
  anIntegrationCreated,
  anIntegrationUpdated,
  createBrokerOutageSwitch,
  createTestTopics,
  getTestInfra,
  infraFromEnv,
  uniqueName,
  waitFor,
  type TestInfra,
} from '@integrations/testing';
import type { ISocketFactory } from 'kafkajs';
import { connectMongo } from './connect-mongo';
import { EventStore } from './event-store';
import type { IntegrationTestDocument } from '../test/integration-test-projection';
import { collectIntoProjection, distinctDeliveries, firstDeliveriesByStream, startRelay } from '../test/relay-test-kit';

jest.setTimeout(400_000);

interface Outage {
  /** The relay's Kafka client gets this socket factory (the consumer's never does). */
  socketFactory?: ISocketFactory;
  begin(): Promise<void>;
  end(): Promise<void>;
}

/**
 * Appends go on at a steady pace before, during and after the outage; none may fail, the backlog
 * must grow while the broker is unreachable, and every event must arrive, in order, afterwards.
 */
async function appendAcrossOutage(infra: TestInfra, outage: Outage, downForMs: number): Promise<void> {
  const connection = await connectMongo(infra.mongoUrl, uniqueName('es_outage'));
  const store = new EventStore(connection);
  await store.ensureIndexes();
  const topic = `${uniqueName('es_outage')}.integration`;
  await createTestTopics(infra.kafkaBrokers, [topic], { partitions: 3 });
  const collector = await collectIntoProjection(
    infra.kafkaBrokers,
    topic,
    connection.db!.collection<IntegrationTestDocument>('grid'),
  );
  const bus = createKafkaMessageBus({
    brokers: infra.kafkaBrokers,
    clientId: 'es-outage-test',
    logLevel: 'error',
    logger: () => undefined, // kafkajs reports every refused connection; the assertions tell the story
    retry: { retries: 3, initialRetryTimeMs: 100, maxRetryTimeMs: 500 },
    ...(outage.socketFactory ? { socketFactory: outage.socketFactory } : {}),
  });
  await bus.connect();
  const warnings: string[] = [];
  const relay = startRelay(store, bus, topic, { warn: (message) => warnings.push(message) });

  const streams = Array.from({ length: 10 }, (_, i) => `out-${i}`);
  const versions = new Map(streams.map((id) => [id, 0]));
  const failures: unknown[] = [];
  let appendsWhileDown = 0;
  let down = false;
  let appending = true;
  const appender = (async () => {
    for (let round = 0; appending; round++) {
      const streamId = streams[round % streams.length]!;
      const version = versions.get(streamId)!;
      const event =
        version === 0
          ? anIntegrationCreated({ integrationId: streamId })
          : anIntegrationUpdated(streamId, { name: `${streamId} v${version + 1}` });
      try {
        await store.append(streamId, version, [event]);
        versions.set(streamId, version + 1);
        if (down) appendsWhileDown += 1;
      } catch (error) {
        failures.push(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  try {
    await waitFor(() => distinctDeliveries(collector.messages) >= 20, {
      timeoutMs: 60_000,
      message: 'deliveries before the outage',
    });

    await outage.begin();
    down = true;
    const backlogAtStart = await store.countUnpublished();
    await new Promise((resolve) => setTimeout(resolve, downForMs));
    const backlogAtEnd = await store.countUnpublished();
    down = false;
    await outage.end();

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    appending = false;
    await appender;

    expect(failures).toEqual([]);
    expect(appendsWhileDown).toBeGreaterThan(0);
    expect(backlogAtEnd).toBeGreaterThan(backlogAtStart); // nothing went out while the broker was away
    const appended = [...versions.values()].reduce((sum, v) => sum + v, 0);
    await waitFor(() => distinctDeliveries(collector.messages) === appended, {
      timeoutMs: 180_000,
      message: () =>
        `all ${appended} events delivered after the outage (got ${distinctDeliveries(collector.messages)})`,
    });
    const inOrder = new Map([...versions].map(([id, v]) => [id, Array.from({ length: v }, (_, i) => i + 1)]));
    expect(firstDeliveriesByStream(collector.messages)).toEqual(inOrder);
    expect(collector.gaps).toBe(0);
    expect(warnings.some((w) => /^outbox relay: attempt 1 failed/.test(w))).toBe(true);
    expect(warnings[warnings.length - 1]).toMatch(/^outbox relay: recovered after \d+ failed attempt/);
  } finally {
    appending = false;
    await appender;
    await relay.stop();
    await bus.disconnect();
    await collector.stop();
    await connection.db?.dropDatabase();
    await connection.close();
  }
}

describe('OutboxRelay across a broker outage', () => {
  it('rides out its connections to the broker being cut (the shared broker keeps running)', async () => {
    const infra = await getTestInfra();
    const outageSwitch = createBrokerOutageSwitch();
    await appendAcrossOutage(
      infra,
      {
        socketFactory: outageSwitch.socketFactory,
        begin: async () => outageSwitch.cut(),
        end: async () => outageSwitch.restore(),
      },
      3_000,
    );
  });

  // Stops the SHARED broker: only where this run may (KAFKA_CONTROL=local-script, CI with the
  // local script, or testcontainers; see getTestInfra). Tests running meanwhile see the outage.
  const envInfra = infraFromEnv(process.env);
  const mayRestartBroker = !envInfra || envInfra.kafkaControl !== undefined;
  (mayRestartBroker ? it : it.skip)('rides out a real broker stop and restart', async () => {
    const infra = await getTestInfra();
    const control = infra.kafkaControl!;
    await appendAcrossOutage(infra, { begin: () => control.stop(), end: () => control.start() }, 2_000);
  });
});
