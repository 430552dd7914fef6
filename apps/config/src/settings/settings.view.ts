import { SETTING_PATHS, SETTINGS_CATALOG, type Settings, type SettingsView } from '@integrations/contracts';

/** Body of `GET /config` and `PUT /config` (`SettingsViewSchema`, libs/contracts): every declaration with its value. */
export function toSettingsView(values: Settings, version: number): SettingsView {
  return {
    values,
    settings: SETTING_PATHS.map(
      (path) => ({ path, ...SETTINGS_CATALOG[path], value: values[path] }) as SettingsView['settings'][number],
    ),
    version,
  };
}

export type { SettingsView };
