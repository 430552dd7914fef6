import { z } from 'zod';

/** One problem of a request, usually one field: `{field?, code?, message}` plus what the code needs (`resource`…). */
export const ErrorDetailSchema = z.looseObject({
  field: z.string().optional(),
  code: z.string().optional(),
  message: z.string(),
});

/** The platform's error body: `{error: {code, message, details?}}` with a stable `code`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z
      .string()
      .min(1)
      .meta({ examples: ['INTEGRATION.NAME_TAKEN'] }),
    message: z.string().meta({ description: 'For a person: what went wrong and what to do.' }),
    /** A list of problems (validation), or facts about the refusal (`lockedUntil`…). */
    details: z.union([z.array(ErrorDetailSchema), z.record(z.string(), z.unknown())]).optional(),
  }),
});
export type PlatformErrorBody = z.infer<typeof ErrorBodySchema>;

/** Magento's REST error body, as the protected API answers it. */
export const MagentoErrorBodySchema = z.object({
  message: z.string(),
  parameters: z.record(z.string(), z.string()).optional(),
});
export type MagentoErrorBody = z.infer<typeof MagentoErrorBodySchema>;
