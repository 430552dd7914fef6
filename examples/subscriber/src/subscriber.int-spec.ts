import { toCloudEvent, Topics, type EventRecord } from '@integrations/contracts';
import { createKafkaMessageBus, ensureTopics, type IncomingMessage, type MessageBus } from '@integrations/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { IntegrationCloudEvent } from './describe-event';
import { startSubscriber, type RunningSubscriber } from './subscriber';

/** Real Kafka (KAFKA_BROKERS, or tools/infra/infra.sh's broker); topics unique to this run. */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const topic = `subscriber-it-${run}.${Topics.integration}`;

function created(integrationId: string, name: string, version = 1): EventRecord {
  return {
    streamId: integrationId,
    version,
    type: 'IntegrationCreated',
    timestamp: new Date(),
    payload: {
      integrationId,
      name,
      email: 'ops@example.com',
      callbackUrl: null,
      identityLinkUrl: null,
      resourceAccess: 'custom',
      resources: ['Magento_Catalog::products'],
      setupType: 'manual',
      insecure: false,
    },
    metadata: { eventId: randomUUID(), correlationId: `corr-${run}`, actor: 'admin' },
  };
}

const message = (record: EventRecord) => ({
  key: record.streamId,
  value: JSON.stringify(toCloudEvent(record, '/integrations/registry')),
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('example subscriber', () => {
  let publisher: MessageBus;
  let subscriber: RunningSubscriber;
  let dlqBus: MessageBus;
  const received: IntegrationCloudEvent[] = [];
  const deadLetters: IncomingMessage[] = [];

  beforeAll(async () => {
    await ensureTopics(brokers, [
      { topic, numPartitions: 3, replicationFactor: 1 },
      { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 1 },
    ]);
    publisher = createKafkaMessageBus({ brokers, clientId: `subscriber-it-pub-${run}` });
    await publisher.connect();
    subscriber = await startSubscriber({
      brokers,
      topic,
      groupId: `subscriber-it-${run}`,
      logger: pino({ level: 'silent' }),
      onEvent: (event) => {
        received.push(event);
      },
    });
    dlqBus = createKafkaMessageBus({ brokers, clientId: `subscriber-it-dlq-${run}` });
    await dlqBus.connect();
    await dlqBus.subscribe({
      groupId: `subscriber-it-dlq-${run}`,
      topics: [`${topic}.dlq`],
      fromBeginning: true,
      parse: (m) => m,
      handle: async (m) => {
        deadLetters.push(m);
      },
    });
  });

  afterAll(async () => {
    await subscriber?.close();
    await dlqBus?.disconnect();
    await publisher?.disconnect();
    const admin = new Kafka({ brokers, clientId: `subscriber-it-admin-${run}`, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('receives an IntegrationCreated published through the messaging library, validated by the contracts', async () => {
    const id = `int-${run}-a`;
    await publisher.publish(topic, [message(created(id, 'ERP connector'))]);
    const event = await until('IntegrationCreated', () => received.find((e) => e.subject === id));
    expect(event.type).toBe('IntegrationCreated');
    expect(event.sequence).toBe('1');
    expect(event.correlationid).toBe(`corr-${run}`);
    expect(event.type === 'IntegrationCreated' && event.data).toMatchObject({
      name: 'ERP connector',
      resources: ['Magento_Catalog::products'],
    });
  });

  it('handles a redelivered event once', async () => {
    const id = `int-${run}-b`;
    const record = created(id, 'Twice');
    await publisher.publish(topic, [message(record), message(record)]);
    await publisher.publish(topic, [
      message({
        ...created(id, 'Twice'),
        version: 2,
        type: 'IntegrationDeleted',
        payload: { integrationId: id, name: 'Twice' },
      }),
    ]);
    await until('the events after the duplicate', () =>
      received.some((e) => e.subject === id && e.type === 'IntegrationDeleted') ? true : undefined,
    );
    expect(received.filter((e) => e.subject === id).map((e) => `${e.type}@${e.sequence}`)).toEqual([
      'IntegrationCreated@1',
      'IntegrationDeleted@2',
    ]);
  });

  it('dead-letters a message that breaks the contract and goes on with the next', async () => {
    const bad = `int-${run}-bad`;
    const invalid = JSON.parse(message(created(bad, 'x')).value) as { data: Record<string, unknown> };
    delete invalid.data.name;
    await publisher.publish(topic, [{ key: bad, value: JSON.stringify(invalid) }]);
    const good = `int-${run}-good`;
    await publisher.publish(topic, [message(created(good, 'good'))]);

    await until('the valid event after the invalid one', () => received.find((e) => e.subject === good));
    const dead = await until('the dead letter', () => deadLetters.find((m) => m.key === bad));
    expect(dead.headers['dlq-stage']).toBe('parse');
    expect(dead.headers['dlq-error-message']).toMatch(/data\.name/);
    expect(received.some((e) => e.subject === bad)).toBe(false);
  });
});
