import { z } from 'zod';

/** DELETE takes no body; the version may come as `?expectedVersion=` (or an If-Match header). */
export const deleteIntegrationQuery = z
  .object({
    expectedVersion: z.coerce.number({ error: 'expectedVersion must be a positive integer.' }).int().min(1).optional(),
  })
  .strict();
