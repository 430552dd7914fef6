import type { OutboxRelay } from '@integrations/event-store';
import { KafkaStartup, type Subscription } from '@integrations/messaging';
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
 * Starts what runs beside HTTP once the command handlers are registered, and stops it in order on
 * shutdown (SIGTERM, app.close()): consumers and relay finish their in-flight work, then Kafka and
 * MongoDB are closed.
 *
 * Everything Kafka-bound starts in the background (KafkaStartup), retried until the broker answers:
 * the topics (before the relay, so that no publish auto-creates one with the broker's defaults), the
 * producer, the relay, the projections and the activation consumer. Meanwhile commands work (their
 * events wait in the outbox), and so does the manifest, a Reset included.
 */
export class RegistryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private activations?: Subscription;
  private kafka?: KafkaStartup;
  private closing?: Promise<void>;

  constructor(private readonly workers: RegistryWorkers) {}

  /** The background start of Kafka (see KafkaStartup): `firstAttempt`, `started`. */
  get kafkaStartup(): KafkaStartup {
    if (!this.kafka) throw new Error('the registry has not started');
    return this.kafka;
  }

  onApplicationBootstrap(): void {
    const { relay, projector, connections, logger } = this.workers;
    this.kafka = new KafkaStartup({
      broker: connections.broker,
      reachable: () => connections.bus.isReachable(),
      logger,
      steps: [
        { name: 'topics', run: () => connections.ensureTopics() },
        { name: 'producer', run: () => connections.bus.connect() },
        { name: 'relay', run: async () => relay.start() },
        { name: 'projections', run: () => projector.start() },
        {
          name: 'activation consumer',
          run: async () => {
            this.activations = await this.workers.subscribeActivations();
          },
        },
      ],
    });
    // Expiry events go through the event store (MongoDB): no need to wait for the broker.
    this.workers.expiry.start();
  }

  onApplicationShutdown(): Promise<void> {
    const { reconciler, projector, relay, acl, connections, logger, expiry } = this.workers;
    this.closing ??= (async () => {
      reconciler.stop();
      await expiry.stop().catch((err) => logger.warn({ err }, 'expiry job stop failed'));
      await this.kafka?.stop();
      await Promise.all([
        projector.stop().catch((err) => logger.warn({ err }, 'projector stop failed')),
        this.activations?.close().catch((err) => logger.warn({ err }, 'activation consumer stop failed')),
      ]);
      await relay.stop();
      await acl.close().catch(() => undefined);
      await connections.close();
      logger.info('registry stopped');
    })();
    return this.closing;
  }
}
