import type { Consumer } from '../consumer/consumer.store';
import type { IntegrationStatus } from '../integration-status/integration-status.projection';
import type { Token } from '../token/token.store';
import { TtlCache } from '../ttl-cache';

/**
 * The hot path's caches (consumer by key and by integration, token by value, integration status),
 * with the invalidations every change made by this process performs. Entries hold opened secrets:
 * they never leave the process and are never logged.
 */
export class CredentialCache {
  readonly consumersByKey: TtlCache<string, Consumer>;
  readonly consumersByIntegration: TtlCache<string, Consumer>;
  readonly tokens: TtlCache<string, Token>;
  readonly statuses: TtlCache<string, IntegrationStatus>;

  constructor(ttlMs: number) {
    this.consumersByKey = new TtlCache(ttlMs);
    this.consumersByIntegration = new TtlCache(ttlMs);
    this.tokens = new TtlCache(ttlMs);
    this.statuses = new TtlCache(ttlMs);
  }

  /** After tokens of the consumer were issued, revoked or replaced. */
  forgetTokensOf(consumerId: string): void {
    this.tokens.deleteWhere((token) => token.consumerId === consumerId);
  }

  /** After the integration's consumer was deleted, or its status changed. */
  forgetIntegration(integrationId: string): void {
    this.statuses.delete(integrationId);
    this.consumersByIntegration.delete(integrationId);
    this.consumersByKey.deleteWhere((consumer) => consumer.integrationId === integrationId);
    this.tokens.deleteWhere((token) => token.integrationId === integrationId);
  }
}
