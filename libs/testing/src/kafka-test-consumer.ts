import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { waitFor } from './wait-for';

export interface CollectedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** `Date.now()` when the consumer got it. */
  receivedAt: number;
  /** The record's timestamp (ms): when the producer created it (the topics keep CreateTime). */
  timestamp: number;
}

export interface TopicCollector {
  /** Every message received so far, in arrival order (per partition: offset order). */
  readonly messages: readonly CollectedMessage[];
  /** Resolves once at least `count` messages arrived. */
  waitForCount(count: number, timeoutMs?: number): Promise<readonly CollectedMessage[]>;
  stop(): Promise<void>;
}

export interface CollectOptions {
  brokers: string[];
  topic: string;
  /** Default: a fresh group, reading from the beginning. */
  groupId?: string;
  /** Runs for each message before it is recorded, one at a time per partition; a throw is retried. */
  onMessage?: (message: CollectedMessage) => Promise<void> | void;
  /** Partitions processed in parallel (each still in order). Default 3. */
  partitionsConsumedConcurrently?: number;
}

/**
 * A kafkajs consumer that records the messages of one topic, tuned for tests (30 ms fetch wait).
 * The first join of a new group can take a few seconds; the timeouts of waitForCount allow it.
 */
export async function collectMessages(options: CollectOptions): Promise<TopicCollector> {
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: 'test-collector',
    logLevel: process.env.TEST_KAFKA_LOG ? logLevel.WARN : logLevel.NOTHING,
    // Rides out a broker restart (outage tests) instead of giving up after a few seconds.
    retry: { retries: 100, initialRetryTime: 100, maxRetryTime: 2_000 },
  });
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId ?? `test-${randomUUID()}`,
    maxWaitTimeInMs: 30,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
    retry: { retries: 100, initialRetryTime: 100, maxRetryTime: 2_000 },
  });
  const messages: CollectedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  } catch (error) {
    // A consumer left connected keeps jest from exiting.
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    eachMessage: async ({ topic, partition, message }) => {
      const collected: CollectedMessage = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        receivedAt: Date.now(),
        timestamp: Number(message.timestamp),
      };
      await options.onMessage?.(collected);
      messages.push(collected);
    },
  });
  return {
    messages,
    waitForCount: (count, timeoutMs = 30_000) =>
      waitFor(() => (messages.length >= count ? messages : undefined), {
        timeoutMs,
        message: () => `${count} messages on ${options.topic} (got ${messages.length})`,
      }),
    stop: () => consumer.disconnect(),
  };
}
