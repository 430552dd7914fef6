import type { Logger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import type { AccessStore } from './access.store';
import type { RegistryAccessClient } from './registry-access.client';

export interface HoldSweeperOptions {
  /** A hold older than this belongs to a command that died between its hold and its snapshot. */
  resolveAfterMs: number;
  everyMs: number;
  logger: Logger;
  now?: () => number;
}

/** What one sweep did for one integration (tests and logs). */
export type HoldResolution =
  | { integrationId: string; outcome: 'snapshot'; version: number; released: string[] }
  | { integrationId: string; outcome: 'never-existed'; released: string[] }
  | { integrationId: string; outcome: 'kept'; kept: string[]; problem: string };

/**
 * Resolves the holds of commands that died after placing them (docs/adr/0006 §2). For each
 * integration with a hold older than `resolveAfterMs`, the registry's account of its access (read
 * from its event store) is stored as a snapshot, and the stale holds are dropped: the ones at or
 * below its version are reflected in it, the ones above it belong to commands that never committed.
 * If the registry cannot answer, the holds stay: access stays narrowed (fails closed).
 *
 * Every replica sweeps: two sweeps of one hold store the same snapshot and delete the same holds.
 * Only holds that were stale before the registry was asked are dropped, never a fresh one placed
 * by a command still in flight.
 */
export class HoldSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<AccessStore, 'holdsPlacedBefore' | 'publishSnapshot' | 'releaseHolds'>,
    private readonly registry: Pick<RegistryAccessClient, 'fetchAccess'>,
    private readonly options: HoldSweeperOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async sweep(): Promise<HoldResolution[]> {
    const stale = await this.store.holdsPlacedBefore(new Date(this.now() - this.options.resolveAfterMs));
    const resolutions: HoldResolution[] = [];
    for (const [integrationId, holds] of stale) {
      const ids = holds.map((hold) => hold._id);
      try {
        resolutions.push(await this.resolve(integrationId, ids));
      } catch (error) {
        resolutions.push({ integrationId, outcome: 'kept', kept: ids, problem: (error as Error).message });
      }
    }
    for (const resolution of resolutions) {
      if (resolution.outcome === 'kept')
        this.options.logger.warn(
          resolution,
          'Stale access holds kept (access stays narrowed): they could not be resolved',
        );
      else this.options.logger.info(resolution, 'Stale access holds resolved');
    }
    return resolutions;
  }

  private async resolve(integrationId: string, ids: string[]): Promise<HoldResolution> {
    const answer = await this.registry.fetchAccess(integrationId, `acl-sweep-${randomUUID()}`);
    switch (answer.kind) {
      case 'access':
        await this.store.publishSnapshot(answer.access, ids);
        return { integrationId, outcome: 'snapshot', version: answer.access.version, released: ids };
      case 'never-existed':
        await this.store.releaseHolds(integrationId, ids);
        return { integrationId, outcome: 'never-existed', released: ids };
      case 'unknown':
        return { integrationId, outcome: 'kept', kept: ids, problem: answer.problem };
      default: {
        const _exhaustive: never = answer;
        return _exhaustive;
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((error: unknown) =>
          this.options.logger.warn({ err: { message: (error as Error).message } }, 'Access hold sweep failed'),
        )
        .finally(() => this.schedule());
    }, this.options.everyMs);
    this.timer.unref();
  }
}
