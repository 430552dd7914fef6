import type { RelayLease } from '@integrations/event-store';
import type { Logger } from '@integrations/service-kit';
import type { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { IntegrationGridProjection } from '../integration-grid.projection';
import { ExpireIntegrationCommand } from './expire-integration.command';

/** The actor of IntegrationExpired events (history, event metadata). */
export const EXPIRY_ACTOR = 'system';

export interface ExpiryJobOptions {
  /** How often the replica holding the lease looks for integrations whose expiry passed. */
  everyMs: number;
  /** At most this many per look; the next one takes the rest. */
  batchSize?: number;
}

/**
 * Publishes IntegrationExpired for every integration whose `expiresAt` passed (docs/adr/0010), on the
 * one replica holding the `registry-integration-expiry` lease, so that subscribers learn of it
 * without polling. Enforcement never waits for it: the acl compares `expiresAt` with its clock.
 *
 * Candidates come from the grid (`expiryPending`, `expiresAt <= now`), which may lag; each is decided
 * on its stream (ExpireIntegration), which records an expiry once, so a lagging grid, a second
 * holder during a lease hand-over or a rerun after a crash publish nothing twice.
 */
export class ExpiryJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly lease: RelayLease,
    private readonly grid: IntegrationGridProjection,
    private readonly commandBus: CommandBus,
    private readonly logger: Logger,
    private readonly options: ExpiryJobOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lease.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.lease.stop();
  }

  /** One look (exposed for tests): the number of integrations it recorded as expired. */
  async runOnce(now = new Date()): Promise<number> {
    if (!this.lease.isHeld()) return 0;
    let recorded = 0;
    for (const integrationId of await this.grid.dueExpiries(now, this.options.batchSize ?? 100)) {
      if (!this.lease.isHeld()) break; // lost meanwhile: the new holder carries on
      try {
        const meta = { now: new Date(), actor: EXPIRY_ACTOR, correlationId: randomUUID() };
        const { expired } = await this.commandBus.execute(new ExpireIntegrationCommand(integrationId, meta));
        if (expired) recorded++;
      } catch (error) {
        // A concurrent admin change is a conflict: the next look decides again on the new version.
        this.logger.warn(
          { integrationId, err: { message: (error as Error).message } },
          'expiry not recorded; the next look tries again',
        );
      }
    }
    return recorded;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then((recorded) => {
          if (recorded > 0) this.logger.info({ recorded }, 'integrations expired');
        })
        .catch((error: unknown) =>
          this.logger.warn({ err: { message: (error as Error).message } }, 'expiry look failed; will retry'),
        )
        .finally(() => this.schedule());
    }, this.options.everyMs);
    this.timer.unref();
  }
}
