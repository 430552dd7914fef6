import { Topics } from '@integrations/contracts';
import {
  connectMongo,
  EventStore,
  OutboxRelay,
  RELAY_LEASES_COLLECTION,
  RelayLease,
  type RelayLeaseDocument,
} from '@integrations/event-store';
import { createKafkaMessageBus, ensureCatalogueTopics, type MessageBus } from '@integrations/messaging';
import { HealthController, READINESS_CHECKS, type Logger, type ReadinessCheck } from '@integrations/service-kit';
import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type mongoose from 'mongoose';
import type { ConfigServiceEnv } from './config.env';
import { ChangeSettingsController } from './settings/change-settings/change-settings.controller';
import { ChangeSettingsHandler } from './settings/change-settings/change-settings.handler';
import { GetSettingsController } from './settings/get-settings/get-settings.controller';
import { GetSettingsHandler } from './settings/get-settings/get-settings.handler';
import { SettingsRepository } from './settings/settings.repository';

export const CONFIG_EVENT_SOURCE = '/integrations/config';
/** The lease that elects the one replica whose relay publishes (docs/adr/0006 §4). */
export const CONFIG_RELAY_LEASE = 'config-outbox';

// Values that are not classes need a token.
const CONFIG_ENV = Symbol('CONFIG_ENV');
const CONFIG_LOGGER = Symbol('CONFIG_LOGGER');
const CONFIG_DB = Symbol('CONFIG_DB');
const MESSAGE_BUS = Symbol('MESSAGE_BUS');

export function configTopic(env: Pick<ConfigServiceEnv, 'CONFIG_TOPIC_PREFIX'>): string {
  return `${env.CONFIG_TOPIC_PREFIX}${Topics.config}`;
}

/** Each provider builds one thing from what it injects; nothing connects here but Mongo. */
function providers(env: ConfigServiceEnv, logger: Logger): Provider[] {
  const topic = configTopic(env);
  return [
    { provide: CONFIG_ENV, useValue: env },
    { provide: CONFIG_LOGGER, useValue: logger },
    { provide: CONFIG_DB, useFactory: () => connectMongo(env.MONGO_URL, env.CONFIG_DB) },
    { provide: EventStore, inject: [CONFIG_DB], useFactory: (db: mongoose.Connection) => new EventStore(db) },
    {
      provide: MESSAGE_BUS,
      useFactory: (): MessageBus =>
        createKafkaMessageBus({
          brokers: env.KAFKA_BROKERS,
          clientId: 'config',
          logger: (entry) => logger[entry.level]({ ...entry, logger: undefined, source: entry.logger }, entry.message),
        }),
    },
    {
      provide: RelayLease,
      inject: [CONFIG_DB],
      useFactory: (db: mongoose.Connection) =>
        new RelayLease(db.db!.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION), CONFIG_RELAY_LEASE, {
          logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
        }),
    },
    {
      provide: OutboxRelay,
      inject: [EventStore, MESSAGE_BUS, RelayLease],
      useFactory: (store: EventStore, bus: MessageBus, lease: RelayLease) =>
        new OutboxRelay({
          store,
          publisher: bus,
          lease,
          topicFor: (event) => (event.type === 'ConfigChanged' ? topic : null),
          source: CONFIG_EVENT_SOURCE,
          logger: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
          metrics: { service: 'config', relay: 'config' },
        }),
    },
    {
      provide: SettingsRepository,
      inject: [EventStore],
      useFactory: (store: EventStore) => new SettingsRepository(store),
    },
    GetSettingsHandler,
    ChangeSettingsHandler,
    {
      provide: READINESS_CHECKS,
      inject: [CONFIG_DB, MESSAGE_BUS],
      useFactory: (db: mongoose.Connection, bus: MessageBus): ReadinessCheck[] => [
        { name: 'mongo', check: async () => (await db.db?.admin().ping())?.ok === 1 },
        // Not critical: no request waits for Kafka (the outbox absorbs writes, consumers catch up).
        { name: 'kafka', critical: false, check: () => bus.isReachable() },
      ],
    },
  ];
}

/**
 * The config service: the settings stream and its outbox relay. Every replica runs a relay; the
 * one holding the `config-outbox` lease publishes. The module starts Kafka and the relay once the
 * providers are built, and stops them in reverse after the HTTP server closed (the relay finishes
 * its batch and gives the lease up, so another replica takes over at once).
 */
@Module({})
export class ConfigServiceModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(env: ConfigServiceEnv, logger: Logger): DynamicModule {
    return {
      module: ConfigServiceModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController, GetSettingsController, ChangeSettingsController],
      providers: providers(env, logger),
    };
  }

  /** What onModuleInit started, to stop in reverse order. */
  private readonly started: Array<[string, () => Promise<unknown>]> = [];

  constructor(
    @Inject(CONFIG_ENV) private readonly env: ConfigServiceEnv,
    @Inject(CONFIG_LOGGER) private readonly logger: Logger,
    @Inject(CONFIG_DB) private readonly db: mongoose.Connection,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(RelayLease) private readonly lease: RelayLease,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {
    this.started.push(['mongo', () => this.db.close()]);
  }

  async onModuleInit(): Promise<void> {
    await this.store.ensureIndexes();
    await this.lease.ensureIndexes();
    await ensureCatalogueTopics({
      brokers: this.env.KAFKA_BROKERS,
      prefix: this.env.CONFIG_TOPIC_PREFIX,
      replicationFactor: this.env.KAFKA_TOPIC_REPLICATION,
      clientId: 'config',
      onAligned: (change) => this.logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
    });
    this.started.push(['kafka', () => this.bus.disconnect()]);
    await this.bus.connect();
    this.started.push(['outbox relay', () => this.relay.stop()]);
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    const steps = this.started.splice(0).reverse();
    for (const [name, stop] of steps)
      await stop().catch((error: unknown) =>
        this.logger.error({ err: { message: (error as Error).message }, step: name }, 'Shutdown step failed'),
      );
    if (steps.length > 0) this.logger.info('config: relay, Kafka and Mongo closed');
  }
}
