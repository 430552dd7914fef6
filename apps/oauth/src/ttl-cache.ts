/**
 * A small in-process cache for the verification hot path. Entries live `ttlMs`: long enough to spare
 * the database on every signed call, short enough to bound how long another replica's revoke goes
 * unnoticed. This process's own changes call `delete` at once. Oldest entries go first when full.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  /** Bumped by every invalidation: a load that started before one must not cache its (older) result. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  /**
   * The cached value, or `load()`'s. Unknown keys (null/undefined) are not remembered. A load that
   * overlapped an invalidation is returned but not cached: it may have read the row just before the
   * revoke that caused the invalidation, and caching it would resurrect the revoked token for a TTL.
   */
  async getOrLoad(key: K, load: () => Promise<V | null | undefined>): Promise<V | undefined> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const loaded = await load();
    if (loaded === null || loaded === undefined) return undefined;
    if (generation === this.generation) this.set(key, loaded);
    return loaded;
  }

  delete(key: K): void {
    this.generation++;
    this.entries.delete(key);
  }

  deleteWhere(predicate: (value: V, key: K) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (predicate(entry.value, key)) this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
