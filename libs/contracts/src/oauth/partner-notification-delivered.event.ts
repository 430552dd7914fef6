import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { IntegrationId } from '../integration/integration-fields';
import { Topics } from '../topics';
import { PartnerNotificationType } from '../partner/partner-notification.contract';

/** Fields of every delivery attempt of a partner notification. Never the secret or the signature. */
export const partnerNotificationAttempt = {
  integrationId: IntegrationId,
  /** The notification's `id` (the same on every attempt). */
  notificationId: z.uuid(),
  notification: PartnerNotificationType,
  /** The integration's stream version of the change notified. */
  integrationVersion: z.number().int().positive(),
  attempt: z.number().int().positive(),
  /** The callback URL's host (the rest of the URL may carry a partner's token). */
  host: z.string(),
};

/** The partner's callback URL answered 2xx to a notification. */
export const PartnerNotificationDelivered = defineEvent({
  type: 'PartnerNotificationDelivered',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    ...partnerNotificationAttempt,
    status: z.number().int().min(200).max(299),
  }),
});
export type PartnerNotificationDeliveredData = DataOf<typeof PartnerNotificationDelivered>;
