/**
 * An in-process cache of the verification hot path, bounded in size (the oldest entry goes first).
 * It has no TTL: what it holds is valid only as of the oauth change signal (docs/adr/0006 §3), and
 * its owner empties it whenever the signal moves. `generation` is the signal's emptying counter: a
 * load that started before an emptying may have read a row just before the revocation that caused
 * it, so its result is returned but not stored.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(
    private readonly generation: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** The cached value, or `load()`'s. Unknown keys (null/undefined) are never remembered. */
  async getOrLoad(key: K, load: () => Promise<V | null | undefined>): Promise<V | undefined> {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation();
    const loaded = await load();
    if (loaded === null || loaded === undefined) return undefined;
    if (generation === this.generation()) this.set(key, loaded);
    return loaded;
  }

  clear(): void {
    this.entries.clear();
  }

  private set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }
}
