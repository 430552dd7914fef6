import type { IntegrationEvent } from '@integrations/contracts';
import type { mongo } from 'mongoose';
import type { ProjectedEvent } from './projected-event';

export const HISTORY_COLLECTION = 'integration_history';

/**
 * One entry per event: who did what to an integration, when, and which fields changed. Besides the
 * integration's own events, the oauth service's attempts to notify the partner of a change
 * (PartnerNotificationDelivered / PartnerNotificationFailed), filed under the version of that change.
 */
export interface HistoryDocument {
  /**
   * `<integrationId>:<version>`, or `<integrationId>:notification:<event id>` for a notification
   * attempt: either way a redelivered event is a no-op.
   */
  _id: string;
  integrationId: string;
  version: number;
  type: string;
  actor: string | null;
  at: Date;
  changes: Record<string, unknown>;
  /**
   * Not one of the integration's own events, but an oauth event filed under it: `notification` for
   * a notification attempt, `credentials` for a change of its credentials (a consumer secret rotation).
   */
  kind?: 'notification' | 'credentials';
}

/** The oauth events that are notification attempts, as the history reads them. */
export interface NotificationAttempt {
  /** The CloudEvent id. */
  eventId: string;
  type: 'PartnerNotificationDelivered' | 'PartnerNotificationFailed';
  at: Date;
  data: {
    integrationId: string;
    integrationVersion: number;
    notification: string;
    attempt: number;
    host: string;
    status: number | null;
    code?: string;
    nextAttemptAt?: string | null;
  };
}

export interface HistoryPage {
  items: HistoryDocument[];
  total: number;
  page: number;
  pageSize: number;
}

export class IntegrationHistoryProjection {
  constructor(readonly collection: mongo.Collection<HistoryDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ integrationId: 1, version: -1 }, { name: 'by_integration' });
  }

  /** 'applied' or 'duplicate'; history needs no ordering, each event is its own document. */
  apply(event: ProjectedEvent): Promise<'applied' | 'duplicate'> {
    return this.insert(historyEntry(event));
  }

  /** A notification attempt; 'duplicate' when it is recorded already. */
  applyNotification(attempt: NotificationAttempt): Promise<'applied' | 'duplicate'> {
    return this.insert(notificationEntry(attempt));
  }

  /** An entry as it is (a rebuild carrying entries over); its `_id` makes a second insert a no-op. */
  async insert(entry: HistoryDocument): Promise<'applied' | 'duplicate'> {
    try {
      await this.collection.insertOne(entry);
      return 'applied';
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return 'duplicate';
      throw error;
    }
  }

  /** Highest version of the integration's own events recorded (0 if none). */
  async versionOf(integrationId: string): Promise<number> {
    const latest = await this.collection.findOne(
      { integrationId, kind: { $exists: false } },
      { sort: { version: -1 }, projection: { version: 1 } },
    );
    return latest?.version ?? 0;
  }

  /** Newest first (a change's notification attempts above the change). */
  async list(integrationId: string, page: number, pageSize: number): Promise<HistoryPage> {
    const [items, total] = await Promise.all([
      this.collection
        .find({ integrationId })
        .sort({ version: -1, at: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.collection.countDocuments({ integrationId }),
    ]);
    return { items, total, page, pageSize };
  }
}

export function historyEntry(event: ProjectedEvent): HistoryDocument {
  return {
    _id: `${event.streamId}:${event.version}`,
    integrationId: event.streamId,
    version: event.version,
    type: event.type,
    actor: event.actor,
    at: event.timestamp,
    changes: historyChanges(event),
  };
}

/** The fields an event changed, as an admin reads them in the history. */
function historyChanges(event: ProjectedEvent): Record<string, unknown> {
  const known = event as unknown as IntegrationEvent & { type: string };
  switch (known.type) {
    case 'IntegrationCreated': {
      const { integrationId: _id, ...fields } = known.payload;
      return { ...fields, status: 'inactive' };
    }
    case 'IntegrationUpdated':
      return Object.fromEntries(Object.entries(known.payload.changes).filter(([, value]) => value !== undefined));
    case 'IntegrationActivationStarted':
      return { status: 'inactive', mode: known.payload.mode, reauthorize: known.payload.reauthorize };
    case 'IntegrationActivated':
    case 'IntegrationReauthorized':
      return { status: 'active', mode: known.payload.mode };
    case 'IntegrationReset':
      return { status: 'reset' };
    case 'IntegrationDeleted':
      return { deleted: true };
    case 'IntegrationSuspended':
      return { suspended: true };
    case 'IntegrationResumed':
      return { suspended: false };
    case 'IntegrationExpired':
      return { expired: true, expiresAt: known.payload.expiresAt };
    default: {
      // A type added after this build: keep its data rather than lose the entry.
      const { integrationId: _id, ...rest } = (event.payload ?? {}) as Record<string, unknown>;
      return rest;
    }
  }
}

/** The attempt as the admin reads it: which notification, which try, to which host, and the answer. */
export function notificationEntry({ eventId, type, at, data }: NotificationAttempt): HistoryDocument {
  const failed = type === 'PartnerNotificationFailed';
  return {
    _id: `${data.integrationId}:notification:${eventId}`,
    integrationId: data.integrationId,
    version: data.integrationVersion,
    type,
    actor: null,
    at,
    changes: {
      notification: data.notification,
      attempt: data.attempt,
      host: data.host,
      ...(data.status === null ? {} : { httpStatus: data.status }),
      ...(failed ? { failure: data.code, nextAttemptAt: data.nextAttemptAt ?? null } : {}),
    },
    kind: 'notification',
  };
}

/** "Rotate consumer secret" as the admin reads it in the history: who, when, until when the old secret worked. */
export function secretRotationEntry(rotation: {
  eventId: string;
  at: Date;
  actor: string | null;
  data: {
    integrationId: string;
    integrationVersion: number | null;
    generation: number;
    mode: string;
    previousSecretExpiresAt: string | null;
  };
}): HistoryDocument {
  const { eventId, at, actor, data } = rotation;
  return {
    _id: `${data.integrationId}:credentials:${eventId}`,
    integrationId: data.integrationId,
    // Filed under the version the admin saw (0: unknown).
    version: data.integrationVersion ?? 0,
    type: 'ConsumerSecretRotated',
    actor,
    at,
    changes: { mode: data.mode, previousSecretExpiresAt: data.previousSecretExpiresAt },
    kind: 'credentials',
  };
}
