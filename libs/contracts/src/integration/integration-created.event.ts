import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { IntegrationId, IntegrationName, ResourceAccess, ResourceIds, SetupType } from './integration-fields';

export const IntegrationCreated = defineEvent({
  type: 'IntegrationCreated',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    name: IntegrationName,
    email: z.string().nullable(),
    callbackUrl: z.string().nullable(),
    identityLinkUrl: z.string().nullable(),
    resourceAccess: ResourceAccess,
    /** Empty when `resourceAccess` is `all`. */
    resources: ResourceIds,
    setupType: SetupType,
    /** Allows a plain-HTTP callback / identity-link URL. */
    insecure: z.boolean(),
  }),
});
export type IntegrationCreatedData = DataOf<typeof IntegrationCreated>;
