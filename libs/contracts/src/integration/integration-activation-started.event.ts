import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { ActivationMode, IntegrationId } from './integration-fields';

/** Activation (or reauthorization) began; for `exchange` the third party has not finished yet. */
export const IntegrationActivationStarted = defineEvent({
  type: 'IntegrationActivationStarted',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    mode: ActivationMode,
    reauthorize: z.boolean(),
  }),
});
export type IntegrationActivationStartedData = DataOf<typeof IntegrationActivationStarted>;
