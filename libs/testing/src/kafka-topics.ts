import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Creates fresh topics (idempotent) and waits until every partition has a leader. Not kafkajs's
 * `createTopics({waitForLeaders: true})`: it waits out only LEADER_NOT_AVAILABLE, and a broker
 * holding thousands of partitions (what a full test run leaves behind) answers
 * UNKNOWN_TOPIC_OR_PARTITION for a while after a creation, which kafkajs throws (the services'
 * ensureTopics in libs/messaging works around it the same way).
 */
export async function createTestTopics(
  brokers: string[],
  topics: string[],
  options: { partitions?: number } = {},
): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'test-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 })),
    });
    await waitFor(
      async () => {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        return metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      },
      { timeoutMs: 60_000, intervalMs: 100, message: `leaders of ${topics.join(', ')}` },
    );
  } finally {
    await admin.disconnect();
  }
}
