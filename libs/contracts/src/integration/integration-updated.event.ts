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
} from './integration-fields';

export const IntegrationUpdated = defineEvent({
  type: 'IntegrationUpdated',
  topic: Topics.integration,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    /** Only the fields that changed; an update that changes nothing emits no event. */
    changes: z
      .strictObject({
        name: IntegrationName.optional(),
        email: z.string().nullable().optional(),
        callbackUrl: z.string().nullable().optional(),
        identityLinkUrl: z.string().nullable().optional(),
        resourceAccess: ResourceAccess.optional(),
        resources: ResourceIds.optional(),
        insecure: z.boolean().optional(),
        expiresAt: Instant.nullable().optional(),
        ipAllowList: IpAllowList.optional(),
        rateLimit: RateLimit.nullable().optional(),
      })
      .refine((changes) => Object.keys(changes).length > 0, { message: 'changes must name at least one field' }),
  }),
});
export type IntegrationUpdatedData = DataOf<typeof IntegrationUpdated>;
