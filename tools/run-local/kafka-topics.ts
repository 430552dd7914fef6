import { Topics } from '@integrations/contracts';
import { Kafka, logLevel } from 'kafkajs';

/**
 * True when the platform's topics (with this prefix) already exist. On a fresh broker the services
 * create them at boot, concurrently, and one may read metadata before the new partitions have a
 * leader; the launcher then starts the topic owners first. Any failure answers false (the careful path).
 */
export async function platformTopicsExist(brokers: string, topicPrefix: string, timeoutMs = 5000): Promise<boolean> {
  const admin = new Kafka({
    brokers: brokers.split(',').map((broker) => broker.trim()),
    clientId: 'run-local-launcher',
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
    connectionTimeout: timeoutMs,
  }).admin();
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const check = (async () => {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    return Object.values(Topics).every((topic) => existing.has(`${topicPrefix}${topic}`));
  })();
  try {
    return await Promise.race([check, timeout]);
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
