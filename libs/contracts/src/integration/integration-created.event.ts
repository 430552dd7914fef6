import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import {
  Instant,
  IntegrationId,
  IntegrationName,
  IpAllowList,
  RateLimit,
  ResourceAccess,
  ResourceIds,
  SetupType,
} from './integration-fields';

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
    /** When its calls start to be refused; absent or null: never. */
    expiresAt: Instant.nullable().optional(),
    /** Only calls from these ranges are accepted; absent or empty: from anywhere. */
    ipAllowList: IpAllowList.optional(),
    /** Its own rate limit; absent or null: the platform default. */
    rateLimit: RateLimit.nullable().optional(),
  }),
});
export type IntegrationCreatedData = DataOf<typeof IntegrationCreated>;
