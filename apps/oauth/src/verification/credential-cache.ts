import type { ChangeSignal } from '@integrations/event-store';
import type { Consumer, ConsumerStore } from '../consumer/consumer.store';
import { credentialChangeNotAnnounced, credentialStoreUnavailable } from '../oauth.errors';
import type { Token, TokenStore } from '../token/token.store';
import { BoundedCache } from './bounded-cache';

/** The name of the oauth database's change signal (`change_signals` collection). */
export const CREDENTIALS_SIGNAL = 'credentials';

/**
 * The hot path's caches (consumer by key and by integration, token by value), coherent across
 * replicas through the `credentials` change signal (docs/adr/0006 §3):
 * - readers call `fresh()` once per request (or batch) before any lookup: it resolves after a read
 *   of the signal that started after the request arrived, having emptied the caches if the signal
 *   moved. Staleness is therefore bounded by that one read, on every replica, with or without Kafka;
 * - writers call `announceChange()` after every write that revokes or issues (a token, a consumer),
 *   before they reply or acknowledge.
 * Entries live until the signal moves or the size bound evicts them. They hold opened secrets: they
 * never leave the process and are never logged. Unknown keys are never cached, so a new consumer or
 * token is found at once even without a signal.
 */
export class CredentialCache {
  private readonly consumersByKey: BoundedCache<string, Consumer>;
  private readonly consumersByIntegration: BoundedCache<string, Consumer>;
  private readonly tokensByValue: BoundedCache<string, Token>;

  constructor(
    private readonly signal: ChangeSignal,
    private readonly consumers: ConsumerStore,
    private readonly tokens: TokenStore,
    maxEntries = 10_000,
  ) {
    const generation = () => signal.generation;
    this.consumersByKey = new BoundedCache(generation, maxEntries);
    this.consumersByIntegration = new BoundedCache(generation, maxEntries);
    this.tokensByValue = new BoundedCache(generation, maxEntries);
    signal.onChange(() => {
      this.consumersByKey.clear();
      this.consumersByIntegration.clear();
      this.tokensByValue.clear();
    });
  }

  /** Before answering from the caches; 503 when the signal cannot be read. */
  async fresh(): Promise<void> {
    try {
      await this.signal.fresh();
    } catch {
      throw credentialStoreUnavailable();
    }
  }

  /** After a write that revokes or issues, before replying; 503 when the signal cannot be set. */
  async announceChange(): Promise<void> {
    try {
      await this.signal.changed();
    } catch {
      throw credentialChangeNotAnnounced();
    }
  }

  /**
   * The cached consumer of a key, without a load, and without regard to freshness: only for what
   * never changes for a key (its consumer id and secret), never to answer whether it exists.
   */
  peekConsumer(key: string): Consumer | undefined {
    return this.consumersByKey.get(key);
  }

  consumerByKey(key: string): Promise<Consumer | undefined> {
    return this.consumersByKey.getOrLoad(key, () => this.consumers.findByKey(key));
  }

  consumerOfIntegration(integrationId: string): Promise<Consumer | undefined> {
    return this.consumersByIntegration.getOrLoad(integrationId, () => this.consumers.findByIntegration(integrationId));
  }

  /** By the token value a request carries. */
  token(value: string): Promise<Token | undefined> {
    return this.tokensByValue.getOrLoad(value, () => this.tokens.find(value));
  }
}
