import type { Model } from 'mongoose';
import type { AdminSessionDoc } from './admin-auth.models';

export class AdminSessionsStore {
  constructor(private readonly sessions: Model<AdminSessionDoc>) {}

  async create(session: Omit<AdminSessionDoc, 'revokedAt' | 'writes' | 'lastWrite'>): Promise<void> {
    await this.sessions.create({ ...session, revokedAt: null, writes: {}, lastWrite: null });
  }

  find(tokenHash: string): Promise<AdminSessionDoc | null> {
    return this.sessions.findById(tokenHash).lean<AdminSessionDoc>().exec();
  }

  // Filters are exactly `{_id}`: the only shape FerretDB 1.x answers from an index.

  async extend(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.sessions.updateOne({ _id: tokenHash }, { $max: { expiresAt } });
  }

  async revoke(tokenHash: string, now: Date): Promise<void> {
    await this.sessions.updateOne({ _id: tokenHash }, { $set: { revokedAt: now } });
  }

  /** Ends every live session of an admin (account disabled); returns how many. */
  async revokeAllOf(username: string, now: Date): Promise<number> {
    const result = await this.sessions.updateMany({ username, revokedAt: null }, { $set: { revokedAt: now } });
    return result.modifiedCount;
  }

  /** Remembers the version a write produced, so this session's next reads can wait for it. */
  async recordWrite(tokenHash: string, integrationId: string, version: number, at: Date): Promise<void> {
    await this.sessions.updateOne(
      { _id: tokenHash },
      { $max: { [`writes.${integrationId}`]: version }, $set: { lastWrite: { id: integrationId, version, at } } },
    );
  }

  /** Deletes sessions that ended more than `graceMs` ago (no TTL index on FerretDB). */
  async sweep(now: Date, graceMs: number): Promise<number> {
    const result = await this.sessions.deleteMany({ expiresAt: { $lt: new Date(now.getTime() - graceMs) } });
    return result.deletedCount;
  }
}
