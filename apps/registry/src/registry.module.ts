import {
  EventStore,
  OutboxRelay,
  RELAY_LEASES_COLLECTION,
  RelayLease,
  type RelayLeaseDocument,
} from '@integrations/event-store';
import { HealthController, type Logger, READINESS_CHECKS } from '@integrations/service-kit';
import { type DynamicModule, Module } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { AclAccessClient } from './integration/acl-access.client';
import { AclCatalog } from './integration/acl-catalog';
import { subscribeAccessTokenGranted } from './integration/complete-activation/access-token-granted.consumer';
import { CompleteActivationCommand } from './integration/complete-activation/complete-activation.command';
import { CompleteActivationController } from './integration/complete-activation/complete-activation.controller';
import { CompleteActivationHandler } from './integration/complete-activation/complete-activation.handler';
import { CreateIntegrationController } from './integration/create-integration/create-integration.controller';
import { CreateIntegrationHandler } from './integration/create-integration/create-integration.handler';
import { DeleteIntegrationController } from './integration/delete-integration/delete-integration.controller';
import { DeleteIntegrationHandler } from './integration/delete-integration/delete-integration.handler';
import { ExpireIntegrationHandler } from './integration/expire-integration/expire-integration.handler';
import { ExpiryJob } from './integration/expire-integration/expiry-job';
import { GetIntegrationAccessController } from './integration/get-integration-access/get-integration-access.controller';
import { GetIntegrationAccessHandler } from './integration/get-integration-access/get-integration-access.handler';
import { GetIntegrationController } from './integration/get-integration/get-integration.controller';
import { GetIntegrationHandler } from './integration/get-integration/get-integration.handler';
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
import { IntegrationHistoryController } from './integration/integration-history/integration-history.controller';
import { IntegrationHistoryHandler } from './integration/integration-history/integration-history.handler';
import { IntegrationProjector } from './integration/integration-projector';
import {
  EVENTS_COLLECTION,
  holderState,
  IntegrationRepository,
  loadIntegration,
} from './integration/integration.repository';
import { ListIntegrationsController } from './integration/list-integrations/list-integrations.controller';
import { ListIntegrationsHandler } from './integration/list-integrations/list-integrations.handler';
import { ManifestReconciler } from './integration/manifest/manifest-reconciler';
import { NAME_RESERVATIONS_COLLECTION, type NameReservation, NameReservations } from './integration/name-reservations';
import { ReadYourWrites } from './integration/read-your-writes';
import { ResetIntegrationHandler } from './integration/reset-integration/reset-integration.handler';
import { ResumeIntegrationController } from './integration/resume-integration/resume-integration.controller';
import { ResumeIntegrationHandler } from './integration/resume-integration/resume-integration.handler';
import { StartActivationController } from './integration/start-activation/start-activation.controller';
import { StartActivationHandler } from './integration/start-activation/start-activation.handler';
import { SuspendIntegrationController } from './integration/suspend-integration/suspend-integration.controller';
import { SuspendIntegrationHandler } from './integration/suspend-integration/suspend-integration.handler';
import { UpdateIntegrationController } from './integration/update-integration/update-integration.controller';
import { UpdateIntegrationHandler } from './integration/update-integration/update-integration.handler';
import type { RegistryConnections } from './registry.connections';
import type { RegistryEnv } from './registry.env';
import { RegistryLifecycle } from './registry.lifecycle';
import { REGISTRY_LOGGER } from './registry.tokens';

/** CloudEvents `source` of the registry's events. */
export const REGISTRY_SOURCE = '/integrations/registry';
/** One publishing relay per event store, whatever the number of replicas (docs/adr/0006 §4). */
export const RELAY_LEASE_NAME = 'registry-integration-outbox';
/** One replica publishes IntegrationExpired (docs/adr/0010). */
export const EXPIRY_LEASE_NAME = 'registry-integration-expiry';

export interface RegistryModuleOptions {
  env: RegistryEnv;
  logger: Logger;
  connections: RegistryConnections;
  catalog: AclCatalog;
  /** A manifest will be applied once HTTP listens: not ready until then. */
  expectManifest: boolean;
}

@Module({})
export class RegistryModule {
  /**
   * Each handler gets what it uses, by class. The infrastructure classes stay free of Nest: they are
   * built here by factories (and used as they are by tools and tests).
   */
  static forRoot({ env, logger, connections, catalog, expectManifest }: RegistryModuleOptions): DynamicModule {
    const { db, bus, topics } = connections;
    return {
      module: RegistryModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        HealthController,
        ListIntegrationsController,
        CreateIntegrationController,
        IntegrationHistoryController,
        GetIntegrationAccessController,
        GetIntegrationController,
        UpdateIntegrationController,
        DeleteIntegrationController,
        StartActivationController,
        CompleteActivationController,
        SuspendIntegrationController,
        ResumeIntegrationController,
      ],
      providers: [
        { provide: REGISTRY_LOGGER, useValue: logger },
        { provide: AclCatalog, useValue: catalog },
        {
          provide: EventStore,
          useFactory: async () => {
            const store = new EventStore(connections.connection, { collection: EVENTS_COLLECTION });
            await store.ensureIndexes();
            return store;
          },
        },
        {
          provide: IntegrationGridProjection,
          useFactory: async () => {
            const grid = new IntegrationGridProjection(
              db.collection<GridDocument>(GRID_COLLECTION),
              db.collection<UsageDocument>(USAGE_COLLECTION),
            );
            await grid.ensureIndexes();
            return grid;
          },
        },
        {
          provide: IntegrationHistoryProjection,
          useFactory: async () => {
            const history = new IntegrationHistoryProjection(db.collection<HistoryDocument>(HISTORY_COLLECTION));
            await history.ensureIndexes();
            return history;
          },
        },
        {
          provide: OutboxRelay,
          useFactory: async (store: EventStore) => {
            const lease = new RelayLease(db.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION), RELAY_LEASE_NAME, {
              logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
            });
            await lease.ensureIndexes();
            return new OutboxRelay({
              store,
              publisher: bus,
              topicFor: () => topics.integration,
              source: REGISTRY_SOURCE,
              lease,
              logger: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
              metrics: { service: 'registry', relay: 'integration' },
            });
          },
          inject: [EventStore],
        },
        { provide: AclAccessClient, useFactory: () => new AclAccessClient(env.ACL_URL, env.ACCESS_SYNC_TIMEOUT_MS) },
        {
          provide: NameReservations,
          useFactory: (store: EventStore) =>
            new NameReservations(db.collection<NameReservation>(NAME_RESERVATIONS_COLLECTION), async (id) =>
              holderState((await loadIntegration(store, id)).state),
            ),
          inject: [EventStore],
        },
        {
          provide: IntegrationRepository,
          useFactory: (store: EventStore, names: NameReservations, acl: AclAccessClient, relay: OutboxRelay) =>
            new IntegrationRepository(store, names, acl, logger, () => relay.nudge()),
          inject: [EventStore, NameReservations, AclAccessClient, OutboxRelay],
        },
        { provide: ReadYourWrites, useFactory: () => new ReadYourWrites(env.READ_YOUR_WRITES_TIMEOUT_MS) },
        {
          provide: IntegrationProjector,
          useFactory: (grid: IntegrationGridProjection, history: IntegrationHistoryProjection) =>
            new IntegrationProjector(
              bus,
              grid,
              history,
              topics,
              `${env.REGISTRY_TOPIC_PREFIX}registry-projections`,
              logger,
            ),
          inject: [IntegrationGridProjection, IntegrationHistoryProjection],
        },
        {
          provide: ManifestReconciler,
          useFactory: (
            commandBus: CommandBus,
            repository: IntegrationRepository,
            names: NameReservations,
            grid: IntegrationGridProjection,
          ) =>
            new ManifestReconciler(commandBus, repository, names, grid, catalog, logger, {
              expectManifest,
              aclUrl: env.ACL_URL,
            }),
          inject: [CommandBus, IntegrationRepository, NameReservations, IntegrationGridProjection],
        },
        {
          provide: ExpiryJob,
          useFactory: async (grid: IntegrationGridProjection, commandBus: CommandBus) => {
            const lease = new RelayLease(
              db.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION),
              EXPIRY_LEASE_NAME,
              {
                logger: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
              },
            );
            await lease.ensureIndexes();
            return new ExpiryJob(lease, grid, commandBus, logger, { everyMs: env.REGISTRY_EXPIRY_CHECK_MS });
          },
          inject: [IntegrationGridProjection, CommandBus],
        },
        {
          provide: READINESS_CHECKS,
          useFactory: (reconciler: ManifestReconciler) => [...connections.readinessChecks(), reconciler.readiness()],
          inject: [ManifestReconciler],
        },
        {
          provide: RegistryLifecycle,
          useFactory: (
            relay: OutboxRelay,
            projector: IntegrationProjector,
            commandBus: CommandBus,
            reconciler: ManifestReconciler,
            acl: AclAccessClient,
            expiry: ExpiryJob,
          ) =>
            new RegistryLifecycle({
              relay,
              projector,
              subscribeActivations: () =>
                subscribeAccessTokenGranted({
                  bus,
                  topic: topics.oauth,
                  groupId: `${env.REGISTRY_TOPIC_PREFIX}registry-activations`,
                  complete: (grant) => commandBus.execute(new CompleteActivationCommand(grant)),
                  logger,
                  graceMs: env.ACTIVATION_GRACE_MS,
                }),
              reconciler,
              expiry,
              acl,
              connections,
              logger,
            }),
          inject: [OutboxRelay, IntegrationProjector, CommandBus, ManifestReconciler, AclAccessClient, ExpiryJob],
        },
        CreateIntegrationHandler,
        UpdateIntegrationHandler,
        DeleteIntegrationHandler,
        StartActivationHandler,
        CompleteActivationHandler,
        // No route: the integrations manifest issues it (integration/manifest/).
        ResetIntegrationHandler,
        SuspendIntegrationHandler,
        ResumeIntegrationHandler,
        // No route: the expiry job issues it.
        ExpireIntegrationHandler,
        GetIntegrationHandler,
        GetIntegrationAccessHandler,
        ListIntegrationsHandler,
        IntegrationHistoryHandler,
      ],
    };
  }
}
