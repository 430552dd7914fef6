import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Logger } from '@integrations/service-kit';
import type { Connection } from 'mongoose';
import type { GatewayEnv } from '../gateway.env';
import { CLOCK, type Clock, GATEWAY_ENV, GATEWAY_DB, GATEWAY_LOGGER } from '../gateway.tokens';
import { AdminAccountsStore } from './admin-accounts.store';
import { AdminAuditStore } from './admin-audit.store';
import { AdminAuthController } from './admin-auth.controller';
import { AdminAuthLifecycle } from './admin-auth.lifecycle';
import { type AdminAuthModels, adminAuthModels } from './admin-auth.models';
import { AdminAuthService } from './admin-auth.service';
import { ADMIN_AUTH_MODELS } from './admin-auth.tokens';
import { AdminSessionGuard } from './admin-session.guard';
import { AdminSessionsStore } from './admin-sessions.store';
import { PasswordFailuresStore } from './password-failures.store';
import { RateLimitModule } from '../rate-limit/rate-limit.module';

/**
 * Admin accounts, sessions, roles and lockout. Exports `AdminAuthService` (for
 * `confirmCurrentPassword` and read-your-writes marks) and the stores the admin accounts module
 * changes; the session guard is global and protects every `admin/v1` route, role included.
 */
@Module({
  // The sign-in's rate limits (by address and by account) are applied by the controller.
  imports: [RateLimitModule],
  controllers: [AdminAuthController],
  providers: [
    { provide: ADMIN_AUTH_MODELS, inject: [GATEWAY_DB], useFactory: (db: Connection) => adminAuthModels(db) },
    {
      provide: AdminAccountsStore,
      inject: [ADMIN_AUTH_MODELS],
      useFactory: (m: AdminAuthModels) => new AdminAccountsStore(m.accounts),
    },
    {
      provide: AdminAuditStore,
      inject: [ADMIN_AUTH_MODELS],
      useFactory: (m: AdminAuthModels) => new AdminAuditStore(m.audit),
    },
    {
      provide: AdminSessionsStore,
      inject: [ADMIN_AUTH_MODELS],
      useFactory: (m: AdminAuthModels) => new AdminSessionsStore(m.sessions),
    },
    {
      provide: PasswordFailuresStore,
      inject: [ADMIN_AUTH_MODELS],
      useFactory: (m: AdminAuthModels) => new PasswordFailuresStore(m.failures),
    },
    {
      provide: AdminAuthService,
      inject: [AdminAccountsStore, AdminSessionsStore, PasswordFailuresStore, GATEWAY_ENV, CLOCK, GATEWAY_LOGGER],
      useFactory: (
        accounts: AdminAccountsStore,
        sessions: AdminSessionsStore,
        failures: PasswordFailuresStore,
        config: GatewayEnv,
        clock: Clock,
        logger: Logger,
      ) =>
        new AdminAuthService({
          accounts,
          sessions,
          failures,
          lockout: config.lockout,
          session: config.session,
          clock,
          logger,
        }),
    },
    AdminAuthLifecycle,
    { provide: APP_GUARD, useClass: AdminSessionGuard },
  ],
  exports: [AdminAuthService, AdminAccountsStore, AdminAuditStore, AdminSessionsStore, ADMIN_AUTH_MODELS],
})
export class AdminAuthModule {}
