import type { Logger } from '@integrations/service-kit';
import type { ConsumerStore } from './consumer/consumer.store';
import type { MongoNonceStore } from './nonce/nonce.store';
import type { OauthSettings } from './oauth-settings';
import type { TokenStore } from './token/token.store';
import type { CredentialCache } from './verification/credential-cache';

/**
 * Magento purges nonces and request tokens on a random 1-in-`cleanup_probability` request; without
 * TTL indexes (FerretDB) we run the same purge on a timer instead. `cleanup_probability` 0 still
 * means "no cleanup". Nonces are kept at least the timestamp window, so none can be replayed.
 *
 * Every replica runs it, unleased: each step is idempotent (docs/adr/0006 §6). The nonce purge and
 * the deletes are by age; the grace-period expiry sets the same `revoked` on the same rows whoever
 * runs it first, and announces the change so no replica keeps those tokens cached as live (a cached
 * token in a grace period is judged by its `expiresAt` per call anyway). Two replicas running at
 * once only repeat work.
 */
export class Housekeeping {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly nonces: MongoNonceStore,
    private readonly tokens: TokenStore,
    private readonly cache: CredentialCache,
    private readonly settings: OauthSettings,
    private readonly logger: Logger,
    private readonly consumers?: ConsumerStore,
  ) {}

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  run(now = new Date()): Promise<void> {
    this.running ??= this.purge(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async purge(now: Date): Promise<void> {
    if (this.settings.get('oauth/cleanup/cleanup_probability') === 0) return;
    const keepSeconds = Math.max(
      this.settings.get('oauth/signature/timestamp_window'),
      this.settings.get('oauth/cleanup/expiration_period') * 60,
    );
    try {
      const nonces = await this.nonces.purge(now, keepSeconds);
      const tokens = await this.tokens.purge(
        now,
        new Date(now.getTime() - this.settings.get('oauth/cleanup/expiration_period') * 60_000),
      );
      // A rotated consumer secret whose overlap ended is refused already; its sealed copy goes too.
      const previousSecrets = (await this.consumers?.dropEndedOverlaps(now)) ?? 0;
      if (tokens.expired + previousSecrets > 0) await this.cache.announceChange();
      if (nonces + tokens.expired + tokens.deleted + previousSecrets > 0)
        this.logger.info({ nonces, ...tokens, previousSecrets }, 'OAuth housekeeping purged old entries');
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
        'OAuth housekeeping failed; retrying at the next interval',
      );
    }
  }
}
