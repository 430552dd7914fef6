import { createKafkaMessageBus } from '@integrations/messaging';
import {
  anIntegrationCreated,
  anIntegrationUpdated,
  createTestTopics,
  getTestInfra,
  infraFromEnv,
  uniqueName,
  waitFor,
} from '@integrations/testing';
import { connectMongo } from './connect-mongo';
import { EventStore } from './event-store';
import { collectIntoProjection, distinctDeliveries, firstDeliveriesByStream, startRelay } from './testing/relay-test-kit';
import type { IntegrationTestDocument } from './testing/integration-test-projection';

jest.setTimeout(300_000);

// This test stops the SHARED broker: only where this run may control it (the local script, with
// KAFKA_CONTROL unset or `local-script`, or testcontainers). Other test files running meanwhile
// see a short outage, which they have to survive anyway.
const envInfra = infraFromEnv(process.env);
const canControlKafka = !envInfra || envInfra.kafkaControl !== undefined;

(canControlKafka ? describe : describe.skip)('OutboxRelay across a broker outage', () => {
  it('keeps every append succeeding while Kafka is down and delivers everything once it is back', async () => {
    const infra = await getTestInfra();
    const control = infra.kafkaControl!;
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
    const bus = createKafkaMessageBus({ brokers: infra.kafkaBrokers, clientId: 'es-outage-test', logLevel: 'error' });
    await bus.connect();
    const relay = startRelay(store, bus, topic);

    const streams = Array.from({ length: 10 }, (_, i) => `out-${i}`);
    const versions = new Map(streams.map((id) => [id, 0]));
    const failures: unknown[] = [];
    let appendsWhileDown = 0;
    let brokerDown = false;
    let appending = true;
    const appender = (async () => {
      for (let round = 0; appending; round++) {
        const streamId = streams[round % streams.length]!;
        const version = versions.get(streamId)!;
        const event = version === 0 ? anIntegrationCreated({ integrationId: streamId }) : anIntegrationUpdated(streamId, { name: `${streamId} v${version + 1}` });
        try {
          await store.append(streamId, version, [event]);
          versions.set(streamId, version + 1);
          if (brokerDown) appendsWhileDown += 1;
        } catch (error) {
          failures.push(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    try {
      await waitFor(() => distinctDeliveries(collector.messages) >= 20, { timeoutMs: 60_000, message: 'deliveries before the outage' });

      await control.stop();
      brokerDown = true;
      const backlogAtStop = await store.countUnpublished();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const backlogWhileDown = await store.countUnpublished();
      brokerDown = false;
      await control.start();

      await new Promise((resolve) => setTimeout(resolve, 1_000));
      appending = false;
      await appender;

      expect(failures).toEqual([]);
      expect(appendsWhileDown).toBeGreaterThan(0);
      expect(backlogWhileDown).toBeGreaterThan(backlogAtStop); // nothing left while the broker was gone

      const appended = [...versions.values()].reduce((sum, v) => sum + v, 0);
      await waitFor(() => distinctDeliveries(collector.messages) === appended, {
        timeoutMs: 180_000,
        message: () => `all ${appended} events delivered after the outage (got ${distinctDeliveries(collector.messages)})`,
      });
      const inOrder = new Map([...versions].filter(([, v]) => v > 0).map(([id, v]) => [id, Array.from({ length: v }, (_, i) => i + 1)]));
      expect(firstDeliveriesByStream(collector.messages)).toEqual(inOrder);
      expect(collector.gaps).toBe(0);
    } finally {
      appending = false;
      await appender;
      await relay.stop();
      await bus.disconnect();
      await collector.stop();
      await connection.db?.dropDatabase();
      await connection.close();
    }
  });
});
