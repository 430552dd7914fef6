import type { Logger } from '@integrations/service-kit';
import {
  accountLocked,
  invalidCredentials,
  newPasswordRejected,
  passwordChangeRequired,
  passwordMismatch,
  passwordRequired,
  unauthenticated,
} from './admin-auth.errors';
import type { AdminAccount, AdminAccountsStore } from './admin-accounts.store';
import type { AdminRole } from './admin-roles';
import type { InterfaceLocale } from './interface-locale';
import type { AdminSessionsStore } from './admin-sessions.store';
import {
  failureWindowStart,
  lockExpiry,
  lockState,
  mayEvaluate,
  outcomeOfFailure,
  type LockoutPolicy,
} from './lockout-policy';
import { hashPassword, needsRehash, verifyPassword } from './password-hashing';
import type { PasswordFailuresStore } from './password-failures.store';
import { USERNAME_PATTERN, normalizeUsername, passwordPolicyViolation } from './password-policy';
import { extendedExpiry, isSessionLive, sessionExpiry, type SessionPolicy } from './session-policy';
import { generateSessionToken, hashSessionToken } from './session-token';

/** The signed-in admin behind a request, as of this request (role and state read from the account). */
export interface AdminPrincipal {
  username: string;
  role: AdminRole;
  interfaceLocale: InterfaceLocale | null;
  /** SHA-256 of the bearer token (the session's id); never the token itself. */
  sessionId: string;
  expiresAt: Date;
  /** Integration id -> last version this session wrote (read-your-writes). */
  writes: Readonly<Record<string, number>>;
  /** The session's most recent write. */
  lastWrite: { id: string; version: number; at: Date } | null;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresAt: Date;
}

export interface AdminAuthDeps {
  accounts: AdminAccountsStore;
  sessions: AdminSessionsStore;
  failures: PasswordFailuresStore;
  lockout: LockoutPolicy;
  session: SessionPolicy;
  clock: () => Date;
  logger: Logger;
}

/** What a password check found. `locked` covers "over the attempt budget": nothing was evaluated. */
type PasswordCheck =
  { result: 'right'; account: AdminAccount } | { result: 'wrong' } | { result: 'locked'; until: Date };

/**
 * Sign-in, sessions, lockout and the `currentPassword` confirmation of admin changes.
 *
 * Sessions, and their accounts, are read from the database on every request, on purpose: a
 * per-replica cache would keep a logged-out, locked-out, disabled or demoted session working on the
 * other replicas (docs/adr/0007-rate-limits.md "Sessions", docs/adr/0010-admin-roles-and-secret-rotation.md).
 * Two `_id` reads per admin request are what that costs.
 */
export class AdminAuthService {
  // Unknown usernames are checked against this so they cost the same time as known ones.
  private readonly decoyHash: Promise<string>;

  constructor(private readonly deps: AdminAuthDeps) {
    this.decoyHash = hashPassword(generateSessionToken());
    this.decoyHash.catch(() => undefined);
  }

  /**
   * Every refusal, whatever its reason (unknown user, wrong password, locked account, attempt budget
   * spent), is the same 401: a lock reveals neither the password nor that the account exists.
   * `newPassword` changes the password in the same step; it is required when the account must
   * change it (the generated bootstrap admin).
   */
  async login(rawUsername: string, password: string, newPassword?: string): Promise<LoginResult> {
    const { accounts, sessions, clock, session: policy, logger } = this.deps;
    const username = normalizeUsername(rawUsername);
    if (!USERNAME_PATTERN.test(username)) {
      await verifyPassword(password, await this.decoyHash);
      throw invalidCredentials();
    }
    const check = await this.checkPassword(username, password, 'login', await accounts.find(username));
    if (check.result !== 'right') throw invalidCredentials();
    // Judged after the password, so a disabled account costs the same work and answers the same as a
    // wrong password (Magento: "…or your account is disabled temporarily").
    if (check.account.disabledAt) {
      logger.warn({ username }, 'admin sign-in refused: account disabled');
      throw invalidCredentials();
    }

    const now = clock();
    if (newPassword !== undefined || check.account.mustChangePassword) {
      if (newPassword === undefined) throw passwordChangeRequired();
      const problem =
        passwordPolicyViolation(newPassword, username) ??
        (newPassword === password ? 'The new password must differ from the current one.' : undefined);
      if (problem) throw newPasswordRejected(problem);
      await accounts.changePassword(username, newPassword, now);
      logger.info({ username }, 'admin changed the password at sign-in');
    } else if (needsRehash(check.account.passwordHash)) {
      await accounts.upgradeHash(username, await hashPassword(password));
    }
    const accessToken = generateSessionToken();
    const expiresAt = sessionExpiry(now, now, policy);
    await sessions.create({ _id: hashSessionToken(accessToken), username, createdAt: now, expiresAt });
    logger.info({ username }, 'admin signed in');
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: Math.round((expiresAt.getTime() - now.getTime()) / 1000),
      expiresAt,
    };
  }

  /**
   * The admin behind a bearer token, or `ADMIN.UNAUTHENTICATED`. Slides the inactivity timeout. The
   * account is read too: a disabled or removed account ends the session here, on whichever replica
   * sees its next request, and the role is the account's as of now.
   */
  async authenticate(token: string | undefined): Promise<AdminPrincipal> {
    if (!token) throw unauthenticated('missing');
    const { sessions, accounts, clock, session: policy, logger } = this.deps;
    const sessionId = hashSessionToken(token);
    const now = clock();
    const session = await sessions.find(sessionId);
    if (!session) throw unauthenticated('invalid');
    if (!isSessionLive(session, now)) throw unauthenticated(session.revokedAt ? 'revoked' : 'expired');
    const account = await accounts.find(session.username);
    if (!account || account.disabledAt) {
      await sessions.revoke(sessionId, now);
      logger.warn({ username: session.username }, 'admin session ended: account disabled or removed');
      throw unauthenticated(account ? 'disabled' : 'revoked');
    }
    let expiresAt = session.expiresAt;
    const extended = extendedExpiry(session.createdAt, session.expiresAt, now, policy);
    if (extended) {
      await sessions.extend(sessionId, extended);
      expiresAt = extended;
    }
    return {
      username: session.username,
      role: account.role,
      interfaceLocale: account.interfaceLocale ?? null,
      sessionId,
      expiresAt,
      writes: session.writes ?? {},
      lastWrite: session.lastWrite ?? null,
    };
  }

  async logout(admin: AdminPrincipal): Promise<void> {
    await this.deps.sessions.revoke(admin.sessionId, this.deps.clock());
    this.deps.logger.info({ username: admin.username }, 'admin signed out');
  }

  /**
   * Magento's "Current User Identity Verification": every change asks for the admin's password.
   * A wrong one counts toward the lockout; a lock (set now or earlier) also ends the session, as
   * Magento logs the user out.
   */
  async confirmCurrentPassword(admin: AdminPrincipal, currentPassword: unknown): Promise<void> {
    if (typeof currentPassword !== 'string' || currentPassword.length === 0) throw passwordRequired();
    const { accounts, sessions, clock, logger } = this.deps;
    const account = await accounts.find(admin.username);
    if (!account) {
      await sessions.revoke(admin.sessionId, clock());
      throw unauthenticated('revoked');
    }
    const check = await this.checkPassword(admin.username, currentPassword, 'confirm', account);
    switch (check.result) {
      case 'right':
        return;
      case 'wrong':
        throw passwordMismatch();
      case 'locked':
        await sessions.revoke(admin.sessionId, clock());
        logger.warn({ username: admin.username }, 'admin session ended: account locked');
        throw accountLocked(check.until, true);
      default: {
        const _exhaustive: never = check;
        throw new Error(`unexpected password check ${String(_exhaustive)}`);
      }
    }
  }

  /**
   * Read-your-writes: remember that this session wrote `version` of an integration. Best effort:
   * the change itself already succeeded, so a failure here must not turn it into an error.
   */
  async recordWrite(admin: AdminPrincipal, integrationId: string, version: number): Promise<void> {
    try {
      await this.deps.sessions.recordWrite(admin.sessionId, integrationId, version, this.deps.clock());
    } catch (error) {
      this.deps.logger.warn(
        { err: { message: (error as Error).message }, integrationId },
        'could not record the write mark',
      );
    }
  }

  /**
   * The lockout, in an order that holds under concurrency and across replicas:
   * 1. a lock already set refuses at once (nothing recorded, so waiting it out is enough);
   * 2. the attempt is recorded and ranked *before* the password is hashed; past the threshold it is
   *    refused unevaluated and locks the account;
   * 3. a wrong password that reaches the threshold locks;
   * 4. a right password is judged on a fresh read of the lock made after the hash (~0.1 s), so a lock
   *    set meanwhile by the same burst wins; it never lifts a lock, only forgets attempts up to its own.
   * Known and unknown usernames take the same steps (the lock write of an unknown one matches
   * nothing), so they cost the same database work.
   */
  private async checkPassword(
    username: string,
    password: string,
    kind: 'login' | 'confirm',
    account: AdminAccount | null,
  ): Promise<PasswordCheck> {
    const { failures, accounts, lockout, clock, logger } = this.deps;
    const now = clock();
    const existing = lockState(account?.lockExpiresAt, now);
    if (existing.locked) {
      logger.warn({ username, kind, lockedUntil: existing.until }, 'admin password refused: account locked');
      return { result: 'locked', until: existing.until };
    }
    const { rank } = await failures.admit(username, kind, now, failureWindowStart(now, lockout));
    if (!mayEvaluate(rank, lockout)) {
      const until = lockExpiry(now, lockout);
      await accounts.lockUntil(username, until);
      logger.warn(
        { username, kind, attempts: rank, lockedUntil: until },
        'admin password not checked: too many attempts',
      );
      return { result: 'locked', until };
    }
    const matches = await verifyPassword(password, account?.passwordHash ?? (await this.decoyHash));
    if (!account || !matches) {
      const outcome = outcomeOfFailure(rank, now, lockout);
      if (outcome.lock) {
        await accounts.lockUntil(username, outcome.until);
        logger.warn({ username, kind, failures: rank, lockedUntil: outcome.until }, 'admin account locked');
        return { result: 'locked', until: outcome.until };
      }
      logger.warn({ username, kind, failures: rank }, 'admin password refused');
      return { result: 'wrong' };
    }
    const fresh = await accounts.find(username);
    const lock = lockState(fresh?.lockExpiresAt, clock());
    if (!fresh) return { result: 'wrong' };
    if (lock.locked) {
      logger.warn({ username, kind, lockedUntil: lock.until }, 'admin password refused: locked while it was checked');
      return { result: 'locked', until: lock.until };
    }
    await failures.forgetUpTo(username, now);
    return { result: 'right', account: fresh };
  }
}
