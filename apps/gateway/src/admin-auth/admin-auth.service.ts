import type { Logger } from '@integrations/service-kit';
import {
  accountLocked,
  invalidCredentials,
  passwordMismatch,
  passwordRequired,
  unauthenticated,
} from './admin-auth.errors';
import type { AdminAccountsStore } from './admin-accounts.store';
import type { AdminSessionsStore } from './admin-sessions.store';
import { failureWindowStart, lockState, outcomeOfFailure, type LockoutPolicy } from './lockout-policy';
import { hashPassword, needsRehash, verifyPassword } from './password-hashing';
import type { PasswordFailuresStore } from './password-failures.store';
import { USERNAME_PATTERN, normalizeUsername } from './password-policy';
import { extendedExpiry, isSessionLive, sessionExpiry, type SessionPolicy } from './session-policy';
import { SessionCache } from './session-cache';
import { generateSessionToken, hashSessionToken } from './session-token';

/** The signed-in admin behind a request. */
export interface AdminPrincipal {
  username: string;
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
  /** See `SessionCache`; 0 disables it. */
  sessionCacheMs: number;
}

/** Sign-in, sessions, lockout and the `currentPassword` confirmation of admin changes. */
export class AdminAuthService {
  // Unknown usernames are checked against this so they cost the same time as known ones.
  private readonly decoyHash: Promise<string>;
  private readonly cache: SessionCache;

  constructor(private readonly deps: AdminAuthDeps) {
    this.cache = new SessionCache(deps.sessionCacheMs);
    this.decoyHash = hashPassword(generateSessionToken());
    this.decoyHash.catch(() => undefined);
  }

  async login(rawUsername: string, password: string): Promise<LoginResult> {
    const { accounts, sessions, clock, session: policy, logger } = this.deps;
    const username = normalizeUsername(rawUsername);
    const account = USERNAME_PATTERN.test(username) ? await accounts.find(username) : null;
    const matches = await verifyPassword(password, account?.passwordHash ?? (await this.decoyHash));
    if (!account) throw invalidCredentials();

    const now = clock();
    const lock = lockState(account.lockExpiresAt, now);
    if (lock.locked) {
      // Only someone who knows the password learns about the lock: to anyone else a locked
      // account looks like any failed sign-in, so the lock does not reveal which usernames exist.
      logger.warn({ username, lockedUntil: lock.until }, 'admin sign-in refused: account locked');
      if (matches) throw accountLocked(lock.until, false);
      throw invalidCredentials();
    }
    if (!matches) {
      await this.recordFailure(username, 'login', now);
      throw invalidCredentials();
    }

    await this.forgetFailures(username);
    if (needsRehash(account.passwordHash)) await accounts.upgradeHash(username, await hashPassword(password));
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

  /** The admin behind a bearer token, or `ADMIN.UNAUTHENTICATED`. Slides the inactivity timeout. */
  async authenticate(token: string | undefined): Promise<AdminPrincipal> {
    if (!token) throw unauthenticated('missing');
    const { sessions, clock, session: policy } = this.deps;
    const sessionId = hashSessionToken(token);
    const now = clock();
    let session = this.cache.get(sessionId, now.getTime()) ?? null;
    if (!session) {
      session = await sessions.find(sessionId);
      if (!session) throw unauthenticated('invalid');
      this.cache.set(session, now.getTime());
    }
    if (!isSessionLive(session, now)) {
      this.cache.evict(sessionId);
      throw unauthenticated(session.revokedAt ? 'revoked' : 'expired');
    }
    let expiresAt = session.expiresAt;
    const extended = extendedExpiry(session.createdAt, session.expiresAt, now, policy);
    if (extended) {
      await sessions.extend(sessionId, extended);
      this.cache.update(sessionId, (cached) => ({ ...cached, expiresAt: extended }));
      expiresAt = extended;
    }
    return {
      username: session.username,
      sessionId,
      expiresAt,
      writes: session.writes ?? {},
      lastWrite: session.lastWrite ?? null,
    };
  }

  async logout(admin: AdminPrincipal): Promise<void> {
    await this.endSession(admin.sessionId, this.deps.clock());
    this.deps.logger.info({ username: admin.username }, 'admin signed out');
  }

  /**
   * Magento's "Current User Identity Verification": every change asks for the admin's password.
   * A wrong one counts toward the lockout; the one that locks also ends the session, as Magento
   * logs the user out.
   */
  async confirmCurrentPassword(admin: AdminPrincipal, currentPassword: unknown): Promise<void> {
    if (typeof currentPassword !== 'string' || currentPassword.length === 0) throw passwordRequired();
    const { accounts, clock, logger } = this.deps;
    const account = await accounts.find(admin.username);
    const now = clock();
    if (!account) {
      await this.endSession(admin.sessionId, now);
      throw unauthenticated('revoked');
    }
    const lock = lockState(account.lockExpiresAt, now);
    if (lock.locked) {
      await this.endSession(admin.sessionId, now);
      throw accountLocked(lock.until, true);
    }
    if (await verifyPassword(currentPassword, account.passwordHash)) {
      await this.forgetFailures(admin.username);
      return;
    }
    const outcome = await this.recordFailure(admin.username, 'confirm', now);
    if (outcome.lock) {
      await this.endSession(admin.sessionId, now);
      logger.warn({ username: admin.username }, 'admin session ended: account locked');
      throw accountLocked(outcome.until, true);
    }
    throw passwordMismatch();
  }

  /**
   * Read-your-writes: remember that this session wrote `version` of an integration. Best effort:
   * the change itself already succeeded, so a failure here must not turn it into an error.
   */
  async recordWrite(admin: AdminPrincipal, integrationId: string, version: number): Promise<void> {
    const at = this.deps.clock();
    try {
      await this.deps.sessions.recordWrite(admin.sessionId, integrationId, version, at);
    } catch (error) {
      this.deps.logger.warn(
        { err: { message: (error as Error).message }, integrationId },
        'could not record the write mark',
      );
    }
    this.cache.update(admin.sessionId, (cached) => ({
      ...cached,
      writes: { ...cached.writes, [integrationId]: Math.max(version, cached.writes?.[integrationId] ?? 0) },
      lastWrite: { id: integrationId, version, at },
    }));
  }

  private async endSession(sessionId: string, now: Date) {
    this.cache.evict(sessionId);
    await this.deps.sessions.revoke(sessionId, now);
  }

  private async recordFailure(username: string, kind: 'login' | 'confirm', now: Date) {
    const { failures, accounts, lockout, logger } = this.deps;
    const count = await failures.recordAndCount(username, kind, now, failureWindowStart(now, lockout));
    const outcome = outcomeOfFailure(count, now, lockout);
    if (outcome.lock) {
      await accounts.lockUntil(username, outcome.until);
      logger.warn({ username, failures: count, lockedUntil: outcome.until, kind }, 'admin account locked');
    } else {
      logger.warn({ username, failures: count, kind }, 'admin password refused');
    }
    return outcome;
  }

  private async forgetFailures(username: string) {
    await Promise.all([this.deps.failures.forget(username), this.deps.accounts.clearLock(username)]);
  }
}
