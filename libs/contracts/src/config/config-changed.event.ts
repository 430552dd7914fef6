import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';

/** A JSON value as a setting holds it (settings never hold secrets: those live in the oauth service). */
const SettingValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ConfigChanged = defineEvent({
  type: 'ConfigChanged',
  topic: Topics.config,
  schemaVersion: 1,
  schema: z.strictObject({
    changes: z
      .array(
        z.strictObject({
          /** Magento-style path, e.g. `webapi/webapisecurity/allow_insecure`. */
          path: z.string().min(1),
          value: SettingValue,
          /** `null` when the setting had its default. */
          previous: SettingValue,
        }),
      )
      .min(1),
  }),
});
export type ConfigChangedData = DataOf<typeof ConfigChanged>;
