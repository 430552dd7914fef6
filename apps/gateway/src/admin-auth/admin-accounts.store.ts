import type { Model } from 'mongoose';
import type { AdminAccountDoc } from './admin-auth.models';
import { type AdminRole, LEGACY_ROLE } from './admin-roles';
import type { InterfaceLocale } from './interface-locale';
import { hashPassword } from './password-hashing';
import { normalizeUsername, passwordPolicyViolation, usernameViolation } from './password-policy';

export class AdminAccountRejected extends Error {
  override readonly name = 'AdminAccountRejected';
}

/** An account as the rest of the gateway reads it: the role always set (older rows: `LEGACY_ROLE`). */
export type AdminAccount = AdminAccountDoc & { role: AdminRole };

const withRole = (doc: AdminAccountDoc | null): AdminAccount | null => doc && { ...doc, role: doc.role ?? LEGACY_ROLE };

/** Filter of the accounts that are administrators (older rows without a role included) and enabled. */
const ACTIVE_ADMINISTRATORS = {
  $or: [{ role: 'administrator' }, { role: { $exists: false } }],
  disabledAt: null,
};

/** Admin accounts in the gateway database. Used by the service, the bootstrap and the CLI. */
export class AdminAccountsStore {
  constructor(private readonly accounts: Model<AdminAccountDoc>) {}

  async find(username: string): Promise<AdminAccount | null> {
    return withRole(await this.accounts.findById(normalizeUsername(username)).lean<AdminAccountDoc>().exec());
  }

  /** Every account, by username (an admin page lists a handful: no paging). */
  async list(): Promise<AdminAccount[]> {
    const docs = await this.accounts.find({}).sort({ _id: 1 }).lean<AdminAccountDoc[]>().exec();
    return docs.map((doc) => withRole(doc)!);
  }

  /** Enabled administrators: the "last administrator" rule counts them after a change. */
  countActiveAdministrators(): Promise<number> {
    return this.accounts.countDocuments(ACTIVE_ADMINISTRATORS).exec();
  }

  /**
   * Gives accounts older than roles the role they had in effect (administrator), so the database
   * says what the code assumes. Idempotent; every replica runs it at start.
   */
  async migrateLegacyRoles(): Promise<string[]> {
    const legacy = await this.accounts
      .find({ role: { $exists: false } }, { _id: 1 })
      .lean<AdminAccountDoc[]>()
      .exec();
    if (legacy.length === 0) return [];
    await this.accounts.updateMany({ role: { $exists: false } }, { $set: { role: LEGACY_ROLE } });
    return legacy.map((doc) => doc._id);
  }

  /** `false` when there is no such admin. */
  async setRole(username: string, role: AdminRole): Promise<boolean> {
    const result = await this.accounts.updateOne({ _id: normalizeUsername(username) }, { $set: { role } });
    return result.matchedCount === 1;
  }

  /** Disables (`at`) or enables (null) the account; `false` when there is no such admin. */
  async setDisabled(username: string, at: Date | null): Promise<boolean> {
    const result = await this.accounts.updateOne({ _id: normalizeUsername(username) }, { $set: { disabledAt: at } });
    return result.matchedCount === 1;
  }

  async setInterfaceLocale(username: string, locale: InterfaceLocale | null): Promise<void> {
    await this.accounts.updateOne({ _id: normalizeUsername(username) }, { $set: { interfaceLocale: locale } });
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
    options: { role: AdminRole; mustChangePassword?: boolean },
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
        role: options.role,
        disabledAt: null,
        interfaceLocale: null,
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
