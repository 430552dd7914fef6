import {
  SETTING_PATHS,
  SETTINGS_CATALOG,
  type SettingDefinition,
  type SettingPath,
  type Settings,
  type SettingValue,
} from '@integrations/contracts';

/** One setting as the admin API shows it: its declaration and its current value. */
export type SettingDescription = { path: SettingPath; value: SettingValue } & SettingDefinition;

/** Body of `GET /config` and `PUT /config`. */
export interface SettingsView {
  values: Settings;
  settings: SettingDescription[];
  version: number;
}

export function toSettingsView(values: Settings, version: number): SettingsView {
  return {
    values,
    settings: SETTING_PATHS.map(
      (path) => ({ path, ...SETTINGS_CATALOG[path], value: values[path] }) as SettingDescription,
    ),
    version,
  };
}
