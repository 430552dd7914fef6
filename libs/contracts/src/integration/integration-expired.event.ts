import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { Instant, IntegrationId } from './integration-fields';

/**
 * The integration's expiry date-time passed: its calls are refused from `expiresAt` on (the acl
 * compares the time itself; this event only tells subscribers, a few seconds later at most). Once
 * per expiry: an admin who extends it and lets the new date pass gets another one.
 */
export const IntegrationExpired = defineEvent({
  type: 'IntegrationExpired',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    expiresAt: Instant,
  }),
});
export type IntegrationExpiredData = DataOf<typeof IntegrationExpired>;
