import { Kafka, logLevel } from 'kafkajs';

/** One partition's bounds: `low` is the first offset still stored, `high` the next offset to be written. */
export interface PartitionBounds {
  partition: number;
  low: string;
  high: string;
}

/** Reads a topic's partition bounds (high-water marks), so a reader knows when it has caught up. */
export type TopicEndOffsets = (topic: string) => Promise<PartitionBounds[]>;

/**
 * kafkajs admin implementation of TopicEndOffsets. It lives here rather than behind the MessageBus
 * port because the port has no admin operations yet; it is the only kafkajs import outside
 * libs/messaging and should move there when the port grows an offsets call. One short-lived admin
 * connection per call: a ConfigView calls it once, at start.
 */
export function createKafkaEndOffsets(brokers: string[], clientId = 'config-view'): TopicEndOffsets {
  return async (topic) => {
    const admin = new Kafka({ brokers, clientId, logLevel: logLevel.ERROR }).admin();
    await admin.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const offsets = await admin.fetchTopicOffsets(topic);
          return offsets.map(({ partition, low, high }) => ({ partition, low, high }));
        } catch (error) {
          // kafkajs retries only UNKNOWN_TOPIC_OR_PARTITION here; a leader election (at broker
          // restart, or just after the topic was created) answers LEADER_NOT_AVAILABLE or
          // OFFSET_NOT_AVAILABLE for a moment, which must not fail a service's boot.
          if (!isRetriable(error) || attempt >= MAX_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (attempt - 1), 2_000)));
        }
      }
    } finally {
      await admin.disconnect();
    }
  };
}

const MAX_ATTEMPTS = 10;

function isRetriable(error: unknown): boolean {
  const candidate = error as { retriable?: boolean; cause?: { retriable?: boolean } } | null;
  return candidate?.retriable === true || candidate?.cause?.retriable === true;
}
