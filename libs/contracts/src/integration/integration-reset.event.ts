import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { IntegrationId } from './integration-fields';

/** A config-based integration was recreated from configuration (Magento status `Reset`/RECREATED). */
export const IntegrationReset = defineEvent({
  type: 'IntegrationReset',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
  }),
});
export type IntegrationResetData = DataOf<typeof IntegrationReset>;
