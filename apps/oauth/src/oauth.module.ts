import { createConfigView, createKafkaEndOffsets, type ConfigView } from '@integrations/config-client';
import { Topics, type Settings } from '@integrations/contracts';
import {
  CHANGE_SIGNALS_COLLECTION,
  ChangeSignal,
  connectMongo,
  EventStore,
  OutboxRelay,
  RELAY_LEASES_COLLECTION,
  RelayLease,
  type ChangeSignalDocument,
  type RelayLeaseDocument,
} from '@integrations/event-store';
import {
  createKafkaMessageBus,
  ensureCatalogueTopics,
  type MessageBus,
  type Subscription,
} from '@integrations/messaging';
import { HealthController, READINESS_CHECKS, type Logger, type ReadinessCheck } from '@integrations/service-kit';
import {
  Injectable,
  Module,
  type DynamicModule,
  type InjectionToken,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type mongoose from 'mongoose';
import { VerifyApiCallController } from './api-call/verify-api-call/verify-api-call.controller';
import { VerifyApiCallHandler } from './api-call/verify-api-call/verify-api-call.handler';
import {
  CONSUMERS_COLLECTION,
  ConsumerStore,
  SECRET_ROTATIONS_COLLECTION,
  type ConsumerDocument,
  type SecretRotationClaimDocument,
} from './consumer/consumer.store';
import { CredentialRemoval } from './consumer/credential-removal';
import { CredentialDetailsController } from './credentials/credential-details/credential-details.controller';
import { CredentialDetailsHandler } from './credentials/credential-details/credential-details.handler';
import {
  CREDENTIAL_USES_COLLECTION,
  CredentialUseRecorder,
  type CredentialUseDocument,
} from './credentials/credential-use/credential-use.recorder';
import { RotateConsumerSecretController } from './credentials/rotate-consumer-secret/rotate-consumer-secret.controller';
import { RotateConsumerSecretHandler } from './credentials/rotate-consumer-secret/rotate-consumer-secret.handler';
import { IssueCredentialsController } from './credentials/issue-credentials/issue-credentials.controller';
import { IssueCredentialsHandler } from './credentials/issue-credentials/issue-credentials.handler';
import { SecretBox } from './crypto/secret-box';
import { OauthEventLog } from './events/oauth-event-log';
import { Housekeeping } from './housekeeping';
import { subscribeIntegrationEvents } from './integration-status/integration-events.consumer';
import {
  INTEGRATION_STATUS_COLLECTION,
  IntegrationStatusProjection,
  type IntegrationStatusDocument,
} from './integration-status/integration-status.projection';
import { MongoNonceStore, NONCES_COLLECTION, type NonceDocument } from './nonce/nonce.store';
import { IntegrationNotifications } from './notifications/integration-notifications';
import {
  NotificationQueue,
  PARTNER_NOTIFICATIONS_COLLECTION,
  type PartnerNotificationDocument,
} from './notifications/notification-queue';
import {
  NOTIFICATION_TARGETS_COLLECTION,
  NotificationTargets,
  type NotificationTargetDocument,
} from './notifications/notification-targets';
import { PartnerNotifier } from './notifications/partner-notifier';
import type { OauthEnv } from './oauth.env';
import { OauthSettings } from './oauth-settings';
import { ShutdownSequence } from './shutdown-sequence';
import { ActivationCompletionClient } from './token-exchange/access-token/activation-completion.client';
import { AccessTokenController } from './token-exchange/access-token/access-token.controller';
import { AccessTokenHandler } from './token-exchange/access-token/access-token.handler';
import { RequestTokenController } from './token-exchange/request-token/request-token.controller';
import { RequestTokenHandler } from './token-exchange/request-token/request-token.handler';
import { TOKENS_COLLECTION, TokenStore, type TokenDocument } from './token/token.store';
import {
  LEGACY_USAGE_COLLECTION,
  USAGE_COUNTS_COLLECTION,
  UsageRecorder,
  type LegacyUsageDocument,
  type UsageCountDocument,
} from './usage/usage-recorder';
import { CREDENTIALS_SIGNAL, CredentialCache } from './verification/credential-cache';

export const OAUTH_SOURCE = '/integrations/oauth';
export const EVENTS_COLLECTION = 'events';

// Tokens of the parts that are not classes (a class is its own token); start.ts reads them for tests.
export const OAUTH_TOPICS = Symbol('OAUTH_TOPICS');
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
export const CONFIG_VIEW = Symbol('CONFIG_VIEW');
const INTEGRATION_EVENTS = Symbol('INTEGRATION_EVENTS');

export interface OauthTopics {
  integration: string;
  oauth: string;
  config: string;
}

export interface OauthModuleOptions {
  env: OauthEnv;
  logger: Logger;
  /** Opened before Nest (start.ts), so a missing or bad key fails the boot before anything connects. */
  box: SecretBox;
  /** Where each part registers how it stops; start.ts closes it if the boot fails. */
  shutdown: ShutdownSequence;
  /** Setting values that take precedence over the config service's (tests, benchmarks). */
  pinnedSettings?: Partial<Settings>;
}

/** Nest's shutdown hook (SIGTERM, app.close(), after HTTP closed) runs the shutdown sequence. */
@Injectable()
class OauthShutdown implements OnApplicationShutdown {
  constructor(private readonly shutdown: ShutdownSequence) {}
  async onApplicationShutdown(): Promise<void> {
    await this.shutdown.close();
  }
}

const collection = <T extends mongoose.mongo.Document>(connection: mongoose.Connection, name: string) =>
  connection.db!.collection<T>(name);

/** A provider built (maybe asynchronously) from the providers named in `inject`, in that order. */
const factory = <T>(
  provide: InjectionToken,
  inject: InjectionToken[],
  useFactory: (...args: never[]) => T | Promise<T>,
): Provider => ({ provide, inject, useFactory });

/**
 * Mongo (stores, caches, change signal, relay lease) and Kafka (relay, integration events, config
 * view), each built once, in dependency order, with how it stops registered as it starts.
 */
function infrastructure({ env, logger, box, shutdown, pinnedSettings }: OauthModuleOptions): Provider[] {
  const prefix = env.OAUTH_TOPIC_PREFIX;
  const topics: OauthTopics = {
    integration: `${prefix}${Topics.integration}`,
    oauth: `${prefix}${Topics.oauth}`,
    config: `${prefix}${Topics.config}`,
  };
  return [
    { provide: OAUTH_TOPICS, useValue: topics },
    { provide: ShutdownSequence, useValue: shutdown },
    { provide: SecretBox, useValue: box },
    factory(MONGO_CONNECTION, [], async () => {
      const connection = await connectMongo(env.MONGO_URL, env.OAUTH_DB);
      shutdown.add('database', 'mongo', () => connection.close());
      return connection;
    }),
    factory(MESSAGE_BUS, [], async () => {
      await ensureCatalogueTopics({
        brokers: env.KAFKA_BROKERS,
        prefix,
        replicationFactor: env.KAFKA_TOPIC_REPLICATION,
        clientId: 'oauth',
        onAligned: (change) => logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
      });
      const bus = createKafkaMessageBus({
        brokers: env.KAFKA_BROKERS,
        clientId: 'oauth',
        logger: (entry) => logger[entry.level]({ ...entry, logger: undefined, source: entry.logger }, entry.message),
      });
      shutdown.add('kafka', 'kafka', () => bus.disconnect());
      await bus.connect();
      return bus;
    }),
    factory(CONFIG_VIEW, [MESSAGE_BUS], async (bus: MessageBus) => {
      const view = createConfigView({
        bus,
        groupIdPrefix: `${prefix}oauth`,
        logger,
        endOffsets: createKafkaEndOffsets(env.KAFKA_BROKERS, 'oauth-config-view'),
        topic: topics.config,
      });
      await view.start();
      shutdown.add('consumers', 'config view', () => view.stop());
      return view;
    }),
    factory(OauthSettings, [CONFIG_VIEW], (view: ConfigView) => new OauthSettings(view, pinnedSettings)),

    factory(ConsumerStore, [MONGO_CONNECTION, SecretBox], async (connection: mongoose.Connection, box: SecretBox) => {
      const store = new ConsumerStore(
        collection<ConsumerDocument>(connection, CONSUMERS_COLLECTION),
        box,
        collection<SecretRotationClaimDocument>(connection, SECRET_ROTATIONS_COLLECTION),
      );
      await store.ensureIndexes();
      return store;
    }),
    factory(TokenStore, [MONGO_CONNECTION, SecretBox], async (connection: mongoose.Connection, box: SecretBox) => {
      const store = new TokenStore(collection<TokenDocument>(connection, TOKENS_COLLECTION), box);
      await store.ensureIndexes();
      return store;
    }),
    factory(MongoNonceStore, [MONGO_CONNECTION], async (connection: mongoose.Connection) => {
      const store = new MongoNonceStore(collection<NonceDocument>(connection, NONCES_COLLECTION));
      await store.ensureIndexes();
      return store;
    }),
    factory(
      IntegrationStatusProjection,
      [MONGO_CONNECTION],
      (connection: mongoose.Connection) =>
        new IntegrationStatusProjection(
          collection<IntegrationStatusDocument>(connection, INTEGRATION_STATUS_COLLECTION),
        ),
    ),
    factory(
      CredentialCache,
      [MONGO_CONNECTION, ConsumerStore, TokenStore],
      (connection: mongoose.Connection, consumers: ConsumerStore, tokens: TokenStore) =>
        new CredentialCache(
          new ChangeSignal(collection<ChangeSignalDocument>(connection, CHANGE_SIGNALS_COLLECTION), CREDENTIALS_SIGNAL),
          consumers,
          tokens,
        ),
    ),

    // The outbox: every replica runs a relay; only the lease holder publishes (docs/adr/0006 §4).
    factory(OutboxRelay, [MONGO_CONNECTION, MESSAGE_BUS], async (connection: mongoose.Connection, bus: MessageBus) => {
      const store = new EventStore(connection, { collection: EVENTS_COLLECTION });
      await store.ensureIndexes();
      const lease = new RelayLease(collection<RelayLeaseDocument>(connection, RELAY_LEASES_COLLECTION), 'oauth', {
        logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
      });
      await lease.ensureIndexes();
      const relay = new OutboxRelay({
        store,
        publisher: bus,
        topicFor: () => topics.oauth,
        source: OAUTH_SOURCE,
        lease,
        logger: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
        metrics: { service: 'oauth', relay: 'oauth' },
      });
      relay.start();
      shutdown.add('relay', 'outbox relay', async () => {
        await drainOutbox(relay, logger, 3_000);
        await relay.stop();
      });
      return relay;
    }),
    factory(
      OauthEventLog,
      [MONGO_CONNECTION, OutboxRelay],
      (connection: mongoose.Connection, relay: OutboxRelay) =>
        new OauthEventLog(new EventStore(connection, { collection: EVENTS_COLLECTION }), () => relay.nudge()),
    ),

    factory(
      UsageRecorder,
      [MONGO_CONNECTION, OauthEventLog],
      async (connection: mongoose.Connection, events: OauthEventLog) => {
        const usage = new UsageRecorder(
          collection<UsageCountDocument>(connection, USAGE_COUNTS_COLLECTION),
          collection<LegacyUsageDocument>(connection, LEGACY_USAGE_COLLECTION),
          events,
          logger,
        );
        await usage.ensureIndexes();
        usage.start(env.OAUTH_USAGE_FLUSH_MS);
        // Its last events go through the relay, which stops after it.
        shutdown.add('timers', 'usage flush', () => usage.stop());
        return usage;
      },
    ),
    factory(CredentialUseRecorder, [MONGO_CONNECTION], (connection: mongoose.Connection) => {
      const uses = new CredentialUseRecorder(
        collection<CredentialUseDocument>(connection, CREDENTIAL_USES_COLLECTION),
        logger,
      );
      // Integration Details' "last used": as current as the usage figures, written as often.
      uses.start(env.OAUTH_USAGE_FLUSH_MS);
      shutdown.add('timers', 'credential last-use flush', () => uses.stop());
      return uses;
    }),
    // Partner notifications: a durable queue, sent by one replica at a time (its own lease).
    factory(
      PartnerNotifier,
      [MONGO_CONNECTION, SecretBox, OauthSettings, OauthEventLog],
      async (connection: mongoose.Connection, box: SecretBox, settings: OauthSettings, events: OauthEventLog) => {
        const queue = new NotificationQueue(
          collection<PartnerNotificationDocument>(connection, PARTNER_NOTIFICATIONS_COLLECTION),
        );
        await queue.ensureIndexes();
        const lease = new RelayLease(
          collection<RelayLeaseDocument>(connection, RELAY_LEASES_COLLECTION),
          'partner-notifications',
          { logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) } },
        );
        const notifier = new PartnerNotifier(queue, box, settings, events, lease, logger, {
          retryBaseMs: env.OAUTH_NOTIFY_RETRY_BASE_MS,
          maxAttempts: env.OAUTH_NOTIFY_MAX_ATTEMPTS,
          pollMs: env.OAUTH_NOTIFY_POLL_MS,
        });
        notifier.start();
        // Its last events go through the relay, which stops after it.
        shutdown.add('timers', 'partner notifications', () => notifier.stop());
        return notifier;
      },
    ),
    factory(
      IntegrationNotifications,
      [MONGO_CONNECTION, ConsumerStore, SecretBox, PartnerNotifier],
      (connection: mongoose.Connection, consumers: ConsumerStore, box: SecretBox, notifier: PartnerNotifier) =>
        new IntegrationNotifications(
          new NotificationTargets(collection<NotificationTargetDocument>(connection, NOTIFICATION_TARGETS_COLLECTION)),
          new NotificationQueue(collection<PartnerNotificationDocument>(connection, PARTNER_NOTIFICATIONS_COLLECTION)),
          consumers,
          box,
          () => notifier.nudge(),
          logger,
        ),
    ),
    factory(
      CredentialRemoval,
      [ConsumerStore, TokenStore, MongoNonceStore, CredentialCache, OauthEventLog],
      (...parts: ConstructorParameters<typeof CredentialRemoval>) => new CredentialRemoval(...parts),
    ),
    factory(
      INTEGRATION_EVENTS,
      [MESSAGE_BUS, IntegrationStatusProjection, CredentialRemoval, UsageRecorder, IntegrationNotifications],
      async (
        bus: MessageBus,
        projection: IntegrationStatusProjection,
        removal: CredentialRemoval,
        usage: UsageRecorder,
        notifications: IntegrationNotifications,
      ): Promise<Subscription> => {
        const subscription = await subscribeIntegrationEvents({
          bus,
          topic: topics.integration,
          groupId: `${prefix}oauth-integration-status`,
          projection,
          removal,
          usage,
          notifications,
          logger,
        });
        shutdown.add('consumers', 'integration events', () => subscription.close());
        return subscription;
      },
    ),
    factory(
      Housekeeping,
      [MongoNonceStore, TokenStore, CredentialCache, OauthSettings, ConsumerStore],
      (
        nonces: MongoNonceStore,
        tokens: TokenStore,
        cache: CredentialCache,
        settings: OauthSettings,
        consumers: ConsumerStore,
      ) => {
        const housekeeping = new Housekeeping(nonces, tokens, cache, settings, logger, consumers);
        housekeeping.start(env.OAUTH_CLEANUP_INTERVAL_MS);
        shutdown.add('timers', 'housekeeping', () => housekeeping.stop());
        return housekeeping;
      },
    ),
    {
      provide: ActivationCompletionClient,
      useValue: new ActivationCompletionClient({
        registryUrl: env.REGISTRY_URL,
        timeoutMs: env.OAUTH_REGISTRY_TIMEOUT_MS,
        logger,
      }),
    },
    factory(
      READINESS_CHECKS,
      [MONGO_CONNECTION, MESSAGE_BUS],
      (connection: mongoose.Connection, bus: MessageBus): ReadinessCheck[] => [
        { name: 'mongo', check: async () => (await connection.db!.command({ ping: 1 })).ok === 1 },
        // Not critical: no request waits for Kafka (the outbox absorbs writes, consumers catch up).
        { name: 'kafka', critical: false, check: () => bus.isReachable() },
      ],
    ),
  ];
}

/**
 * Waits (bounded) until the relay published what is in the outbox, e.g. the last usage events. Only
 * the lease holder publishes; another replica leaves its events to it.
 */
async function drainOutbox(relay: OutboxRelay, logger: Logger, timeoutMs: number): Promise<void> {
  if (!relay.isActive()) return;
  const deadline = Date.now() + timeoutMs;
  relay.nudge();
  while ((await relay.backlog()) > 0) {
    if (Date.now() > deadline) {
      logger.warn('Outbox not drained before shutdown; the relay holding the lease publishes the rest');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The oauth service. Handlers are plain injectables called by their controllers (no CommandBus):
 * the verification path is the platform's hottest and gains nothing from a dispatch layer. Each
 * handler is given the stores and caches it uses, nothing more.
 */
@Module({})
export class OauthModule {
  static forRoot(options: OauthModuleOptions): DynamicModule {
    return {
      module: OauthModule,
      controllers: [
        HealthController,
        IssueCredentialsController,
        CredentialDetailsController,
        RotateConsumerSecretController,
        RequestTokenController,
        AccessTokenController,
        VerifyApiCallController,
      ],
      providers: [
        ...infrastructure(options),
        OauthShutdown,
        IssueCredentialsHandler,
        CredentialDetailsHandler,
        RotateConsumerSecretHandler,
        RequestTokenHandler,
        AccessTokenHandler,
        VerifyApiCallHandler,
      ],
    };
  }
}
