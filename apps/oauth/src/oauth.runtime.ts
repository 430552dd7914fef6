import { createConfigView, createKafkaEndOffsets, type ConfigView } from '@integrations/config-client';
import { Topics, type Settings } from '@integrations/contracts';
import { connectMongo, EventStore, OutboxRelay } from '@integrations/event-store';
import {
  createKafkaMessageBus,
  ensureCatalogueTopics,
  type MessageBus,
  type Subscription,
} from '@integrations/messaging';
import type { Logger, ReadinessCheck } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import { CONSUMERS_COLLECTION, ConsumerStore, type ConsumerDocument } from './consumer/consumer.store';
import type { RemovalContext } from './consumer/remove-integration-credentials';
import { loadSecretBox } from './crypto/encryption-keys';
import { OauthEventLog } from './events/oauth-event-log';
import { Housekeeping } from './housekeeping';
import { subscribeIntegrationEvents } from './integration-status/integration-events.consumer';
import {
  INTEGRATION_STATUS_COLLECTION,
  IntegrationStatusProjection,
  type IntegrationStatusDocument,
} from './integration-status/integration-status.projection';
import { MongoNonceStore, NONCES_COLLECTION, type NonceDocument } from './nonce/nonce.store';
import type { OauthEnv } from './oauth.env';
import { settingsFromView, type OauthSettings } from './oauth-settings';
import { TOKENS_COLLECTION, TokenStore, type TokenDocument } from './token/token.store';
import { USAGE_COLLECTION, UsageRecorder, type UsageDocument } from './usage/usage-recorder';
import { CredentialCache } from './verification/credential-cache';

export const OAUTH_SOURCE = '/integrations/oauth';
export const EVENTS_COLLECTION = 'events';

export interface OauthRuntimeOptions {
  /** Setting values that take precedence over the config service's (tests, benchmarks). */
  pinnedSettings?: Partial<Settings>;
}

/**
 * Everything the oauth service runs besides HTTP: Mongo, the secret box, the stores and caches,
 * Kafka (outbox relay, integration events, config view), usage flushing and housekeeping. Built
 * before Nest so a missing key or an unreachable database fails the boot with its own message, and
 * closed after Nest (graceful shutdown flushes the usage counters).
 */
export class OauthRuntime {
  private closing?: Promise<void>;

  private constructor(
    readonly env: OauthEnv,
    readonly logger: Logger,
    readonly connection: mongoose.Connection,
    readonly bus: MessageBus,
    readonly topics: { integration: string; oauth: string; config: string },
    readonly configView: ConfigView,
    readonly settings: OauthSettings,
    readonly consumers: ConsumerStore,
    readonly tokens: TokenStore,
    readonly nonces: MongoNonceStore,
    readonly statuses: IntegrationStatusProjection,
    readonly events: OauthEventLog,
    readonly usage: UsageRecorder,
    readonly cache: CredentialCache,
    private readonly relay: OutboxRelay,
    private readonly housekeeping: Housekeeping,
    private readonly integrationEvents: Subscription,
  ) {}

  static async start(env: OauthEnv, logger: Logger, options: OauthRuntimeOptions = {}): Promise<OauthRuntime> {
    const box = loadSecretBox(
      {
        keys: env.OAUTH_ENCRYPTION_KEYS,
        activeKeyId: env.OAUTH_ENCRYPTION_ACTIVE_KEY_ID,
        nodeEnv: env.NODE_ENV,
        devMode: env.INTEGRATIONS_DEV_MODE === 'true',
        devKeyFile: env.OAUTH_DEV_KEY_FILE,
      },
      logger,
    );
    const prefix = env.OAUTH_TOPIC_PREFIX;
    const topics = {
      integration: `${prefix}${Topics.integration}`,
      oauth: `${prefix}${Topics.oauth}`,
      config: `${prefix}${Topics.config}`,
    };
    await ensureCatalogueTopics({
      brokers: env.KAFKA_BROKERS,
      prefix,
      replicationFactor: env.KAFKA_TOPIC_REPLICATION,
      clientId: 'oauth',
      onAligned: (change) => logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
    });

    const connection = await connectMongo(env.MONGO_URL, env.OAUTH_DB);
    const cleanup: Array<() => Promise<unknown>> = [() => connection.close()];
    try {
      const db = connection.db!;
      const consumers = new ConsumerStore(db.collection<ConsumerDocument>(CONSUMERS_COLLECTION), box);
      const tokens = new TokenStore(db.collection<TokenDocument>(TOKENS_COLLECTION), box);
      const nonces = new MongoNonceStore(db.collection<NonceDocument>(NONCES_COLLECTION));
      const statuses = new IntegrationStatusProjection(
        db.collection<IntegrationStatusDocument>(INTEGRATION_STATUS_COLLECTION),
      );
      const store = new EventStore(connection, { collection: EVENTS_COLLECTION });
      await Promise.all([
        consumers.ensureIndexes(),
        tokens.ensureIndexes(),
        nonces.ensureIndexes(),
        store.ensureIndexes(),
      ]);

      const bus = createKafkaMessageBus({
        brokers: env.KAFKA_BROKERS,
        clientId: 'oauth',
        logger: (entry) => logger[entry.level]({ ...entry, logger: undefined, source: entry.logger }, entry.message),
      });
      cleanup.unshift(() => bus.disconnect());
      await bus.connect();

      const configView = createConfigView({
        bus,
        groupIdPrefix: `${prefix}oauth`,
        logger,
        endOffsets: createKafkaEndOffsets(env.KAFKA_BROKERS, 'oauth-config-view'),
        topic: topics.config,
      });
      await configView.start();
      cleanup.unshift(() => configView.stop());
      const settings = settingsFromView(configView, options.pinnedSettings);

      const relay = new OutboxRelay({
        store,
        publisher: bus,
        topicFor: () => topics.oauth,
        source: OAUTH_SOURCE,
        logger: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
        metrics: { service: 'oauth', relay: 'oauth' },
      });
      relay.start();
      cleanup.unshift(() => relay.stop());
      const events = new OauthEventLog(store, () => relay.nudge());

      const cache = new CredentialCache(env.OAUTH_CACHE_TTL_MS);
      const usage = new UsageRecorder(db.collection<UsageDocument>(USAGE_COLLECTION), events, logger);
      usage.start(env.OAUTH_USAGE_FLUSH_MS);
      cleanup.unshift(() => usage.stop());

      const removal: RemovalContext = { consumers, tokens, nonces, cache, events };
      const integrationEvents = await subscribeIntegrationEvents({
        bus,
        topic: topics.integration,
        groupId: `${prefix}oauth-integration-status`,
        projection: statuses,
        removal,
        usage,
        logger,
      });
      cleanup.unshift(() => integrationEvents.close());

      const housekeeping = new Housekeeping(nonces, tokens, settings, logger);
      housekeeping.start(env.OAUTH_CLEANUP_INTERVAL_MS);

      return new OauthRuntime(
        env,
        logger,
        connection,
        bus,
        topics,
        configView,
        settings,
        consumers,
        tokens,
        nonces,
        statuses,
        events,
        usage,
        cache,
        relay,
        housekeeping,
        integrationEvents,
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

  /** Waits (bounded) until the relay published what is in the outbox, e.g. the last usage events. */
  private async drainOutbox(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.relay.nudge();
    while ((await this.relay.backlog()) > 0) {
      if (Date.now() > deadline) {
        this.logger.warn('Outbox not drained before shutdown; the relay publishes the rest at the next start');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Stops consuming, flushes the usage counters (their event goes through the relay before it
   * stops), then disconnects. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const step = (name: string, run: () => Promise<unknown>) =>
        run().catch((error: unknown) =>
          this.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            `${name} failed during shutdown`,
          ),
        );
      await step('integration events', () => this.integrationEvents.close());
      await step('housekeeping', () => this.housekeeping.stop());
      await step('usage flush', () => this.usage.stop());
      await step('outbox drain', () => this.drainOutbox(3_000));
      await step('outbox relay', () => this.relay.stop());
      await step('config view', () => this.configView.stop());
      await step('kafka', () => this.bus.disconnect());
      await step('mongo', () => this.connection.close());
      this.logger.info('oauth runtime closed');
    })();
    return this.closing;
  }
}
