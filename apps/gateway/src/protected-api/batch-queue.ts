/**
 * Gathers the items submitted during one turn of the event loop and sends them together (ADR 0006
 * §5): every request whose headers and body were read in the same poll phase submits before the
 * `setImmediate` callback runs, so N concurrent calls cost one round trip instead of N. A lone call
 * waits for nothing but the end of the current turn.
 *
 * `send` answers the items in order, one result each; if it fails (or answers the wrong count),
 * every item of that batch fails with the same error. Batches are also cut at `maxItems` and
 * `maxBytes` (the receiving contract's limits).
 */
export interface BatchLimits {
  maxItems: number;
  /** Of the items' `sizeOf` together: keeps one batch's JSON below the receiver's body limit. */
  maxBytes: number;
}

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

export class BatchQueue<I, O> {
  private pending: Array<Pending<I, O>> = [];
  private pendingBytes = 0;
  private scheduled = false;

  constructor(
    private readonly send: (items: I[]) => Promise<O[]>,
    private readonly limits: BatchLimits,
    private readonly sizeOf: (item: I) => number,
    /** What a batch that answered the wrong number of results fails with. */
    private readonly miscounted: (expected: number, got: number) => Error,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const size = this.sizeOf(item);
      if (this.pending.length > 0 && this.pendingBytes + size > this.limits.maxBytes) this.flush();
      this.pending.push({ item, resolve, reject });
      this.pendingBytes += size;
      if (this.pending.length >= this.limits.maxItems) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.onTurnEnd);
      }
    });
  }

  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    if (this.pending.length > 0) this.flush();
  };

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let sent: Promise<O[]>;
    try {
      sent = this.send(batch.map((entry) => entry.item));
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (results) => {
        if (results.length !== batch.length) {
          const error = this.miscounted(batch.length, results.length);
          for (const entry of batch) entry.reject(error);
          return;
        }
        for (let i = 0; i < batch.length; i++) batch[i].resolve(results[i]);
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }
}
