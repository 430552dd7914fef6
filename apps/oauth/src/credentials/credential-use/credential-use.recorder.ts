import type { Logger } from '@integrations/service-kit';
import type mongoose from 'mongoose';
import { isDuplicateKeyError } from '../../mongo-errors';

export const CREDENTIAL_USES_COLLECTION = 'credential_uses';

/**
 * When a credential last served: `_id` names it (`consumer:<consumer id>`, `token:<token row id>`),
 * `lastUsedAt` only grows (`$max`).
 */
export interface CredentialUseDocument {
  _id: string;
  lastUsedAt: Date;
}

/** The credentials an accepted call used. */
export interface CredentialUse {
  /** Present when the consumer key and secret signed the call (OAuth), absent for a Bearer call. */
  consumerId?: string;
  /** The access token's row id (a digest, never the token), when the call carried one. */
  tokenId?: string;
}

export const credentialSubjects = {
  consumer: (consumerId: string) => `consumer:${consumerId}`,
  token: (tokenId: string) => `token:${tokenId}`,
};

/**
 * "Last used" of each credential for Integration Details, without a database write per call: accepted
 * calls are noted in memory and flushed every few seconds with `$max`. Two replicas flushing the same
 * credential at once on FerretDB (whose `$max` is read-modify-write, docs/adr/0003) may keep the
 * older of their two instants: both lie within the last flush interval, so the figure is off by at
 * most that, and the next flush of a credential still in use moves it on again.
 */
export class CredentialUseRecorder {
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly collection: mongoose.mongo.Collection<CredentialUseDocument>,
    private readonly logger: Logger,
  ) {}

  record(use: CredentialUse, at: number = Date.now()): void {
    if (use.consumerId !== undefined) this.note(credentialSubjects.consumer(use.consumerId), at);
    if (use.tokenId !== undefined) this.note(credentialSubjects.token(use.tokenId), at);
  }

  /** Last use of each subject asked (absent: never used, or not flushed yet). */
  async lastUses(subjects: string[]): Promise<Map<string, Date>> {
    const documents = await this.collection.find({ _id: { $in: subjects } }).toArray();
    return new Map(documents.map((document) => [document._id, document.lastUsedAt]));
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.flushPending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private note(subject: string, at: number): void {
    if ((this.pending.get(subject) ?? 0) < at) this.pending.set(subject, at);
  }

  private async flushPending(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [subject, at] of batch) {
      try {
        await this.write(subject, new Date(at));
      } catch (error) {
        // Kept for the next flush (unless a later use replaced it meanwhile). The subject names a
        // consumer id or a token digest, neither of which is a credential.
        this.note(subject, at);
        this.logger.warn(
          { subject, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
          'credential last-use flush failed; retrying at the next interval',
        );
      }
    }
  }

  private async write(subject: string, lastUsedAt: Date): Promise<void> {
    try {
      await this.collection.updateOne({ _id: subject }, { $max: { lastUsedAt } }, { upsert: true });
    } catch (error) {
      // Two replicas creating the same document at once: the loser updates the winner's.
      if (!isDuplicateKeyError(error)) throw error;
      await this.collection.updateOne({ _id: subject }, { $max: { lastUsedAt } });
    }
  }
}
