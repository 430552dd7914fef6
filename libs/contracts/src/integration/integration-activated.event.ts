import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { ActivationMode, IntegrationId } from './integration-fields';

/** The integration holds a valid access token (status `active`). No credential travels here. */
export const IntegrationActivated = defineEvent({
  type: 'IntegrationActivated',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    mode: ActivationMode,
  }),
});
export type IntegrationActivatedData = DataOf<typeof IntegrationActivated>;
