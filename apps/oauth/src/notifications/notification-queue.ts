import type { PartnerNotificationType } from '@integrations/contracts';
import type mongoose from 'mongoose';
import { isDuplicateKeyError } from '../mongo-errors';

export const PARTNER_NOTIFICATIONS_COLLECTION = 'partner_notifications';

/** The context a queued notification's secret is sealed under (SecretBox): bound to its document. */
export const notificationSecretContext = (id: string) => `notification:${id}:secret`;

/**
 * One notification to a partner, waiting or done. Durable: a restart, a crash or another replica
 * picks it up where it stands (partner-notifier.ts).
 */
export interface PartnerNotificationDocument {
  /** `<integration id>:<integration version>`: one per change, however often the event is delivered. */
  _id: string;
  /** What the partner sees as `id` (the same on every attempt). */
  notificationId: string;
  integrationId: string;
  integrationVersion: number;
  type: PartnerNotificationType;
  occurredAt: Date;
  callbackUrl: string;
  consumerKey: string;
  /**
   * The consumer secret, sealed under notificationSecretContext(_id): copied at enqueue, because a
   * deletion removes the consumer right after; erased (null) once the notification is done.
   */
  secret: string | null;
  state: 'pending' | 'delivered' | 'abandoned';
  /** Attempts made so far. */
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
}

export class NotificationQueue {
  constructor(private readonly collection: mongoose.mongo.Collection<PartnerNotificationDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ state: 1, nextAttemptAt: 1 }, { name: 'due' });
  }

  /** False when this change was queued already (a redelivered event). */
  async enqueue(notification: PartnerNotificationDocument): Promise<boolean> {
    try {
      await this.collection.insertOne(notification);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Pending notifications whose next attempt is due, oldest first. */
  due(now: Date, limit: number): Promise<PartnerNotificationDocument[]> {
    return this.collection
      .find({ state: 'pending', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
  }

  async delivered(id: string, attempts: number, now: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: id },
      { $set: { state: 'delivered', attempts, secret: null, finishedAt: now } },
    );
  }

  /** A failed attempt: tried again at `nextAttemptAt`, or abandoned when it is null. */
  async failed(id: string, attempts: number, nextAttemptAt: Date | null, now: Date): Promise<void> {
    await this.collection.updateOne(
      { _id: id },
      nextAttemptAt
        ? { $set: { attempts, nextAttemptAt } }
        : { $set: { state: 'abandoned', attempts, secret: null, finishedAt: now } },
    );
  }

  /** Done notifications finished before `before` (their history is in the events). */
  async purgeFinished(before: Date): Promise<number> {
    return (await this.collection.deleteMany({ state: { $ne: 'pending' }, finishedAt: { $lt: before } })).deletedCount;
  }
}
