import { Kafka, logLevel, type Admin } from 'kafkajs';
import { sleep } from '../backoff';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  /** Topic-level configs, e.g. `{ 'retention.ms': '604800000' }`. */
  configEntries?: Record<string, string>;
}

/**
 * Creates the topics that do not exist yet and waits for their leaders; existing topics are left as
 * they are (their partition count is not changed). Safe to call from every service at boot, even
 * concurrently.
 */
export async function ensureTopics(brokers: string[], topics: TopicSpec[], clientId = 'ensure-topics'): Promise<void> {
  if (topics.length === 0) return;
  const admin = new Kafka({ brokers, clientId, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    // createTopics treats TOPIC_ALREADY_EXISTS (another service won the race) as success, but then
    // returns false without waiting for leaders, so we wait ourselves.
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions,
        replicationFactor: t.replicationFactor,
        ...(t.configEntries
          ? { configEntries: Object.entries(t.configEntries).map(([name, value]) => ({ name, value })) }
          : {}),
      })),
    });
    if (!created)
      await waitForLeaders(
        admin,
        missing.map((t) => t.topic),
      );
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const ready = metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    if (Date.now() >= deadline) throw new Error(`Timed out waiting for leaders of ${topics.join(', ')}`);
    await sleep(100);
  }
}
