/**
 * Read-your-writes for the read models, which Kafka feeds a few milliseconds behind the event store
 * (docs/adr/0006 §6). The version to wait for travels with the request (the gateway keeps the
 * admin's last writes in its session and sends `minVersion`), so any replica answers alike. A query
 * polls until the read model has caught up, bounded by READ_YOUR_WRITES_TIMEOUT_MS; on timeout the
 * (possibly stale) answer is served and flagged with `x-read-your-writes: timeout`
 * (`InternalHeaders.readYourWrites`).
 */

/** Wait until integration `id` is projected at `version` or later. */
export interface WriteMark {
  id: string;
  version: number;
}

export class ReadYourWrites {
  constructor(
    readonly timeoutMs: number,
    private readonly pollMs = 10,
    private readonly now: () => number = Date.now,
  ) {}

  /** Polls `caughtUp` until true or the timeout; returns whether it caught up. */
  async waitUntil(caughtUp: () => Promise<boolean>): Promise<boolean> {
    const deadline = this.now() + this.timeoutMs;
    for (;;) {
      if (await caughtUp()) return true;
      if (this.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}
