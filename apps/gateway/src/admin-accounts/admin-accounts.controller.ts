import { Body, Controller, Get, Header, Inject, Param, Patch, Query, Req } from '@nestjs/common';
import { parseInput } from '@integrations/service-kit';
import type { Request } from 'express';
import { type AdminAccount, AdminAccountsStore } from '../admin-auth/admin-accounts.store';
import { AdminAuditStore } from '../admin-auth/admin-audit.store';
import type { AdminPrincipal } from '../admin-auth/admin-auth.service';
import { CurrentAdmin, RequirePermission } from '../admin-auth/admin-session.guard';
import { lockState } from '../admin-auth/lockout-policy';
import { CLOCK, type Clock } from '../gateway.tokens';
import { unsupportedMediaType } from '../integrations/integration-request.schemas';
import { type AdminAccountJson, AdminAuditQuerySchema, ChangeAdminAccountSchema } from './admin-accounts.schemas';
import { ChangeAdminAccountHandler } from './change-admin-account';

/**
 * System › Permissions › All Users: administrators list the admin accounts, change their roles,
 * disable or enable them, and read who changed what (the audit trail). Accounts are created with
 * `npm run admin:add` (an operator's step: the password is typed there, never sent to this API).
 */
@Controller('admin/v1/admins')
@RequirePermission('admins:manage')
export class AdminAccountsController {
  constructor(
    private readonly accounts: AdminAccountsStore,
    private readonly audit: AdminAuditStore,
    private readonly change: ChangeAdminAccountHandler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async list(): Promise<{ items: AdminAccountJson[] }> {
    const now = this.clock();
    return { items: (await this.accounts.list()).map((account) => accountJson(account, now)) };
  }

  /** Newest first. Declared before `:username` routes for readability; no other GET shares the path. */
  @Get('audit')
  @Header('Cache-Control', 'no-store')
  async auditTrail(@Query() query: unknown) {
    const { page, pageSize } = parseInput(AdminAuditQuerySchema, query);
    const found = await this.audit.list(page, pageSize);
    return {
      ...found,
      items: found.items.map(({ at, actor, action, username, changes }) => ({
        at: at.toISOString(),
        actor,
        action,
        username,
        changes,
      })),
    };
  }

  /** Body `{role?, disabled?, currentPassword}`. */
  @Patch(':username')
  @Header('Cache-Control', 'no-store')
  async update(
    @Param('username') username: string,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentAdmin() admin: AdminPrincipal,
  ): Promise<AdminAccountJson> {
    const hasContent = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasContent && !req.is('application/json')) throw unsupportedMediaType();
    const change = parseInput(ChangeAdminAccountSchema, body);
    return accountJson(await this.change.execute(admin, username, change), this.clock());
  }
}

export function accountJson(account: AdminAccount, now: Date): AdminAccountJson {
  const lock = lockState(account.lockExpiresAt, now);
  return {
    username: account._id,
    role: account.role,
    disabled: Boolean(account.disabledAt),
    disabledAt: account.disabledAt ? new Date(account.disabledAt).toISOString() : null,
    lockedUntil: lock.locked ? lock.until.toISOString() : null,
    createdAt: new Date(account.createdAt).toISOString(),
    passwordChangedAt: new Date(account.passwordChangedAt).toISOString(),
    interfaceLocale: account.interfaceLocale ?? null,
  };
}
