import { parseCloudEvent, sequenceOf, type ParsedCloudEvent } from '@integrations/contracts';
import { ProjectionGapError } from '@integrations/event-store';
import type { MessageBus, Subscription } from '@integrations/messaging';
import type { Logger } from '@integrations/service-kit';
import type { CredentialRemoval } from '../consumer/credential-removal';
import type { IntegrationNotifications } from '../notifications/integration-notifications';
import type { UsageRecorder } from '../usage/usage-recorder';
import type { IntegrationStatusProjection } from './integration-status.projection';

export interface IntegrationEventsOptions {
  bus: MessageBus;
  topic: string;
  groupId: string;
  projection: IntegrationStatusProjection;
  removal: CredentialRemoval;
  usage: UsageRecorder;
  /** Partner notifications: queued before the credentials (and so the secret) are removed. */
  notifications: IntegrationNotifications;
  logger: Logger;
}

/**
 * Follows `integrations.integration.v1`: keeps the status projection (read by issuance), and on
 * IntegrationDeleted / IntegrationReset removes the integration's credentials, and queues the partner
 * notifications (before that removal, which takes the secret along). Side effects run only
 * for an event the projection has not applied yet, and before applying it: a redelivered
 * IntegrationReset must not delete the consumer a later activation created, and a crash between the
 * two repeats the (idempotent) removal instead of skipping it. The removal sets the change signal
 * before the event is acknowledged. One replica handles each partition (consumer group).
 */
export async function subscribeIntegrationEvents(options: IntegrationEventsOptions): Promise<Subscription> {
  const { projection, removal, logger } = options;
  return options.bus.subscribe<ParsedCloudEvent>({
    groupId: options.groupId,
    topics: [options.topic],
    fromBeginning: true,
    parse: (message) => parseCloudEvent(message.value ?? ''),
    handle: async (parsed) => {
      // Types added later (or not about status) are acknowledged and skipped.
      if (parsed.kind !== 'known') return;
      const event = parsed.event;
      const integrationId = event.subject;
      const version = sequenceOf(event);
      const notifiable = { type: event.type, subject: integrationId, time: event.time, data: event.data };
      await options.notifications.track(notifiable);
      if ((await projection.versionOf(integrationId)) >= version) return;

      const meta = { now: new Date(event.time), actor: event.actor ?? 'system', correlationId: event.correlationid };
      await options.notifications.notify(notifiable, version);
      if (event.type === 'IntegrationDeleted' || event.type === 'IntegrationReset') {
        const reason = event.type === 'IntegrationDeleted' ? 'integration-deleted' : 'integration-reset';
        const removed = await removal.onIntegrationEvent(integrationId, reason, version, meta);
        if (event.type === 'IntegrationDeleted') options.usage.discard(integrationId);
        if (removed) logger.info({ integrationId, reason }, 'Integration credentials removed');
      }
      const result = await projection.apply({ streamId: integrationId, version, type: event.type });
      if (result === 'gap') throw new ProjectionGapError('integration_status', integrationId, version);
    },
  });
}
