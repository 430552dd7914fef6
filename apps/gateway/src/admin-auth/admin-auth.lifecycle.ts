import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import type { GatewayEnv } from '../gateway.env';
import { CLOCK, type Clock, GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { AdminAccountsStore } from './admin-accounts.store';
import { AdminAuditStore } from './admin-audit.store';
import { ADMIN_AUTH_MODELS } from './admin-auth.tokens';
import { type AdminAuthModels, ensureAdminAuthIndexes } from './admin-auth.models';
import { AdminSessionsStore } from './admin-sessions.store';
import { bootstrapAdmin } from './bootstrap-admin';
import { PasswordFailuresStore } from './password-failures.store';

const SWEEP_EVERY_MS = 5 * 60_000;
// Ended sessions stay an hour for the audit trail of "who was signed in".
const SESSION_GRACE_MS = 60 * 60_000;

/**
 * Indexes, roles for accounts older than roles, and the bootstrap admin at start; a sweeper for
 * ended sessions and old failures.
 */
@Injectable()
export class AdminAuthLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(ADMIN_AUTH_MODELS) private readonly models: AdminAuthModels,
    @Inject(GATEWAY_ENV) private readonly config: GatewayEnv,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly accounts: AdminAccountsStore,
    private readonly sessions: AdminSessionsStore,
    private readonly failures: PasswordFailuresStore,
    private readonly audit: AdminAuditStore,
  ) {}

  async onModuleInit() {
    await ensureAdminAuthIndexes(this.models);
    await this.giveLegacyAccountsTheirRole();
    await bootstrapAdmin({
      accounts: this.accounts,
      audit: this.audit,
      configured: this.config.bootstrapAdmin,
      credentialsFile: this.config.credentialsFile,
      now: this.clock(),
      logger: this.logger,
      print: (text) => process.stdout.write(`${text}\n`),
      interactive: process.stdout.isTTY === true,
    });
  }

  /** Accounts from before roles could do everything: they become administrators, recorded as such. */
  private async giveLegacyAccountsTheirRole(): Promise<void> {
    const migrated = await this.accounts.migrateLegacyRoles();
    for (const username of migrated) {
      // Two replicas starting together may both record it: harmless, the trail says the same twice.
      await this.audit.record({
        at: this.clock(),
        actor: 'system',
        action: 'role-changed',
        username,
        changes: { role: { from: null, to: 'administrator' } },
      });
    }
    if (migrated.length > 0)
      this.logger.info({ usernames: migrated }, 'admin accounts from before roles are now administrators');
  }

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    const now = this.clock();
    try {
      const sessions = await this.sessions.sweep(now, SESSION_GRACE_MS);
      const failures = await this.failures.sweep(new Date(now.getTime() - this.config.lockout.durationMs));
      if (sessions || failures)
        this.logger.info({ sessions, failures }, 'swept ended admin sessions and old password failures');
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'admin session sweep failed; will retry');
    }
  }
}
