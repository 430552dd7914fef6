import type { Model } from 'mongoose';
import type { AdminAccountDoc } from './admin-auth.models';
import { hashPassword } from './password-hashing';
import { normalizeUsername, passwordPolicyViolation, usernameViolation } from './password-policy';

export class AdminAccountRejected extends Error {
  override readonly name = 'AdminAccountRejected';
}

/** Admin accounts in the gateway database. Used by the service, the bootstrap and the CLI. */
export class AdminAccountsStore {
  constructor(private readonly accounts: Model<AdminAccountDoc>) {}

  find(username: string): Promise<AdminAccountDoc | null> {
    return this.accounts.findById(normalizeUsername(username)).lean<AdminAccountDoc>().exec();
  }

  async exists(): Promise<boolean> {
    return (await this.accounts.exists({})) !== null;
  }

  /**
   * Creates an account; `'exists'` when the username is taken (the unique `_id` decides, so two
   * processes bootstrapping at once create it once). Throws `AdminAccountRejected` with a message for
   * the person when the username or password breaks the policy.
   */
  async create(
    username: string,
    password: string,
    now: Date,
    options: { mustChangePassword?: boolean } = {},
  ): Promise<'created' | 'exists'> {
    const id = this.checked(username, password);
    const passwordHash = await hashPassword(password);
    try {
      await this.accounts.create({
        _id: id,
        passwordHash,
        lockExpiresAt: null,
        createdAt: now,
        passwordChangedAt: now,
        mustChangePassword: options.mustChangePassword ?? false,
      });
      return 'created';
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return 'exists';
      throw error;
    }
  }

  /** Sets a new password (CLI `--reset`); also lifts a lock. `false` when there is no such admin. */
  async setPassword(username: string, password: string, now: Date): Promise<boolean> {
    const id = this.checked(username, password);
    const passwordHash = await hashPassword(password);
    const result = await this.accounts.updateOne(
      { _id: id },
      { $set: { passwordHash, passwordChangedAt: now, lockExpiresAt: null, mustChangePassword: false } },
    );
    return result.matchedCount === 1;
  }

  /** The admin's own change (at sign-in, with the current password checked): no lock is lifted. */
  async changePassword(username: string, password: string, now: Date): Promise<void> {
    const id = this.checked(username, password);
    const passwordHash = await hashPassword(password);
    await this.accounts.updateOne(
      { _id: id },
      { $set: { passwordHash, passwordChangedAt: now, mustChangePassword: false } },
    );
  }

  /** Re-hash with current parameters after a successful sign-in (old hashes upgrade themselves). */
  async upgradeHash(username: string, passwordHash: string): Promise<void> {
    await this.accounts.updateOne({ _id: normalizeUsername(username) }, { $set: { passwordHash } });
  }

  /**
   * `$max` so that two requests locking at once keep the later expiry. A lock is never lifted by a
   * sign-in, only by time or by `setPassword` (the CLI's --reset).
   */
  async lockUntil(username: string, until: Date): Promise<void> {
    await this.accounts.updateOne({ _id: normalizeUsername(username) }, { $max: { lockExpiresAt: until } });
  }

  private checked(username: string, password: string): string {
    const problem = usernameViolation(username) ?? passwordPolicyViolation(password, username);
    if (problem) throw new AdminAccountRejected(problem);
    return normalizeUsername(username);
  }
}
