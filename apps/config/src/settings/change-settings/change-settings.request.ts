import { z } from 'zod';

/** `PUT /config` body. Strict: a typo such as `value` instead of `values` is a 400, not a no-op. */
export const ChangeSettingsRequest = z.strictObject({
  values: z.record(z.string(), z.unknown()),
});
export type ChangeSettingsRequest = z.infer<typeof ChangeSettingsRequest>;
