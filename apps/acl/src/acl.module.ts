import { createConfigView, createKafkaEndOffsets, type ConfigView } from '@integrations/config-client';
import { ChangeSignal, CHANGE_SIGNALS_COLLECTION, connectMongo } from '@integrations/event-store';
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
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { AccessCache } from './access/access.cache';
import { AccessController } from './access/access.controller';
import {
  ACCESS_HOLDS_COLLECTION,
  ACCESS_SNAPSHOTS_COLLECTION,
  AccessStore,
  type AccessHoldDocument,
  type AccessSnapshotDocument,
} from './access/access.store';
import { HoldSweeper } from './access/hold-sweeper';
import { RegistryAccessClient } from './access/registry-access.client';
import { aclTopics, type AclConfig, type AclEnv } from './acl.env';
import { AclCatalog } from './catalog/acl-catalog';
import { ResourcesController } from './catalog/resources.controller';
import { serveDecideBatchFirst } from './decisions/decide-batch.listener';
import { defaultRateLimit } from './decisions/default-rate-limit';
import { DecisionService } from './decisions/decision.service';
import { DecisionsController } from './decisions/decisions.controller';
import { GrantsConsumer } from './grants/grants.consumer';
import { GrantsController } from './grants/grants.controller';
import { GRANTS_COLLECTION, GrantsProjection, type GrantsDocument } from './grants/grants.projection';
import { toIntegrationGrants, type IntegrationGrants } from './grants/integration-grants';
import { createRouteMatcher } from './routes/match-route';

// Values that are not classes need a token.
const ACL_ENV = Symbol('ACL_ENV');
const ACL_LOGGER = Symbol('ACL_LOGGER');
const ACL_DB = Symbol('ACL_DB');
const MESSAGE_BUS = Symbol('MESSAGE_BUS');
const CONFIG_VIEW = Symbol('CONFIG_VIEW');

const ALLOW_INSECURE = 'webapi/webapisecurity/allow_insecure';
/** A decision batch carries up to 1,000 calls of up to 16 KiB of path each; real ones are far smaller. */
const BATCH_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** The one change signal of the acl database: any hold, snapshot or projected grant moves it. */
const ACCESS_SIGNAL = 'access';

/** Each provider builds one thing from what it injects; nothing connects here but Mongo. */
function providers({ env, catalog, routeMap }: AclConfig, logger: Logger): Provider[] {
  const topics = aclTopics(env);
  return [
    { provide: ACL_ENV, useValue: env },
    { provide: ACL_LOGGER, useValue: logger },
    { provide: AclCatalog, useValue: catalog },
    { provide: ACL_DB, useFactory: () => connectMongo(env.MONGO_URL, env.ACL_DB) },
    {
      provide: MESSAGE_BUS,
      useFactory: (): MessageBus =>
        createKafkaMessageBus({
          brokers: env.KAFKA_BROKERS,
          clientId: 'acl',
          logger: (entry) => logger[entry.level](entry, entry.message),
        }),
    },
    {
      provide: ChangeSignal,
      inject: [ACL_DB],
      useFactory: (db: mongoose.Connection) =>
        new ChangeSignal(db.db!.collection(CHANGE_SIGNALS_COLLECTION), ACCESS_SIGNAL),
    },
    {
      provide: GrantsProjection,
      inject: [ACL_DB],
      useFactory: (db: mongoose.Connection) =>
        new GrantsProjection(db.db!.collection<GrantsDocument>(GRANTS_COLLECTION)),
    },
    {
      provide: AccessStore,
      inject: [ACL_DB, GrantsProjection, ChangeSignal],
      useFactory: (db: mongoose.Connection, projection: GrantsProjection, signal: ChangeSignal) =>
        new AccessStore(
          db.db!.collection<AccessSnapshotDocument>(ACCESS_SNAPSHOTS_COLLECTION),
          db.db!.collection<AccessHoldDocument>(ACCESS_HOLDS_COLLECTION),
          projection,
          signal,
        ),
    },
    {
      provide: AccessCache,
      inject: [ChangeSignal, AccessStore],
      useFactory: (signal: ChangeSignal, store: AccessStore) =>
        new AccessCache<IntegrationGrants | null>(
          signal,
          async (integrationId) => {
            const { effective } = await store.read(integrationId);
            return effective && toIntegrationGrants(effective, catalog);
          },
          env.ACL_ACCESS_CACHE_ENTRIES,
        ),
    },
    {
      provide: CONFIG_VIEW,
      inject: [MESSAGE_BUS],
      useFactory: (bus: MessageBus) =>
        createConfigView({
          bus,
          groupIdPrefix: `${env.ACL_TOPIC_PREFIX}acl`,
          logger,
          endOffsets: createKafkaEndOffsets(env.KAFKA_BROKERS, 'acl-config-view'),
          topic: topics.config,
        }),
    },
    {
      provide: DecisionService,
      inject: [AccessCache, ChangeSignal, CONFIG_VIEW],
      useFactory: (cache: AccessCache<IntegrationGrants | null>, signal: ChangeSignal, configView: ConfigView) =>
        new DecisionService({
          match: createRouteMatcher(routeMap),
          grants: cache,
          fresh: () => signal.fresh(),
          allowInsecure: () => configView.get(ALLOW_INSECURE),
          defaultRateLimit: () => defaultRateLimit(configView),
          upstreams: routeMap.upstreams,
        }),
    },
    {
      provide: GrantsConsumer,
      inject: [MESSAGE_BUS, GrantsProjection, ChangeSignal],
      useFactory: (bus: MessageBus, projection: GrantsProjection, signal: ChangeSignal) =>
        new GrantsConsumer({
          bus,
          topic: topics.integration,
          groupId: `${env.ACL_TOPIC_PREFIX}${env.ACL_CONSUMER_GROUP}`,
          projection,
          signal,
          logger,
        }),
    },
    {
      provide: HoldSweeper,
      inject: [AccessStore],
      useFactory: (store: AccessStore) =>
        new HoldSweeper(store, new RegistryAccessClient(env.REGISTRY_URL), {
          resolveAfterMs: env.ACL_HOLD_RESOLVE_AFTER_MS,
          everyMs: env.ACL_HOLD_SWEEP_EVERY_MS,
          logger,
        }),
    },
    {
      provide: READINESS_CHECKS,
      inject: [ACL_DB, MESSAGE_BUS],
      useFactory: (db: mongoose.Connection, bus: MessageBus): ReadinessCheck[] => [
        { name: 'mongo', check: async () => (await db.db?.admin().ping())?.ok === 1 },
        // Not critical: no request waits for Kafka (the outbox absorbs writes, consumers catch up).
        { name: 'kafka', critical: false, check: () => bus.isReachable() },
      ],
    },
  ];
}

/**
 * The acl service: the access authority of the signed path (docs/adr/0006 §1). The module starts
 * what runs in the background (Kafka, the grants consumer, the config view, the hold sweeper) in
 * order once every provider is built, and stops it in reverse after the HTTP server closed, so
 * that in-flight requests finish first. A boot that fails half-way stops what it had started.
 */
@Module({})
export class AclModule implements OnModuleInit, OnApplicationShutdown {
  static forRoot(config: AclConfig, logger: Logger): DynamicModule {
    return {
      module: AclModule,
      controllers: [HealthController, ResourcesController, DecisionsController, GrantsController, AccessController],
      providers: providers(config, logger),
    };
  }

  /** What onModuleInit started, to stop in reverse order. */
  private readonly started: Array<[string, () => Promise<unknown>]> = [];

  constructor(
    @Inject(ACL_ENV) private readonly env: AclEnv,
    @Inject(ACL_LOGGER) private readonly logger: Logger,
    @Inject(ACL_DB) private readonly db: mongoose.Connection,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(CONFIG_VIEW) private readonly configView: ConfigView,
    @Inject(AccessStore) private readonly store: AccessStore,
    @Inject(GrantsConsumer) private readonly grants: GrantsConsumer,
    @Inject(HoldSweeper) private readonly sweeper: HoldSweeper,
    @Inject(DecisionService) private readonly decisions: DecisionService,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
  ) {
    this.started.push(['mongo', () => this.db.close()]);
  }

  async onModuleInit(): Promise<void> {
    serveDecideBatchFirst(this.http.httpAdapter.getHttpServer() as Server, {
      decisions: this.decisions,
      bodyLimitBytes: BATCH_BODY_LIMIT_BYTES,
      logger: this.logger,
    });
    await this.store.ensureIndexes();
    await ensureCatalogueTopics({
      brokers: this.env.KAFKA_BROKERS,
      prefix: this.env.ACL_TOPIC_PREFIX,
      replicationFactor: this.env.KAFKA_TOPIC_REPLICATION,
      clientId: 'acl',
      onAligned: (change) => this.logger.warn(change, 'Kafka topic setting aligned with the topic catalogue'),
    });
    this.started.push(['kafka', () => this.bus.disconnect()]);
    await this.bus.connect();
    this.started.push(['config view', () => this.configView.stop()]);
    await this.configView.start();
    this.started.push(['grants consumer', () => this.grants.close()]);
    await this.grants.start();
    this.started.push(['hold sweeper', () => this.sweeper.stop()]);
    this.sweeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const [name, stop] of this.started.splice(0).reverse())
      await stop().catch((error: unknown) =>
        this.logger.error({ err: { message: (error as Error).message }, step: name }, 'Shutdown step failed'),
      );
    this.logger.info('acl stopped: sweeper, consumers, Kafka and Mongo closed');
  }
}
