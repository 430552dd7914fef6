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
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { connectMongo } from './connect-mongo';
import { EventStore } from './event-store';
import type { IntegrationTestDocument } from '../test/integration-test-projection';
import { collectIntoProjection, distinctDeliveries, firstDeliveriesByStream, startRelay } from '../test/relay-test-kit';

/**
 * A real restart of a broker holding thousands of partitions (what a full test run leaves behind)
 * takes minutes on a busy machine: up to KAFKA_STOP_TIMEOUT_S (60 s) to stop, up to
 * KAFKA_READY_TIMEOUT_S (300 s, see libs/testing) to answer again, then the group coordinators load
 * their partitions. The test waits for each step to finish; this only bounds the whole.
 */
jest.setTimeout(720_000);

/**
 * Appends per phase (before, while the broker stops, while it is down, while it starts, after): a
 * steady pace, but a bounded amount. Appending for as long as the broker takes to stop and start
 * made the work of the test grow with the broker's size and the machine's load (thousands of
 * events to deliver after a two-minute restart), past the deadline of the delivery check.
 */
const APPENDS_PER_PHASE = 40;
type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'after';

interface Outage {
  /** The relay's Kafka client gets this socket factory (the consumer's never does). */
  socketFactory?: ISocketFactory;
  begin(): Promise<void>;
  end(): Promise<void>;
}

/**
 * Appends go on at a steady pace before, during and after the outage (APPENDS_PER_PHASE at most in
 * each phase); none may fail, the backlog must grow while the broker is unreachable, and every event
 * must arrive, in order, afterwards.
 */
async function appendAcrossOutage(infra: TestInfra, outage: Outage, downForMs: number): Promise<void> {
  // Closed in reverse order whatever fails, set-up included: a connection left open keeps jest from
  // exiting.
  const closers: Array<() => Promise<unknown>> = [];
  try {
    await runAcrossOutage(infra, outage, downForMs, closers);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

async function runAcrossOutage(
  infra: TestInfra,
  outage: Outage,
  downForMs: number,
  closers: Array<() => Promise<unknown>>,
): Promise<void> {
  const connection = await connectMongo(infra.mongoUrl, uniqueName('es_outage'));
  closers.push(
    () => connection.close(),
    async () => connection.db?.dropDatabase(),
  );
  const store = new EventStore(connection);
  await store.ensureIndexes();
  const topic = `${uniqueName('es_outage')}.integration`;
  await createTestTopics(infra.kafkaBrokers, [topic], { partitions: 3 });
  const groupId = uniqueName('es_outage_collector');
  const collector = await collectIntoProjection(
    infra.kafkaBrokers,
    topic,
    connection.db!.collection<IntegrationTestDocument>('grid'),
    groupId,
  );
  closers.push(() => collector.stop());
  const bus = createKafkaMessageBus({
    brokers: infra.kafkaBrokers,
    clientId: 'es-outage-test',
    logLevel: 'error',
    logger: () => undefined, // kafkajs reports every refused connection; the assertions tell the story
    retry: { retries: 3, initialRetryTimeMs: 100, maxRetryTimeMs: 500 },
    ...(outage.socketFactory ? { socketFactory: outage.socketFactory } : {}),
  });
  closers.push(() => bus.disconnect());
  await bus.connect();
  const warnings: string[] = [];
  const relay = startRelay(store, bus, topic, { warn: (message) => warnings.push(message) });
  closers.push(() => relay.stop());

  const streams = Array.from({ length: 10 }, (_, i) => `out-${i}`);
  const versions = new Map(streams.map((id) => [id, 0]));
  const failures: unknown[] = [];
  const appendsIn = new Map<Phase, number>();
  let phase: Phase = 'before';
  let appending = true;
  const appender = (async () => {
    for (let round = 0; appending;) {
      if ((appendsIn.get(phase) ?? 0) >= APPENDS_PER_PHASE) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      const inPhase = phase;
      const streamId = streams[round++ % streams.length]!;
      const version = versions.get(streamId)!;
      const event =
        version === 0
          ? anIntegrationCreated({ integrationId: streamId })
          : anIntegrationUpdated(streamId, { name: `${streamId} v${version + 1}` });
      try {
        await store.append(streamId, version, [event]);
        versions.set(streamId, version + 1);
        appendsIn.set(inPhase, (appendsIn.get(inPhase) ?? 0) + 1);
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

    phase = 'stopping';
    await outage.begin();
    phase = 'down';
    const backlogAtStart = await store.countUnpublished();
    await new Promise((resolve) => setTimeout(resolve, downForMs));
    const backlogAtEnd = await store.countUnpublished();
    phase = 'starting';
    await outage.end();
    phase = 'after';

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    appending = false;
    await appender;

    expect(failures).toEqual([]);
    expect(appendsIn.get('down')).toBeGreaterThan(0);
    expect(backlogAtEnd).toBeGreaterThan(backlogAtStart); // nothing went out while the broker was away
    const appended = [...versions.values()].reduce((sum, v) => sum + v, 0);
    await waitFor(() => distinctDeliveries(collector.messages) === appended, {
      // After a restart the coordinator of the collector's group loads its offsets partition before
      // the group can rejoin: tens of seconds on a broker holding thousands of partitions.
      timeoutMs: 180_000,
      message: () =>
        `all ${appended} events delivered after the outage (got ${distinctDeliveries(collector.messages)})`,
    }).catch(async (error: Error) => {
      // What a timeout needs to be understood: the relay's side and the consumer's side.
      const group = await describeGroup(infra.kafkaBrokers, groupId, topic);
      throw new Error(
        `${error.message}\nappends per phase: ${JSON.stringify(Object.fromEntries(appendsIn))}` +
          `\nunpublished commits: ${await store.countUnpublished().catch(String)}` +
          `\nthe collector's group: ${group}\nthe relay's last warnings:\n  ${warnings.slice(-10).join('\n  ')}`,
      );
    });
    const inOrder = new Map([...versions].map(([id, v]) => [id, Array.from({ length: v }, (_, i) => i + 1)]));
    expect(firstDeliveriesByStream(collector.messages)).toEqual(inOrder);
    expect(collector.gaps).toBe(0);
    expect(warnings.some((w) => /^outbox relay: attempt 1 failed/.test(w))).toBe(true);
    expect(warnings[warnings.length - 1]).toMatch(/^outbox relay: recovered after \d+ failed attempt/);
  } finally {
    appending = false;
    await appender;
  }
}

/** State, members, committed offsets and log ends of a consumer group, in one line. */
async function describeGroup(brokers: string[], groupId: string, topic: string): Promise<string> {
  const admin = new Kafka({ brokers, clientId: 'es-outage-diagnostics', logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const [{ groups }, [offsets], ends] = await Promise.all([
      admin.describeGroups([groupId]),
      admin.fetchOffsets({ groupId, topics: [topic] }),
      admin.fetchTopicOffsets(topic),
    ]);
    const committed = offsets?.partitions.map((p) => `${p.partition}:${p.offset}`).join(',');
    const end = ends.map((p) => `${p.partition}:${p.high}`).join(',');
    return `${groups[0]?.state} with ${groups[0]?.members.length} member(s); committed ${committed}; log ends ${end}`;
  } catch (error) {
    return `unavailable (${String(error)})`;
  } finally {
    await admin.disconnect().catch(() => undefined);
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
