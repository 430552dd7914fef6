import { z } from 'zod';
import { integrationFieldsSchema } from '../integration-fields';

/** PUT /integrations/:id takes the POST body, plus the version the admin edited (or an If-Match header). */
export const updateIntegrationRequest = integrationFieldsSchema
  .extend({
    expectedVersion: z
      .number({ error: 'expectedVersion must be the integration version you last read (a positive integer).' })
      .int()
      .min(1)
      .optional(),
  })
  .strict();
