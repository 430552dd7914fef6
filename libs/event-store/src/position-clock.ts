/**
 * Commit positions: a hybrid logical clock, `max(now in µs, last + 1, floor + 1)`.
 *
 * Why not a counter document: FerretDB v1 runs findAndModify as read-then-write without a
 * transaction, so concurrent `$inc`s hand out the same value (measured: 8 concurrent writers
 * exhausted 8 retries). The clock needs no round trip; uniqueness comes from the unique index on
 * `position` (a collision with another process is retried with a jump), order within a stream
 * from `floor` (the stream's previous commit), and order across processes is time order, as good
 * as their clocks. Values stay below 2^53 until the year 2255.
 */
export class PositionClock {
  private last = 0;

  next(floor: number): number {
    this.last = Math.max(Date.now() * 1000, this.last + 1, floor + 1);
    return this.last;
  }

  /** After `taken` turned out to be used by another process. */
  skipPast(taken: number): void {
    // The jitter keeps two processes that collided from colliding again in lockstep.
    this.last = Math.max(this.last, taken) + 1 + Math.floor(Math.random() * 1000);
  }
}

/** One clock per process: EventStore instances on the same collection then never collide. */
export const processPositionClock = new PositionClock();
