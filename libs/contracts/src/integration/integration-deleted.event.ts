import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { IntegrationId, IntegrationName } from './integration-fields';

/** Consumers revoke every credential and grant of the integration. `name` frees it for reuse. */
export const IntegrationDeleted = defineEvent({
  type: 'IntegrationDeleted',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    name: IntegrationName,
  }),
});
export type IntegrationDeletedData = DataOf<typeof IntegrationDeleted>;
