import { conflict, notFound, type Logger } from '@integrations/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import type { AdminAccount } from '../admin-auth/admin-accounts.store';
import { AdminAccountsStore } from '../admin-auth/admin-accounts.store';
import { AdminAuditStore } from '../admin-auth/admin-audit.store';
import type { AdminAuditDoc } from '../admin-auth/admin-auth.models';
import { AdminAuthService, type AdminPrincipal } from '../admin-auth/admin-auth.service';
import { AdminSessionsStore } from '../admin-auth/admin-sessions.store';
import { normalizeUsername, usernameViolation } from '../admin-auth/password-policy';
import { CLOCK, type Clock, GATEWAY_LOGGER } from '../gateway.tokens';
import type { ChangeAdminAccount } from './admin-accounts.schemas';

export const adminNotFound = (username: string) =>
  notFound(
    'ADMIN.NOT_FOUND',
    `There is no admin account "${username}". The list of accounts is at GET /admin/v1/admins.`,
  );

const selfChange = () =>
  conflict(
    'ADMIN.SELF_CHANGE',
    'You cannot change your own role or disable your own account: ask another administrator.',
  );

const lastAdministrator = (username: string) =>
  conflict(
    'ADMIN.LAST_ADMINISTRATOR',
    `"${username}" is the last enabled administrator: give another account the administrator role first, or nobody could manage admin accounts and security settings.`,
  );

/**
 * An administrator changes another admin's role, disables or enables the account (their own
 * password asked first). In force at the target's next request on every replica: sessions read the
 * account each time, and a disabled account's sessions are also ended here.
 *
 * "At least one enabled administrator" is decided after the write, by counting (docs/adr/0003: no
 * compare-and-set on FerretDB): a change that leaves none is undone and refused. Two administrators
 * demoting each other at once can both be undone, never both applied.
 */
@Injectable()
export class ChangeAdminAccountHandler {
  constructor(
    private readonly accounts: AdminAccountsStore,
    private readonly sessions: AdminSessionsStore,
    private readonly audit: AdminAuditStore,
    private readonly auth: AdminAuthService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  async execute(actor: AdminPrincipal, rawUsername: string, change: ChangeAdminAccount): Promise<AdminAccount> {
    const username = normalizeUsername(rawUsername);
    if (usernameViolation(username)) throw adminNotFound(rawUsername);
    const before = await this.accounts.find(username);
    if (!before) throw adminNotFound(username);
    if (username === actor.username) throw selfChange();
    await this.auth.confirmCurrentPassword(actor, change.currentPassword);

    const role = change.role ?? before.role;
    const disabled = change.disabled ?? Boolean(before.disabledAt);
    const changes: AdminAuditDoc['changes'] = {};
    if (role !== before.role) changes.role = { from: before.role, to: role };
    if (disabled !== Boolean(before.disabledAt)) changes.disabled = { from: !disabled, to: disabled };
    if (Object.keys(changes).length === 0) return before;

    const now = this.clock();
    if (changes.role) await this.accounts.setRole(username, role);
    if (changes.disabled) await this.accounts.setDisabled(username, disabled ? now : null);
    if (wasActiveAdministrator(before) && !(role === 'administrator' && !disabled)) {
      if ((await this.accounts.countActiveAdministrators()) === 0) {
        await this.undo(before);
        throw lastAdministrator(username);
      }
    }
    // The account is read on every request, so this is tidiness (and the sweeper's audit of who was
    // signed in), not what makes the change take effect.
    const ended = disabled && changes.disabled ? await this.sessions.revokeAllOf(username, now) : 0;
    for (const [action, recorded] of auditEntries(changes))
      await this.audit.record({ at: now, actor: actor.username, action, username, changes: recorded });
    this.logger.info({ actor: actor.username, username, changes, sessionsEnded: ended }, 'admin account changed');
    return (await this.accounts.find(username)) ?? before;
  }

  private async undo(before: AdminAccount): Promise<void> {
    await this.accounts.setRole(before._id, before.role);
    await this.accounts.setDisabled(before._id, before.disabledAt ?? null);
  }
}

function wasActiveAdministrator(account: AdminAccount): boolean {
  return account.role === 'administrator' && !account.disabledAt;
}

function auditEntries(changes: AdminAuditDoc['changes']): Array<[AdminAuditDoc['action'], AdminAuditDoc['changes']]> {
  const entries: Array<[AdminAuditDoc['action'], AdminAuditDoc['changes']]> = [];
  if (changes.role) entries.push(['role-changed', { role: changes.role }]);
  if (changes.disabled)
    entries.push([changes.disabled.to ? 'account-disabled' : 'account-enabled', { disabled: changes.disabled }]);
  return entries;
}
