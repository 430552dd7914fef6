import { Kafka, logLevel } from 'kafkajs';

/** Creates fresh topics (idempotent) and waits until they have leaders. */
export async function createTestTopics(
  brokers: string[],
  topics: string[],
  options: { partitions?: number } = {},
): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'test-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: options.partitions ?? 3, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}
