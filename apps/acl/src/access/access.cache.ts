import type { ChangeSignal } from '@integrations/event-store';

interface Entry<T> {
  /** The signal's generation when the load started. */
  generation: number;
  value: Promise<T>;
}

/**
 * A per-integration read-through cache that is valid only as of the `access` change signal
 * (docs/adr/0006 §3). Callers await `signal.fresh()` once per request (or batch) before `get()`;
 * every access write moves the signal before its writer replies, so the next call on any replica
 * finds this cache emptied and reads the database. Entries therefore live as long as the signal does
 * not move, and only their number is bounded (the oldest go first). A load that started before an
 * emptying is never served after it, and concurrent misses for one id share one load.
 */
export class AccessCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly signal: Pick<ChangeSignal, 'generation' | 'onChange'>,
    private readonly load: (integrationId: string) => Promise<T>,
    private readonly maxEntries: number,
  ) {
    signal.onChange(() => this.entries.clear());
  }

  get(integrationId: string): Promise<T> {
    const generation = this.signal.generation;
    const cached = this.entries.get(integrationId);
    if (cached?.generation === generation) return cached.value;

    const value = this.load(integrationId);
    if (this.maxEntries === 0) return value;
    this.entries.delete(integrationId);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const entry = { generation, value };
    this.entries.set(integrationId, entry);
    const forget = () => {
      if (this.entries.get(integrationId) === entry) this.entries.delete(integrationId);
    };
    value.then(
      // Straddled an emptying: what it read may predate the change that caused it.
      () => this.signal.generation !== generation && forget(),
      // A failed read is never served from the cache.
      forget,
    );
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
