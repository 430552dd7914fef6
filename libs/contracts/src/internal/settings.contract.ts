import { z } from 'zod';

/**
 * The config service's settings API (gateway -> config). The catalog (`config/settings.catalog.ts`)
 * declares the settings; these are the shapes that travel. The reply names paths as plain strings,
 * so a gateway shows a setting the config service added before the gateway knew of it.
 */

/** `PUT /config` (config): `{values: {"<path>": value}}`, all or none. The config service checks each value against the catalog. */
export const ChangeSettingsRequestSchema = z.strictObject({
  values: z.record(z.string(), z.unknown()).meta({
    description: 'Setting paths and their new values (boolean, integer or string, as each setting declares).',
    examples: [{ 'webapi/webapisecurity/allow_insecure': true, 'oauth/consumer/expiration_period': 300 }],
  }),
});
export type ChangeSettingsRequest = z.output<typeof ChangeSettingsRequestSchema>;

const SettingValueSchema = z.union([z.boolean(), z.number(), z.string()]);

const settingBase = {
  path: z.string(),
  scope: z.literal('global'),
  label: z.string(),
  description: z.string(),
  /** Admin section / group, as Magento's Stores > Configuration shows it. */
  group: z.string(),
  /** `magento`: same path, meaning and default as Magento; `platform`: ours. */
  origin: z.enum(['magento', 'platform']),
};

/** One setting: its declaration in the catalog and its current value. */
export const SettingDescriptionSchema = z.discriminatedUnion('type', [
  z.object({ ...settingBase, type: z.literal('boolean'), default: z.boolean(), value: z.boolean() }),
  z.object({
    ...settingBase,
    type: z.literal('integer'),
    default: z.number().int(),
    min: z.number().int(),
    max: z.number().int(),
    unit: z.enum(['seconds', 'minutes']).optional(),
    value: z.number().int(),
  }),
  z.object({
    ...settingBase,
    type: z.literal('host-list'),
    default: z.string(),
    maxLength: z.number().int().min(1),
    value: z.string(),
  }),
]);
export type SettingDescription = z.infer<typeof SettingDescriptionSchema>;

/** `GET /config` and `PUT /config` (config) reply: every setting, and the configuration's version. */
export const SettingsViewSchema = z.object({
  values: z.record(z.string(), SettingValueSchema),
  settings: z.array(SettingDescriptionSchema),
  /** Version of the settings stream; 0 until something was changed. */
  version: z.number().int().nonnegative(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
