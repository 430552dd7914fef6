import { catalogueTopics, TOPIC_CATALOGUE, Topics } from '@integrations/contracts';
import { getTestInfra } from '@integrations/testing';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { ensureCatalogueTopics, TopicMismatchError, type TopicAlignment } from '../index';

jest.setTimeout(60_000);

let brokers: string[];
let admin: Admin;

beforeAll(async () => {
  brokers = (await getTestInfra()).kafkaBrokers;
  admin = new Kafka({ brokers, clientId: 'catalogue-spec', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});
afterAll(() => admin.disconnect());

const uniquePrefix = () => `it-catalogue-${randomUUID().slice(0, 8)}.`;

async function configsOf(topic: string): Promise<Record<string, string>> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
  });
  return Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
}

describe('ensureCatalogueTopics', () => {
  it('creates every catalogue topic and its dead-letter topic with the catalogue settings', async () => {
    const prefix = uniquePrefix();
    const changed = await ensureCatalogueTopics({ brokers, prefix, replicationFactor: 1, clientId: 'spec' });
    expect(changed).toEqual([]);
    const { topics } = await admin.fetchTopicMetadata({
      topics: catalogueTopics(prefix, 1).map((t) => t.topic),
    });
    for (const entry of TOPIC_CATALOGUE) {
      const topic = `${prefix}${entry.name}`;
      expect({ topic, partitions: topics.find((t) => t.name === topic)?.partitions.length }).toEqual({
        topic,
        partitions: entry.partitions,
      });
      const configs = await configsOf(topic);
      expect(configs['retention.ms']).toBe(String(entry.retentionMs ?? -1));
      expect(configs['cleanup.policy']).toBe(entry.cleanupPolicy);
      expect((await configsOf(`${topic}.dlq`))['retention.ms']).toBe(String(entry.deadLetter.retentionMs));
    }
  });

  it('aligns an existing topic whose retention differs (what the registry used to create) and keeps its other overrides', async () => {
    const prefix = uniquePrefix();
    const topic = `${prefix}${Topics.integration}`;
    // The registry's old topic: 3 partitions, no retention setting (the broker's 7 days), plus an
    // override an operator set by hand.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'max.message.bytes', value: '2000000' }],
        },
      ],
    });
    expect((await configsOf(topic))['retention.ms']).toBe('604800000');

    const changed: TopicAlignment[] = [];
    await ensureCatalogueTopics({
      brokers,
      prefix,
      replicationFactor: 1,
      clientId: 'spec',
      onAligned: (c) => changed.push(c),
    });

    expect(changed).toContainEqual({ topic, config: 'retention.ms', from: '604800000', to: '-1' });
    const configs = await configsOf(topic);
    expect(configs['retention.ms']).toBe('-1');
    expect(configs['max.message.bytes']).toBe('2000000');
    // A second boot finds nothing to change.
    expect(await ensureCatalogueTopics({ brokers, prefix, replicationFactor: 1, clientId: 'spec' })).toEqual([]);
  });

  it('refuses to go on when a topic has another partition count or replication, naming each difference', async () => {
    const prefix = uniquePrefix();
    const topic = `${prefix}${Topics.config}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });

    const attempt = ensureCatalogueTopics({ brokers, prefix, replicationFactor: 1, clientId: 'spec' });
    await expect(attempt).rejects.toBeInstanceOf(TopicMismatchError);
    await expect(attempt).rejects.toThrow(`${topic} has 2 partitions, the catalogue says 1`);
    // Topics made at replication 1, then a deployment that says 2.
    const other = uniquePrefix();
    await ensureCatalogueTopics({ brokers, prefix: other, replicationFactor: 1, clientId: 'spec' });
    await expect(
      ensureCatalogueTopics({ brokers, prefix: other, replicationFactor: 2, clientId: 'spec' }),
    ).rejects.toThrow(`${other}${Topics.integration} has replication 1, KAFKA_TOPIC_REPLICATION says 2`);
  });
});
