import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { IntegrationId } from './integration-fields';

/** A suspended integration may call again, with the credentials it already holds. */
export const IntegrationResumed = defineEvent({
  type: 'IntegrationResumed',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
  }),
});
export type IntegrationResumedData = DataOf<typeof IntegrationResumed>;
