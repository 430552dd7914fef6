import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type mongoose from 'mongoose';

export const RELAY_LEASES_COLLECTION = 'relay_leases';

/** One epoch of a lease: `_id` is `<name>#<epoch>`, so taking an epoch is a unique insert. */
export interface RelayLeaseDocument {
  _id: string;
  name: string;
  epoch: number;
  holder: string;
  /** By the holder's clock, at its last renewal: sent-at + ttl. */
  expiresAt: Date;
  takenAt: Date;
}

export interface RelayLeaseOptions {
  /** Lease length. Default 6 s. */
  ttlMs?: number;
  /** How often the holder renews. Default 2 s. */
  renewEveryMs?: number;
  /** The holder stops this long before the lease it last renewed would expire. Default 1 s. */
  safetyMs?: number;
  /** A candidate waits this long past expiry (clock skew between replicas). Default 1 s. */
  skewMs?: number;
  /** How often a replica without the lease looks whether it expired. Default 1 s. */
  pollEveryMs?: number;
  /** Identifies this replica in the lease document (logs, `holder()`). */
  holderId?: string;
  now?: () => number;
  logger?: { info(message: string): void; warn(message: string): void };
}

/**
 * Leadership for one job among replicas (docs/adr/0006 §4), built from what FerretDB makes atomic:
 * unique inserts. Epoch e+1 is taken by inserting `<name>#<e+1>`: of all candidates exactly one
 * succeeds. Only the holder writes its epoch document (renewals), so no compare-and-set is needed.
 *
 * Fencing: `isHeld()` is true only until `safetyMs` before the expiry the holder itself last wrote,
 * counted from when it *sent* that renewal, so a holder that cannot renew (database down, process
 * paused) stops before any candidate may start, as long as clocks differ by less than
 * `safetyMs + skewMs`. Candidates take over only once the newest epoch has been expired for `skewMs`.
 */
export class RelayLease {
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly safetyMs: number;
  private readonly skewMs: number;
  private readonly pollEveryMs: number;
  private readonly holderId: string;
  private readonly now: () => number;
  private epoch: number | null = null;
  private validUntil = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private readonly listeners: Array<(held: boolean) => void> = [];

  constructor(
    private readonly collection: mongoose.mongo.Collection<RelayLeaseDocument>,
    readonly name: string,
    private readonly options: RelayLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 6_000;
    this.renewEveryMs = options.renewEveryMs ?? 2_000;
    this.safetyMs = options.safetyMs ?? 1_000;
    this.skewMs = options.skewMs ?? 1_000;
    this.pollEveryMs = options.pollEveryMs ?? 1_000;
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.now = options.now ?? Date.now;
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ name: 1 }, { name: 'lease_name' });
  }

  /** Whether this replica may act now (holds an epoch it renewed recently enough). */
  isHeld(): boolean {
    return this.epoch !== null && this.now() < this.validUntil;
  }

  /** The epoch this replica holds (fencing token), or null. */
  heldEpoch(): number | null {
    return this.isHeld() ? this.epoch : null;
  }

  /** Told when this replica gains (true) or loses (false) the lease. */
  onChange(listener: (held: boolean) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops renewing and gives the lease up (expires it at once), so another replica takes over quickly. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    const epoch = this.epoch;
    this.setEpoch(null);
    if (epoch !== null) {
      await this.collection
        .updateOne({ _id: `${this.name}#${epoch}`, holder: this.holderId }, { $set: { expiresAt: new Date(0) } })
        .catch(() => undefined);
    }
  }

  /** One step: renew if holding, else take over if the newest epoch expired. Exposed for tests. */
  async tick(): Promise<void> {
    if (this.epoch !== null) await this.renew(this.epoch);
    else await this.tryTakeOver();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.options.logger?.warn(`lease ${this.name}: ${describe(error)}`))
        .finally(() => this.schedule(this.epoch !== null ? this.renewEveryMs : this.pollEveryMs));
    }, delayMs);
    this.timer.unref();
  }

  private async renew(epoch: number): Promise<void> {
    const sentAt = this.now();
    // Never revive a lapsed lease: a candidate may have judged it expired already. Start over.
    if (sentAt >= this.validUntil) {
      this.lose('it lapsed before it could be renewed');
      return;
    }
    const result = await this.collection.updateOne(
      { _id: `${this.name}#${epoch}`, holder: this.holderId },
      { $set: { expiresAt: new Date(sentAt + this.ttlMs) } },
    );
    if (result.matchedCount === 0) {
      this.lose('its lease document is gone');
      return;
    }
    // A newer epoch means someone judged ours expired: step down (it may already act).
    const newest = await this.newest();
    if (newest && newest.epoch > epoch) {
      this.lose(`epoch ${newest.epoch} was taken by ${newest.holder}`);
      return;
    }
    // A renewal that took longer than the safety margin may have landed after a candidate read the
    // old expiry: it proves nothing.
    if (this.now() - sentAt >= this.safetyMs) {
      this.lose(`renewal took ${this.now() - sentAt} ms`);
      return;
    }
    this.validUntil = sentAt + this.ttlMs - this.safetyMs;
  }

  private async tryTakeOver(): Promise<void> {
    const newest = await this.newest();
    if (newest && newest.expiresAt.getTime() + this.skewMs > this.now()) return;
    const epoch = (newest?.epoch ?? 0) + 1;
    const takenAt = this.now();
    try {
      await this.collection.insertOne({
        _id: `${this.name}#${epoch}`,
        name: this.name,
        epoch,
        holder: this.holderId,
        expiresAt: new Date(takenAt + this.ttlMs),
        takenAt: new Date(takenAt),
      });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return; // another replica took this epoch
      throw error;
    }
    this.validUntil = takenAt + this.ttlMs - this.safetyMs;
    this.setEpoch(epoch);
    this.options.logger?.info(`lease ${this.name}: epoch ${epoch} taken by ${this.holderId}`);
    // Older epochs are history; keep the last two for the logs.
    await this.collection.deleteMany({ name: this.name, epoch: { $lt: epoch - 2 } }).catch(() => undefined);
  }

  private async newest(): Promise<RelayLeaseDocument | null> {
    // A handful of documents per name: the scan is cheap even where no index serves it.
    const documents = await this.collection.find({ name: this.name }).toArray();
    return documents.reduce<RelayLeaseDocument | null>((best, d) => (!best || d.epoch > best.epoch ? d : best), null);
  }

  private lose(reason: string): void {
    this.options.logger?.warn(`lease ${this.name}: lost epoch ${this.epoch} (${reason})`);
    this.setEpoch(null);
  }

  private setEpoch(epoch: number | null): void {
    const was = this.epoch !== null;
    this.epoch = epoch;
    if (epoch === null) this.validUntil = 0;
    if (was !== (epoch !== null)) for (const listener of this.listeners) listener(epoch !== null);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
