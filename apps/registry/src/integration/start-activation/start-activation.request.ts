import { ActivationMode } from '@integrations/contracts';
import { z } from 'zod';

/**
 * `POST /integrations/:id/activation`, sent by the gateway once the oauth service issued the
 * credentials: `mode` is the one they were issued for (Magento: `exchange` iff both URLs are set).
 */
export const startActivationRequest = z
  .object({
    reauthorize: z.boolean({ error: 'reauthorize must be true (Reauthorize) or false (Activate).' }),
    mode: ActivationMode,
  })
  .strict();
