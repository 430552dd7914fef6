import type { Model } from 'mongoose';
import type { AdminPasswordFailureDoc } from './admin-auth.models';

/**
 * Password attempts not known to have succeeded, one document each (see `AdminPasswordFailureDoc`
 * for why not `$inc`). An attempt is recorded *before* its password is hashed, so the count is a
 * budget taken in advance, not a tally made afterwards: see `admit`.
 */
export class PasswordFailuresStore {
  constructor(private readonly failures: Model<AdminPasswordFailureDoc>) {}

  /**
   * Records an attempt at `at` and returns its rank: how many attempts (this one included) the window
   * since `windowStart` holds. Insert first, count second, so whichever of N concurrent attempts was
   * inserted k-th counts at least k: at most `threshold` attempts of any burst can see a rank within
   * the threshold (docs/adr/0007-rate-limits.md, "Lockout").
   */
  async admit(
    username: string,
    kind: AdminPasswordFailureDoc['kind'],
    at: Date,
    windowStart: Date,
  ): Promise<{ rank: number }> {
    await this.failures.create({ username, at, kind });
    const rank = await this.failures.countDocuments({ username, at: { $gt: windowStart } }).exec();
    return { rank };
  }

  /**
   * A successful sign-in or confirmation forgets the attempts made up to its own. Attempts made after
   * it (a burst still in flight) stay counted.
   */
  async forgetUpTo(username: string, at: Date): Promise<void> {
    await this.failures.deleteMany({ username, at: { $lte: at } });
  }

  async sweep(before: Date): Promise<number> {
    const result = await this.failures.deleteMany({ at: { $lte: before } });
    return result.deletedCount;
  }
}
