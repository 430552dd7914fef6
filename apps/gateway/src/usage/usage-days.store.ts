import type { UsageRefusalReason } from '@integrations/contracts';
import type mongoose from 'mongoose';

export const USAGE_DAYS_COLLECTION = 'usage_days';

/**
 * What one gateway process (one replica, one start) counted for one integration on one UTC day:
 * `_id` is `<integrationId>@<day>@<counter>`, and only that process writes it, with `$set` of its
 * running totals. No two writers ever touch one document (FerretDB's `$inc` is not atomic across
 * writers), a repeated write is harmless, and the sum over a day's documents is exact.
 */
export interface UsageDayDocument {
  _id: string;
  integrationId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  counter: string;
  /** Every call of the integration, accepted or refused. */
  calls: number;
  /** Refused calls by reason (absent: none). */
  refusals: Partial<Record<UsageRefusalReason, number>>;
  lastCallAt: Date;
}

export type UsageDayTotals = Omit<UsageDayDocument, '_id'>;

export class UsageDaysStore {
  constructor(private readonly collection: mongoose.mongo.Collection<UsageDayDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, day: 1 }, { name: 'integration_day' });
    await this.collection.createIndex({ day: 1 }, { name: 'day' });
  }

  /** One round trip for every total that changed since the last flush. */
  async write(totals: readonly UsageDayTotals[]): Promise<void> {
    if (totals.length === 0) return;
    await this.collection.bulkWrite(
      totals.map((total) => ({
        updateOne: {
          filter: { _id: `${total.integrationId}@${total.day}@${total.counter}` },
          update: { $set: total },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** Every document of the integration from `fromDay` on, whichever process wrote it. */
  read(integrationId: string, fromDay: string): Promise<UsageDayDocument[]> {
    return this.collection.find({ integrationId, day: { $gte: fromDay } }).toArray();
  }

  /** Drops the days before `day`; every replica may run it (the same delete twice is harmless). */
  async purgeBefore(day: string): Promise<number> {
    return (await this.collection.deleteMany({ day: { $lt: day } })).deletedCount;
  }
}
