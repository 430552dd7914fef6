import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { IntegrationId } from '../integration/integration-fields';

/**
 * Emitted by the oauth service (aggregated, not per request) so the admin grid can show when an
 * integration last called the API. `uses` is the running total, so a lost or repeated event only
 * delays the figure, never skews it.
 */
export const IntegrationUsageRecorded = defineEvent({
  type: 'IntegrationUsageRecorded',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    integrationId: IntegrationId,
    lastUsedAt: z.iso.datetime({ offset: true }),
    uses: z.number().int().nonnegative(),
  }),
});
export type IntegrationUsageRecordedData = DataOf<typeof IntegrationUsageRecorded>;
