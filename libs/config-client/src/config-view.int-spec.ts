import { toCloudEvent, type ConfigChangedData } from '@integrations/contracts';
import { createKafkaMessageBus, ensureTopics, type MessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import { createConfigView, createKafkaEndOffsets, type ConfigChangeNotice, type ConfigView } from './index';

// Real Kafka (tools/infra/infra.sh up). Until @integrations/testing offers getTestInfra(), the
// brokers come from the environment.
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0)
  throw new Error('KAFKA_BROKERS is not set: run `bash tools/infra/infra.sh up` and `source tools/infra/env.sh`.');

jest.setTimeout(60_000);

const runId = randomUUID().slice(0, 8);
const logger = createLogger('config-view-it', 'warn');
const endOffsets = createKafkaEndOffsets(brokers);
let bus: MessageBus;
const views: ConfigView[] = [];

async function newTopic(name: string): Promise<string> {
  const topic = `it-config-view-${runId}-${name}`;
  await ensureTopics(brokers, [
    { topic, numPartitions: 1, replicationFactor: 1 },
    { topic: `${topic}.dlq`, numPartitions: 1, replicationFactor: 1 },
  ]);
  return topic;
}

function configChanged(version: number, changes: ConfigChangedData['changes'], streamId = 'config:default') {
  const event = toCloudEvent(
    {
      streamId,
      version,
      type: 'ConfigChanged',
      payload: { changes },
      timestamp: new Date(),
      metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'it' },
    },
    '/integrations/config',
  );
  return { key: streamId, value: JSON.stringify(event) };
}

const postMaxRedirects = (version: number) =>
  configChanged(version, [{ path: 'oauth/consumer/post_maxredirects', value: version, previous: version - 1 }]);

function view(topic: string): ConfigView {
  const created = createConfigView({
    bus,
    groupIdPrefix: `it-${runId}`,
    logger,
    endOffsets,
    topic,
    catchUpTimeoutMs: 20_000,
  });
  views.push(created);
  return created;
}

async function dlqSize(topic: string): Promise<number> {
  const bounds = await endOffsets(`${topic}.dlq`);
  return bounds.reduce((sum, b) => sum + Number(b.high) - Number(b.low), 0);
}

beforeAll(async () => {
  bus = createKafkaMessageBus({ brokers, clientId: `it-config-view-${runId}`, logLevel: 'error' });
  await bus.connect();
});

afterAll(async () => {
  await Promise.all(views.map((v) => v.stop()));
  await bus.disconnect();
});

describe('ConfigView on real Kafka', () => {
  it('runs on the catalog defaults when the topic is empty, and start() does not wait', async () => {
    const topic = await newTopic('empty');
    const started = Date.now();
    const v = view(topic);
    await v.start();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(v.version()).toBe(0);
    expect(v.get('oauth/consumer/expiration_period')).toBe(300);
    expect(v.get('webapi/webapisecurity/allow_insecure')).toBe(false);
  });

  it('has read the whole history when start() resolves, skipping redeliveries', async () => {
    const topic = await newTopic('history');
    const history = Array.from({ length: 40 }, (_, i) =>
      configChanged(i + 1, [
        { path: 'oauth/consumer/post_timeout', value: (i % 60) + 1, previous: i === 0 ? 5 : ((i - 1) % 60) + 1 },
      ]),
    );
    // A relay that crashed between publish and checkpoint publishes a batch again.
    await bus.publish(topic, [...history, ...history.slice(30, 35)]);
    await bus.publish(topic, [
      configChanged(41, [{ path: 'webapi/webapisecurity/allow_insecure', value: true, previous: false }]),
    ]);

    const v = view(topic);
    await v.start();
    expect(v.version()).toBe(41);
    expect(v.get('oauth/consumer/post_timeout')).toBe(40);
    expect(v.get('webapi/webapisecurity/allow_insecure')).toBe(true);
  });

  it('applies a change published while it runs within 1 s and tells listeners', async () => {
    const topic = await newTopic('live');
    const v = view(topic);
    await v.start();
    const notices: ConfigChangeNotice[] = [];
    const unsubscribe = v.onChange((notice) => notices.push(notice));

    const published = Date.now();
    await bus.publish(topic, [
      configChanged(1, [{ path: 'oauth/consumer/expiration_period', value: 900, previous: 300 }]),
    ]);
    await v.waitForVersion(1, 1_000);
    const latencyMs = Date.now() - published;

    expect(latencyMs).toBeLessThan(1_000);
    expect(v.get('oauth/consumer/expiration_period')).toBe(900);
    expect(notices).toEqual([{ changed: ['oauth/consumer/expiration_period'], settings: v.snapshot(), version: 1 }]);

    unsubscribe();
    await bus.publish(topic, [
      configChanged(2, [{ path: 'oauth/consumer/expiration_period', value: 60, previous: 900 }]),
    ]);
    await v.waitForVersion(2, 1_000);
    expect(notices).toHaveLength(1);
  });

  it('skips invalid messages and unknown event types without dead-lettering them, and goes on', async () => {
    const topic = await newTopic('invalid');
    await bus.publish(topic, [
      { key: 'config:default', value: 'not json {' },
      { key: 'config:default', value: JSON.stringify({ specversion: '1.0', type: 'ConfigChanged' }) },
      postMaxRedirects(1),
      // A type added by a newer producer: acknowledged and ignored.
      {
        key: 'config:default',
        value: JSON.stringify({ ...JSON.parse(postMaxRedirects(2).value), type: 'SettingsExported', data: {} }),
      },
    ]);
    const v = view(topic);
    await v.start();
    expect(v.version()).toBe(1);
    expect(v.get('oauth/consumer/post_maxredirects')).toBe(1);
    expect(await dlqSize(topic)).toBe(0);
  });

  it('fails start() with a clear error when the history cannot be read in time', async () => {
    const topic = await newTopic('unreachable');
    await bus.publish(topic, [configChanged(1, [{ path: 'oauth/consumer/post_maxredirects', value: 1, previous: 0 }])]);
    // End offsets from a topic with more messages than the one subscribed to: it can never catch up.
    const other = await newTopic('longer');
    await bus.publish(
      other,
      [1, 2, 3].map((n) => postMaxRedirects(n)),
    );
    const v = createConfigView({
      bus,
      groupIdPrefix: `it-${runId}`,
      logger,
      topic,
      endOffsets: () => endOffsets(other),
      catchUpTimeoutMs: 1_500,
    });
    await expect(v.start()).rejects.toThrow(/could not read .* up to its end within 1500 ms/);
  });
});
