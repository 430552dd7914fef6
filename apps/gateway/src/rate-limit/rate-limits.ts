import type { Logger } from '@integrations/service-kit';
import type { Connection } from 'mongoose';
import { normalizeUsername } from '../admin-auth/password-policy';
import { addressBucket } from './client-address';
import { IntegrationRateLimits } from './integration-rate-limits';
import type { RateLimitSettings } from './rate-limit.config';
import { type LimitVerdict, RATE_LIMITS_COLLECTION, SharedLimit } from './shared-limit';

const SWEEP_EVERY_MS = 60_000;

/**
 * The gateway's limits, one `SharedLimit` each, counted in the gateway database so that every
 * replica shares them. Addresses are bucketed (IPv6 by /64, see `addressBucket`). Each
 * integration's own limit on the protected API (`integrations`, docs/adr/0010) is counted in the
 * same collection.
 */
export class RateLimits {
  readonly integrations: IntegrationRateLimits;
  private readonly loginByAddress: SharedLimit;
  private readonly loginByAccount: SharedLimit;
  private readonly tokenByAddress: SharedLimit;
  private readonly anonymousRestByAddress: SharedLimit;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Connection,
    settings: RateLimitSettings,
    private readonly logger: Logger,
  ) {
    const limit = (name: string, points: number) =>
      new SharedLimit({
        name,
        points,
        windowSeconds: settings.windowSeconds,
        client: db.getClient(),
        dbName: db.name,
        logger,
      });
    this.loginByAddress = limit('login-address', settings.loginPerAddress);
    this.loginByAccount = limit('login-account', settings.loginPerAccount);
    this.tokenByAddress = limit('token-address', settings.tokenExchangePerAddress);
    this.anonymousRestByAddress = limit('rest-anonymous-address', settings.anonymousRestPerAddress);
    this.integrations = new IntegrationRateLimits(db.getClient(), db.name, logger);
  }

  /**
   * A sign-in attempt: by address first, so a refused address never spends the account's budget
   * (one client cannot lock another out of an account it does not share an address with).
   */
  async consumeLogin(address: string, username: string): Promise<LimitVerdict & { by?: 'address' | 'account' }> {
    const byAddress = await this.loginByAddress.consume(addressBucket(address));
    if (!byAddress.allowed) return { ...byAddress, by: 'address' };
    const byAccount = await this.loginByAccount.consume(normalizeUsername(username).slice(0, 128));
    return byAccount.allowed ? byAccount : { ...byAccount, by: 'account' };
  }

  consumeTokenExchange(address: string): Promise<LimitVerdict> {
    return this.tokenByAddress.consume(addressBucket(address));
  }

  /**
   * A /rest call without credentials. Decided from memory without waiting for the database (the
   * count is shared in the background): for the gateway's /rest fast path.
   */
  consumeAnonymousRestCall(address: string): Promise<LimitVerdict> {
    return this.anonymousRestByAddress.consumeSoon(addressBucket(address));
  }

  /** Indexes, then a sweeper: FerretDB has no TTL index, so expired counters are deleted here. */
  async start(): Promise<void> {
    const collection = this.db.collection(RATE_LIMITS_COLLECTION);
    await collection.createIndex({ key: 1 }, { unique: true });
    await collection.createIndex({ expire: 1 });
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<number> {
    for (const limit of [this.loginByAddress, this.loginByAccount, this.tokenByAddress, this.anonymousRestByAddress])
      limit.forgetExpiredBlocks(now.getTime());
    this.integrations.forgetEnded(now.getTime());
    try {
      const result = await this.db.collection(RATE_LIMITS_COLLECTION).deleteMany({ expire: { $lt: now } });
      return result.deletedCount;
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'rate limit sweep failed; will retry');
      return 0;
    }
  }
}
