import { z } from 'zod';

/** The platform's error body: `{error: {code, message, details?}}` with a stable `code`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type PlatformErrorBody = z.infer<typeof ErrorBodySchema>;

/** Magento's REST error body, as the protected API answers it. */
export const MagentoErrorBodySchema = z.object({
  message: z.string(),
  parameters: z.record(z.string(), z.string()).optional(),
});
export type MagentoErrorBody = z.infer<typeof MagentoErrorBodySchema>;
