import type { Model } from 'mongoose';
import type { AdminPasswordFailureDoc } from './admin-auth.models';

/** Failed admin passwords, one document each (see `AdminPasswordFailureDoc` for why not `$inc`). */
export class PasswordFailuresStore {
  constructor(private readonly failures: Model<AdminPasswordFailureDoc>) {}

  /** Records a failure and returns how many the window (since `windowStart`) now holds, this one included. */
  async recordAndCount(
    username: string,
    kind: AdminPasswordFailureDoc['kind'],
    now: Date,
    windowStart: Date,
  ): Promise<number> {
    // Insert first, count second: whichever concurrent request counts last sees every insert, so
    // a burst of failures can never all see a count below the threshold.
    await this.failures.create({ username, at: now, kind });
    return this.failures.countDocuments({ username, at: { $gt: windowStart } }).exec();
  }

  /** A successful sign-in forgets earlier failures. */
  async forget(username: string): Promise<void> {
    await this.failures.deleteMany({ username });
  }

  async sweep(before: Date): Promise<number> {
    const result = await this.failures.deleteMany({ at: { $lte: before } });
    return result.deletedCount;
  }
}
