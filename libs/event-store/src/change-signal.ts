import { randomUUID } from 'node:crypto';
import type mongoose from 'mongoose';

export const CHANGE_SIGNALS_COLLECTION = 'change_signals';

export interface ChangeSignalDocument {
  /** The signal's name, e.g. `access`. */
  _id: string;
  /** A fresh random value at every change: any later write differs from any earlier read. */
  token: string;
  changedAt: Date;
}

/**
 * Cross-replica cache coherence without a broadcast (docs/adr/0006 §3). Writers call `changed()`
 * after a write that revokes or grants, before they reply. Readers call `fresh()` before they answer
 * from a cache: it resolves after a read of the signal that started after the call, and empties the
 * caches (`onChange` listeners) first when the token moved. Reads are coalesced: one in flight and
 * at most one queued behind it, so a burst of calls costs one `_id` read per round trip.
 *
 * The token is random rather than a counter: `$inc` is not atomic on FerretDB, and two writers that
 * raced would hand out the same value; a fresh UUID is different from every value read before it.
 */
export class ChangeSignal {
  private lastToken: string | null | undefined;
  private inFlight?: Promise<void>;
  private queued?: Promise<void>;
  private readonly listeners: Array<() => void> = [];
  /** Bumped at every emptying: a cache load that started before one must not store its result. */
  private generationValue = 0;

  constructor(
    private readonly collection: mongoose.mongo.Collection<ChangeSignalDocument>,
    private readonly name: string,
  ) {}

  /** Caches register how to empty themselves. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Increases whenever the caches were emptied; see `fresh()`. */
  get generation(): number {
    return this.generationValue;
  }

  /** Records a change. Await it before replying to whoever caused the change. */
  async changed(now: Date = new Date()): Promise<void> {
    await this.collection.updateOne(
      { _id: this.name },
      { $set: { token: randomUUID(), changedAt: now } },
      { upsert: true },
    );
    // This replica knows at once; the others at their next read.
    this.emptyCaches();
  }

  /**
   * Resolves once a read that started after this call completed, the caches emptied if the signal
   * moved since the previous read. Rejects if the read fails: the caller must not answer from a
   * cache it cannot vouch for.
   */
  fresh(): Promise<void> {
    if (!this.inFlight) return this.startRead();
    // The read in flight may have started before this call: wait for the next one.
    this.queued ??= this.inFlight.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return this.inFlight ?? this.startRead();
  }

  private startRead(): Promise<void> {
    const read = this.collection
      .findOne({ _id: this.name }, { projection: { token: 1 } })
      .then((document) => {
        const token = document?.token ?? null;
        if (this.lastToken !== undefined && token !== this.lastToken) this.emptyCaches();
        this.lastToken = token;
      })
      .finally(() => {
        if (this.inFlight === read) this.inFlight = undefined;
      });
    this.inFlight = read;
    return read;
  }

  private emptyCaches(): void {
    this.generationValue += 1;
    for (const listener of this.listeners) listener();
  }
}
