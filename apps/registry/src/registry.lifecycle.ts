import type { OutboxRelay } from '@integrations/event-store';
import type { Subscription } from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AclAccessClient } from './integration/acl-access.client';
import type { ExpiryJob } from './integration/expire-integration/expiry-job';
import type { IntegrationProjector } from './integration/integration-projector';
import type { ManifestReconciler } from './integration/manifest/manifest-reconciler';
import type { RegistryConnections } from './registry.connections';

export interface RegistryWorkers {
  relay: OutboxRelay;
  projector: IntegrationProjector;
  /** Completes exchange-mode activations from the oauth service's AccessTokenGranted. */
  subscribeActivations: () => Promise<Subscription>;
  reconciler: ManifestReconciler;
  /** Publishes IntegrationExpired from the replica holding its lease. */
  expiry: Pick<ExpiryJob, 'start' | 'stop'>;
  acl: AclAccessClient;
  connections: RegistryConnections;
  logger: Logger;
}

/**
 * Starts what runs beside HTTP once the command handlers are registered (relay, projections,
 * activation consumer), and stops it in order on shutdown (SIGTERM, app.close()): consumers and
 * relay finish their in-flight work, then Kafka and MongoDB are closed.
 */
export class RegistryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private activations?: Subscription;
  private closing?: Promise<void>;

  constructor(private readonly workers: RegistryWorkers) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workers.relay.start();
    await this.workers.projector.start();
    this.activations = await this.workers.subscribeActivations();
    this.workers.expiry.start();
  }

  onApplicationShutdown(): Promise<void> {
    const { reconciler, projector, relay, acl, connections, logger, expiry } = this.workers;
    this.closing ??= (async () => {
      reconciler.stop();
      await expiry.stop().catch((err) => logger.warn({ err }, 'expiry job stop failed'));
      await projector.stop().catch((err) => logger.warn({ err }, 'projector stop failed'));
      await this.activations?.close().catch((err) => logger.warn({ err }, 'activation consumer stop failed'));
      await relay.stop();
      await acl.close().catch(() => undefined);
      await connections.close();
      logger.info('registry stopped');
    })();
    return this.closing;
  }
}
