import type mongoose from 'mongoose';

export const NOTIFICATION_TARGETS_COLLECTION = 'notification_targets';

/** Where an integration's partner is told of access changes: its callback URL, as last set. */
export interface NotificationTargetDocument {
  /** Integration id. */
  _id: string;
  callbackUrl: string | null;
}

/** The slice of an integration event this projection reads. */
export interface TargetEvent {
  type: string;
  data: unknown;
}

/**
 * The oauth service's own copy of each integration's callback URL, from IntegrationCreated and
 * IntegrationUpdated (the registry owns it; no service reads another's collections). Kept after a
 * delete: IntegrationDeleted is notified to the URL the integration had. Fed by the integration
 * events consumer before it applies the status projection, so it is as current as the event being
 * handled (one partition per integration, in order).
 */
export class NotificationTargets {
  constructor(private readonly collection: mongoose.mongo.Collection<NotificationTargetDocument>) {}

  async apply(integrationId: string, event: TargetEvent): Promise<void> {
    const callbackUrl = callbackUrlSetBy(event);
    if (callbackUrl === undefined) return;
    await this.collection.updateOne({ _id: integrationId }, { $set: { callbackUrl } }, { upsert: true });
  }

  /** null: none set (or never heard of the integration). */
  async callbackUrlOf(integrationId: string): Promise<string | null> {
    return (await this.collection.findOne({ _id: integrationId }))?.callbackUrl ?? null;
  }
}

/** The callback URL the event sets (null: cleared), or undefined when it does not touch it. */
function callbackUrlSetBy({ type, data }: TargetEvent): string | null | undefined {
  const payload = data as { callbackUrl?: string | null; changes?: { callbackUrl?: string | null } };
  if (type === 'IntegrationCreated') return payload.callbackUrl ?? null;
  if (type === 'IntegrationUpdated') return payload.changes?.callbackUrl;
  return undefined;
}
