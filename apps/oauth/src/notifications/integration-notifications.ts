import { randomUUID } from 'node:crypto';
import type { Logger } from '@integrations/service-kit';
import type { ConsumerStore } from '../consumer/consumer.store';
import type { SecretBox } from '../crypto/secret-box';
import { notificationSecretContext, type NotificationQueue } from './notification-queue';
import type { NotificationTargets } from './notification-targets';
import { NOTIFIED_EVENTS } from './notified-events';

/** The slice of an integration event this reads. */
export interface NotifiableEvent {
  type: string;
  /** The integration (the stream). */
  subject: string;
  /** When the change happened (ISO 8601). */
  time: string;
  data: unknown;
}

/**
 * The integration events consumer's hooks for partner notifications: `track` keeps the callback URLs
 * (notification-targets.ts) from every event delivered, even one already applied, so that replaying
 * the topic (a reset of the consumer group) fills them in for integrations created before this
 * existed; `notify` queues a notification for a new event in NOTIFIED_EVENTS of an integration that
 * has a callback URL and a consumer. It runs before the credentials are removed (IntegrationDeleted):
 * the queued notification keeps its own sealed copy of the secret.
 */
export class IntegrationNotifications {
  constructor(
    private readonly targets: NotificationTargets,
    private readonly queue: NotificationQueue,
    private readonly consumers: ConsumerStore,
    private readonly box: SecretBox,
    private readonly nudge: () => void,
    private readonly logger: Logger,
  ) {}

  /**
   * Every delivered event, in partition order: a redelivered older one may set an older URL for a
   * moment, and the events after it, delivered again in order, set it back before any new event is
   * notified.
   */
  track(event: NotifiableEvent): Promise<void> {
    return this.targets.apply(event.subject, event);
  }

  /** An event not applied before (the status projection's version says so), at stream `version`. */
  async notify(event: NotifiableEvent, version: number): Promise<void> {
    const integrationId = event.subject;
    const type = NOTIFIED_EVENTS[event.type];
    if (!type) return;
    const callbackUrl = await this.targets.callbackUrlOf(integrationId);
    if (!callbackUrl) return;
    const consumer = await this.consumers.findByIntegration(integrationId);
    if (!consumer) {
      // Never activated (or already removed): the partner holds no credentials to be told about.
      this.logger.debug({ integrationId, type }, 'No consumer: nothing to notify');
      return;
    }
    const id = `${integrationId}:${version}`;
    const now = new Date();
    const queued = await this.queue.enqueue({
      _id: id,
      notificationId: randomUUID(),
      integrationId,
      integrationVersion: version,
      type,
      occurredAt: new Date(event.time),
      callbackUrl,
      consumerKey: consumer.key,
      secret: this.box.seal(consumer.secret, notificationSecretContext(id)),
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      finishedAt: null,
    });
    if (queued) this.nudge();
  }
}
