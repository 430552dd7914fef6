import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { IntegrationId } from './integration-fields';

/**
 * An admin (or the manifest) suspended the integration: it keeps its consumer and tokens, and every
 * call made with them is refused until IntegrationResumed. Its activation status is unchanged.
 */
export const IntegrationSuspended = defineEvent({
  type: 'IntegrationSuspended',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
  }),
});
export type IntegrationSuspendedData = DataOf<typeof IntegrationSuspended>;
