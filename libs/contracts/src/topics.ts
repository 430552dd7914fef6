/**
 * Kafka topics of the platform. The `.v1` suffix is the contract version: a breaking change of an
 * event gets a new `schemaversion` first and a new topic only when consumers cannot be upgraded.
 */
export const Topics = {
  /** Integration lifecycle; key = integration id. */
  integration: 'integrations.integration.v1',
  /** OAuth side effects (usage of an integration's tokens); key = integration id. */
  oauth: 'integrations.oauth.v1',
  /** Settings changes (guest access, OAuth settings); key = config stream id. */
  config: 'integrations.config.v1',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/** The services of the platform, as the topic catalogue and the call graph name them. */
export type PlatformService = 'gateway' | 'registry' | 'oauth' | 'acl' | 'config';

/** Settings of one topic. `retentionMs: null` keeps messages for good (`retention.ms=-1`). */
export interface TopicSettings {
  partitions: number;
  retentionMs: number | null;
  cleanupPolicy: 'delete' | 'compact';
}

export interface TopicEntry extends TopicSettings {
  name: Topic;
  /** What every message's key is. */
  key: string;
  producer: PlatformService;
  consumers: readonly PlatformService[];
  description: string;
  /** Where consumers put messages they cannot process (`<name>.dlq`), and its settings. */
  deadLetter: TopicSettings;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEAD_LETTER: TopicSettings = { partitions: 1, retentionMs: 14 * DAY_MS, cleanupPolicy: 'delete' };

/**
 * The one catalogue of topics and their settings (docs/adr/0006, docs/adr/0008). Every service ensures all of them
 * at boot from here (creating what is missing, aligning the settings of what exists), and
 * docs/asyncapi.yaml and k8s/README.md are checked against it. Replication is the deployment's
 * (`KAFKA_TOPIC_REPLICATION`), not the catalogue's.
 */
export const TOPIC_CATALOGUE: readonly TopicEntry[] = [
  {
    name: Topics.integration,
    key: "The integration id (= CloudEvent `subject`): one integration's events stay in order on one partition.",
    producer: 'registry',
    consumers: ['registry', 'oauth', 'acl'],
    partitions: 3,
    // Kept for good: the oauth and acl projections, and any subscriber that joins later, rebuild by
    // reading from the beginning. Lifecycle events come at admin speed, so the topic stays small.
    retentionMs: null,
    cleanupPolicy: 'delete',
    description:
      'Lifecycle of integrations (System > Extensions > Integrations): created, updated, activated, reauthorized, reset, deleted. Published by the registry from its event store (outbox relay: at least once, in stream order). Kept forever (retention -1): projections and new subscribers rebuild from the beginning.',
    deadLetter: DEAD_LETTER,
  },
  {
    name: Topics.oauth,
    key: 'The integration id.',
    producer: 'oauth',
    consumers: ['registry'],
    partitions: 3,
    // Usage totals arrive every few seconds per busy integration: 30 days covers any consumer outage
    // without keeping that stream for ever (the registry keeps the totals it needs).
    retentionMs: 30 * DAY_MS,
    cleanupPolicy: 'delete',
    description:
      'OAuth side effects of integrations: consumers created, credentials issued, token exchanges, revocations, and aggregated API usage. Never a secret: credentials appear as 4-character fingerprints. Kept 30 days.',
    deadLetter: DEAD_LETTER,
  },
  {
    name: Topics.config,
    key: 'The settings stream id (`config:default`).',
    producer: 'config',
    consumers: ['oauth', 'acl'],
    partitions: 1,
    // Every config view folds the whole topic at start: it must keep every change.
    retentionMs: null,
    cleanupPolicy: 'delete',
    description:
      'Changes of platform settings (Magento-style paths such as `webapi/webapisecurity/allow_insecure`). One partition: every reader sees changes in the order they were made. Kept forever: every service folds it from the beginning at start.',
    deadLetter: DEAD_LETTER,
  },
];

/** `<topic>.dlq`: the dead-letter topic of a topic's consumers. */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

/** The broker-side configs of a topic's settings, as Kafka names them. */
export function topicConfigs(settings: TopicSettings): Record<string, string> {
  return {
    'cleanup.policy': settings.cleanupPolicy,
    'retention.ms': String(settings.retentionMs ?? -1),
    // Size never bounds a topic: time (or nothing) does.
    'retention.bytes': '-1',
  };
}

/** One topic to create or align: a catalogue entry or its dead-letter topic, with a test prefix applied. */
export interface CatalogueTopic {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: Record<string, string>;
}

/**
 * Every topic of the catalogue and its dead-letter topic, named with `prefix` (tests isolate their
 * topics that way; production uses none), at the deployment's replication factor.
 */
export function catalogueTopics(prefix: string, replicationFactor: number): CatalogueTopic[] {
  return TOPIC_CATALOGUE.flatMap((entry) => [
    {
      topic: `${prefix}${entry.name}`,
      numPartitions: entry.partitions,
      replicationFactor,
      configEntries: topicConfigs(entry),
    },
    {
      topic: deadLetterTopicOf(`${prefix}${entry.name}`),
      numPartitions: entry.deadLetter.partitions,
      replicationFactor,
      configEntries: topicConfigs(entry.deadLetter),
    },
  ]);
}

/** The catalogue entry of a topic name (without prefix). */
export function catalogueEntry(topic: Topic): TopicEntry {
  const entry = TOPIC_CATALOGUE.find((candidate) => candidate.name === topic);
  if (!entry) throw new Error(`${topic} is not in the topic catalogue`);
  return entry;
}
