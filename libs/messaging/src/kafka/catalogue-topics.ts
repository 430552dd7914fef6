import { catalogueTopics } from '@integrations/contracts';
import { ensureTopics, type TopicAlignment } from './ensure-topics';

export interface CatalogueTopicsOptions {
  brokers: string[];
  /** Test isolation prefix of every topic name; '' in deployments. */
  prefix: string;
  /** KAFKA_TOPIC_REPLICATION. */
  replicationFactor: number;
  clientId: string;
  /** Told about every setting changed on an existing topic. */
  onAligned?: (change: TopicAlignment) => void;
}

/**
 * Ensures every topic of the catalogue (libs/contracts TOPIC_CATALOGUE) and its dead-letter topic:
 * what is missing is created, the settings of what exists are aligned, a partition count or
 * replication that differs stops the boot (TopicMismatchError). Every service calls this at boot, so
 * none depends on another having started first.
 */
export async function ensureCatalogueTopics(options: CatalogueTopicsOptions): Promise<TopicAlignment[]> {
  const changes = await ensureTopics(
    options.brokers,
    catalogueTopics(options.prefix, options.replicationFactor),
    options.clientId,
  );
  for (const change of changes) options.onAligned?.(change);
  return changes;
}
