import { ConfigResourceTypes, ConfigSource, Kafka, logLevel, type Admin } from 'kafkajs';
import { backoffDelay, sleep, type BackoffOptions } from '../backoff';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  /** Topic-level configs, e.g. `{ 'retention.ms': '604800000' }`. */
  configEntries?: Record<string, string>;
}

export interface EnsureTopicsRetry {
  /** Attempts in all, the first included. Default 5. */
  attempts?: number;
  /** Default 250 ms doubling, capped at 4 s. */
  backoff?: BackoffOptions;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 4_000, multiplier: 2 };

/**
 * Errors a broker answers while a topic it just created is not in its metadata yet, or has no
 * leader yet: normal for a moment on a fresh broker (KRaft propagates the new topic to the
 * broker's metadata cache asynchronously). kafkajs's createTopics only waits out
 * LEADER_NOT_AVAILABLE and wraps what it gives up on, so the type is searched in the causes too.
 */
const TRANSIENT_TYPES = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

export function isTransientTopicError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { type, cause, originalError, errors } = error as {
    type?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  if (typeof type === 'string' && TRANSIENT_TYPES.has(type)) return true;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => isTransientTopicError(e, depth + 1)))
    return true;
  return isTransientTopicError(cause, depth + 1) || isTransientTopicError(originalError, depth + 1);
}

/** A setting of an existing topic that differed from its spec and was changed to match. */
export interface TopicAlignment {
  topic: string;
  config: string;
  from: string | null;
  to: string;
}

/** An existing topic whose partitions or replication differ from its spec: the caller must not start. */
export class TopicMismatchError extends Error {
  override readonly name = 'TopicMismatchError';
  constructor(readonly differences: string[]) {
    super(
      `Existing Kafka topics differ from the topic catalogue in what cannot be changed in place: ${differences.join('; ')}. ` +
        'Recreate the topics (data is lost) or migrate them, then start again.',
    );
  }
}

/**
 * Creates the topics that do not exist yet, waits for their leaders, and aligns the settings of the
 * topics that existed: a topic config (`retention.ms`, `cleanup.policy`, …) that differs from the
 * spec is changed to match (other topic-level overrides are kept), and a partition count or
 * replication factor that differs fails with TopicMismatchError naming each difference (changing
 * either in place would reorder keys or needs a reassignment: an operator's decision). Safe to call
 * from every service at boot, even concurrently. UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE
 * right after a creation are retried a few times with backoff; any other error fails at once.
 * Returns the configs it changed.
 */
export async function ensureTopics(
  brokers: string[],
  topics: TopicSpec[],
  clientId = 'ensure-topics',
  retry: EnsureTopicsRetry = {},
): Promise<TopicAlignment[]> {
  if (topics.length === 0) return [];
  const attempts = retry.attempts ?? DEFAULT_ATTEMPTS;
  const admin = new Kafka({ brokers, clientId, logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await createMissing(admin, topics);
        // Also for topics that existed: another service may have created them a moment ago.
        await waitForLeaders(
          admin,
          topics.map((t) => t.topic),
        );
        await checkLayout(admin, topics);
        return await alignConfigs(admin, topics);
      } catch (error) {
        if (attempt >= attempts || !isTransientTopicError(error)) throw error;
        await sleep(backoffDelay(attempt, retry.backoff ?? DEFAULT_BACKOFF));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

async function checkLayout(admin: Admin, topics: TopicSpec[]): Promise<void> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
  const differences: string[] = [];
  for (const spec of topics) {
    const found = metadata.find((t) => t.name === spec.topic);
    if (!found) continue;
    if (found.partitions.length !== spec.numPartitions)
      differences.push(
        `${spec.topic} has ${found.partitions.length} partitions, the catalogue says ${spec.numPartitions}`,
      );
    const replication = Math.min(...found.partitions.map((p) => p.replicas.length));
    if (replication !== spec.replicationFactor)
      differences.push(
        `${spec.topic} has replication ${replication}, KAFKA_TOPIC_REPLICATION says ${spec.replicationFactor}`,
      );
  }
  if (differences.length > 0) throw new TopicMismatchError(differences);
}

async function alignConfigs(admin: Admin, topics: TopicSpec[]): Promise<TopicAlignment[]> {
  const wanted = topics.filter((t) => t.configEntries && Object.keys(t.configEntries).length > 0);
  if (wanted.length === 0) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: wanted.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.topic })),
  });
  const changes: TopicAlignment[] = [];
  const resources = [];
  for (const spec of wanted) {
    const entries = described.resources.find((r) => r.resourceName === spec.topic)?.configEntries ?? [];
    const current = new Map(entries.map((e) => [e.configName, e] as const));
    const differing = Object.entries(spec.configEntries!).filter(
      ([name, value]) => current.get(name)?.configValue !== value,
    );
    if (differing.length === 0) continue;
    for (const [name, value] of differing)
      changes.push({ topic: spec.topic, config: name, from: current.get(name)?.configValue ?? null, to: value });
    // alterConfigs replaces the topic's whole override set: keep the overrides we do not manage.
    const kept = entries
      .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && !(e.configName in spec.configEntries!))
      .map((e) => ({ name: e.configName, value: e.configValue }));
    const managed = Object.entries(spec.configEntries!).map(([name, value]) => ({ name, value }));
    resources.push({ type: ConfigResourceTypes.TOPIC, name: spec.topic, configEntries: [...kept, ...managed] });
  }
  if (resources.length > 0) await admin.alterConfigs({ validateOnly: false, resources });
  return changes;
}

async function createMissing(admin: Admin, topics: TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return;
  // createTopics treats TOPIC_ALREADY_EXISTS (another service won the race) as success, but then
  // returns false without waiting for leaders; the caller waits for them anyway.
  await admin.createTopics({
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
