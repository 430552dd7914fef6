/**
 * Read-your-writes for the projections, which Kafka feeds a few milliseconds behind the event store.
 * A query that names a version (`minVersion`, or the last write this instance made for the same
 * admin) polls the projection until it has caught up, bounded by READ_YOUR_WRITES_TIMEOUT_MS; on
 * timeout the (possibly stale) answer is served and flagged.
 */
export interface WriteMark {
  id: string;
  version: number;
}

export class ReadYourWrites {
  private readonly lastWrites = new Map<string, WriteMark & { at: number }>();

  constructor(
    readonly timeoutMs: number,
    private readonly pollMs = 10,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Remembers an admin's latest write so that their next list waits for it even when the client
   * does not pass `minVersion` (a convenience that holds per registry instance; clients that talk
   * to several instances pass the version explicitly).
   */
  remember(actor: string | undefined, mark: WriteMark): void {
    if (!actor) return;
    this.lastWrites.set(actor, { ...mark, at: this.now() });
    if (this.lastWrites.size > 10_000) this.forgetOld();
  }

  lastWriteOf(actor: string | undefined): WriteMark | undefined {
    if (!actor) return undefined;
    const mark = this.lastWrites.get(actor);
    // After the timeout the write is projected (or waiting for it would not help any more).
    if (!mark || this.now() - mark.at > this.timeoutMs) return undefined;
    return { id: mark.id, version: mark.version };
  }

  /** Polls `caughtUp` until true or the timeout; returns whether it caught up. */
  async waitUntil(caughtUp: () => Promise<boolean>): Promise<boolean> {
    const deadline = this.now() + this.timeoutMs;
    for (;;) {
      if (await caughtUp()) return true;
      if (this.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private forgetOld(): void {
    const cutoff = this.now() - this.timeoutMs;
    for (const [actor, mark] of this.lastWrites) if (mark.at < cutoff) this.lastWrites.delete(actor);
  }
}
