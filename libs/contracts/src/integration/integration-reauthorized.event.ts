import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { ActivationMode, IntegrationId } from './integration-fields';

/** The access token was rotated; the previous one is no longer valid. */
export const IntegrationReauthorized = defineEvent({
  type: 'IntegrationReauthorized',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    mode: ActivationMode,
  }),
});
export type IntegrationReauthorizedData = DataOf<typeof IntegrationReauthorized>;
