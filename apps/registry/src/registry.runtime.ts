import { Topics } from '@integrations/contracts';
import { connectMongo, EventStore, OutboxRelay } from '@integrations/event-store';
import {
  createKafkaMessageBus,
  ensureCatalogueTopics,
  type MessageBus,
  type Subscription,
} from '@integrations/messaging';
import type { Logger, ReadinessCheck } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import type { RegistryConfig } from './config';
import { AclCatalog } from './integration/acl-catalog';
import { subscribeAccessTokenGranted } from './integration/complete-activation/access-token-granted.consumer';
import { CompleteActivation } from './integration/complete-activation/complete-activation';
import {
  GRID_COLLECTION,
  type GridDocument,
  IntegrationGridProjection,
  USAGE_COLLECTION,
  type UsageDocument,
} from './integration/integration-grid.projection';
import {
  HISTORY_COLLECTION,
  type HistoryDocument,
  IntegrationHistoryProjection,
} from './integration/integration-history.projection';
import { IntegrationProjector } from './integration/integration-projector';
import { IntegrationRepository } from './integration/integration.repository';
import { type NameReservation, NameReservations } from './integration/name-reservations';
import { ReadYourWrites } from './integration/read-your-writes';

export const REGISTRY_SOURCE = '/integrations/registry';
export const EVENTS_COLLECTION = 'events';
export const NAME_RESERVATIONS_COLLECTION = 'name_reservations';

/**
 * Everything the registry runs besides HTTP: Mongo connection, event store, outbox relay, Kafka bus,
 * projections and their consumer. Built before Nest so that a missing catalog or an unreachable
 * database fails the boot with a clear message, and closed after Nest (graceful shutdown).
 */
export class RegistryRuntime {
  private closing?: Promise<void>;

  private constructor(
    readonly config: RegistryConfig,
    readonly logger: Logger,
    readonly connection: mongoose.Connection,
    readonly store: EventStore,
    readonly bus: MessageBus,
    readonly relay: OutboxRelay,
    readonly catalog: AclCatalog,
    readonly names: NameReservations,
    readonly grid: IntegrationGridProjection,
    readonly history: IntegrationHistoryProjection,
    readonly projector: IntegrationProjector,
    readonly repository: IntegrationRepository,
    readonly readYourWrites: ReadYourWrites,
    /** Completes exchange-mode activations from the oauth service's AccessTokenGranted. */
    readonly activations: Subscription,
  ) {}

  static async start(config: RegistryConfig, logger: Logger): Promise<RegistryRuntime> {
    const catalog = AclCatalog.load(config.ACL_CATALOG_FILE);
    logger.info({ resources: catalog.size, file: config.ACL_CATALOG_FILE }, 'ACL catalog loaded');

    const topics = {
      integration: `${config.REGISTRY_TOPIC_PREFIX}${Topics.integration}`,
      oauth: `${config.REGISTRY_TOPIC_PREFIX}${Topics.oauth}`,
    };
    await bootStep(
      `Kafka at ${config.KAFKA_BROKERS.join(',')} (KAFKA_BROKERS) cannot be reached or refused the topics`,
      () =>
        ensureCatalogueTopics({
          brokers: config.KAFKA_BROKERS,
          prefix: config.REGISTRY_TOPIC_PREFIX,
          replicationFactor: config.KAFKA_TOPIC_REPLICATION,
          clientId: 'registry',
          onAligned: (change) => logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
        }),
    );

    const connection = await bootStep(`MongoDB at ${redactUrl(config.MONGO_URL)} (MONGO_URL) cannot be reached`, () =>
      connectMongo(config.MONGO_URL, config.REGISTRY_DB),
    );
    const cleanup: Array<() => Promise<unknown>> = [() => connection.close()];
    try {
      const db = connection.db!;
      const store = new EventStore(connection, { collection: EVENTS_COLLECTION });
      await store.ensureIndexes();
      const grid = new IntegrationGridProjection(
        db.collection<GridDocument>(GRID_COLLECTION),
        db.collection<UsageDocument>(USAGE_COLLECTION),
      );
      const history = new IntegrationHistoryProjection(db.collection<HistoryDocument>(HISTORY_COLLECTION));
      await grid.ensureIndexes();
      await history.ensureIndexes();

      const bus = createKafkaMessageBus({
        brokers: config.KAFKA_BROKERS,
        clientId: 'registry',
        logger: (entry) => logger[entry.level]({ ...entry, logger: undefined, source: entry.logger }, entry.message),
      });
      cleanup.unshift(() => bus.disconnect());
      await bus.connect();

      const relay = new OutboxRelay({
        store,
        publisher: bus,
        topicFor: () => topics.integration,
        source: REGISTRY_SOURCE,
        logger: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
        metrics: { service: 'registry', relay: 'integration' },
      });
      const repository = new IntegrationRepository(store, () => relay.nudge());
      const names = new NameReservations(db.collection<NameReservation>(NAME_RESERVATIONS_COLLECTION), (id) =>
        repository.holderState(id),
      );
      const groupId = `${config.REGISTRY_TOPIC_PREFIX}registry-projections`;
      const projector = new IntegrationProjector(bus, grid, history, topics, groupId, logger);

      relay.start();
      cleanup.unshift(() => relay.stop());
      await projector.start();
      cleanup.unshift(() => projector.stop());
      const activations = await subscribeAccessTokenGranted({
        bus,
        topic: topics.oauth,
        groupId: `${config.REGISTRY_TOPIC_PREFIX}registry-activations`,
        completion: new CompleteActivation(store, repository),
        logger,
        graceMs: config.ACTIVATION_GRACE_MS,
      });

      return new RegistryRuntime(
        config,
        logger,
        connection,
        store,
        bus,
        relay,
        catalog,
        names,
        grid,
        history,
        projector,
        repository,
        new ReadYourWrites(config.READ_YOUR_WRITES_TIMEOUT_MS),
        activations,
      );
    } catch (error) {
      for (const step of cleanup) await step().catch(() => undefined);
      throw error;
    }
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      { name: 'mongo', check: async () => (await this.connection.db!.command({ ping: 1 })).ok === 1 },
      { name: 'kafka', check: () => this.bus.isReachable() },
    ];
  }

  /** Stops consuming and relaying (in-flight work finishes), then disconnects. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.projector.stop().catch((error) => this.logger.warn({ err: error }, 'projector stop failed'));
      await this.activations
        .close()
        .catch((error) => this.logger.warn({ err: error }, 'activation consumer stop failed'));
      await this.relay.stop();
      await this.bus.disconnect();
      await this.connection.close();
      this.logger.info('registry runtime closed');
    })();
    return this.closing;
  }
}

/** Boot failures say which dependency and which variable, plus the next step. */
async function bootStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${what}: ${reason}. Start local infrastructure with \`bash tools/infra/infra.sh up\` or fix the variable.`,
      { cause: error },
    );
  }
}

/** A MONGO_URL may carry a password; never echo it. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
