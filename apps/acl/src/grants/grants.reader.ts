import type { AclCatalog } from '../catalog/acl-catalog';
import { toIntegrationGrants, type GrantsRecord, type IntegrationGrants } from './integration-grants';

interface Entry {
  expiresAt: number;
  value: Promise<IntegrationGrants | null>;
}

export interface GrantsSource {
  find(integrationId: string): Promise<GrantsRecord | null>;
}

/**
 * Read-through cache in front of the grants projection. Decisions sit on the path of every API
 * call, so most must not touch the database; changes must still bite within a second on every
 * replica. Only one replica consumes a given change (the consumer group shares partitions), so the
 * others rely on the TTL; the consuming replica invalidates at once. Unknown ids are cached too
 * (briefly) so a flood of calls for one id costs one query per TTL. Concurrent misses share one query.
 */
export class GrantsReader {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: GrantsSource,
    private readonly catalog: AclCatalog,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(integrationId: string): Promise<IntegrationGrants | null> {
    const cached = this.entries.get(integrationId);
    if (cached && cached.expiresAt > this.now()) return cached.value;

    const value = this.source
      .find(integrationId)
      .then((record) => (record ? toIntegrationGrants(record, this.catalog) : null));
    if (this.ttlMs > 0) {
      this.entries.delete(integrationId);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      const entry = { expiresAt: this.now() + this.ttlMs, value };
      this.entries.set(integrationId, entry);
      // A failed read must not be served from the cache.
      value.catch(() => {
        if (this.entries.get(integrationId) === entry) this.entries.delete(integrationId);
      });
    }
    return value;
  }

  invalidate(integrationId: string): void {
    this.entries.delete(integrationId);
  }
}
