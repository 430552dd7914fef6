import { applyConfigChanges } from '@integrations/config-client';
import {
  defaultSettings,
  isSettingPath,
  validateSettingValue,
  type ConfigEvent,
  type SettingPath,
  type Settings,
  type SettingValue,
} from '@integrations/contracts';
import { invalidSettingValues, unknownSettingPaths } from '../config.errors';

/** The settings aggregate: one stream (`config:default`) whose state is every setting's value. */
export interface SettingsState {
  values: Settings;
}

export const initialSettingsState = (): SettingsState => ({ values: defaultSettings() });

/** Sets some settings, all or none. Values are raw JSON from the request; the catalog checks them. */
export interface ChangeSettings {
  type: 'ChangeSettings';
  values: Readonly<Record<string, unknown>>;
  actor: string;
  now: Date;
}

export type SettingsCommand = ChangeSettings;
export type SettingsEvent = ConfigEvent;

/**
 * Pure: throws CONFIG.UNKNOWN_PATH / CONFIG.INVALID_VALUE (nothing is changed then), returns no
 * event when every value equals the current one, else one ConfigChanged listing only real changes
 * with their previous values.
 */
export function decide(command: SettingsCommand, state: SettingsState): SettingsEvent[] {
  switch (command.type) {
    case 'ChangeSettings':
      return changeSettings(command, state);
    default: {
      const _exhaustive: never = command.type;
      throw new Error(`Unknown command ${String(_exhaustive)}`);
    }
  }
}

export function evolve(state: SettingsState, event: SettingsEvent): SettingsState {
  switch (event.type) {
    case 'ConfigChanged':
      return { values: applyConfigChanges(state.values, event.payload.changes).settings };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

function changeSettings(command: ChangeSettings, state: SettingsState): SettingsEvent[] {
  const entries = Object.entries(command.values);
  const unknown = entries.map(([path]) => path).filter((path) => !isSettingPath(path));
  if (unknown.length > 0) throw unknownSettingPaths(unknown);

  const accepted: Array<{ path: SettingPath; value: SettingValue }> = [];
  const problems: Array<{ field: string; message: string }> = [];
  for (const [path, raw] of entries) {
    const checked = validateSettingValue(path, raw);
    if (checked.ok) accepted.push({ path: path as SettingPath, value: checked.value });
    else problems.push({ field: path, message: checked.message });
  }
  if (problems.length > 0) throw invalidSettingValues(problems);

  const changes = accepted
    .filter(({ path, value }) => state.values[path] !== value)
    .map(({ path, value }) => ({ path, value, previous: state.values[path] }));
  return changes.length === 0 ? [] : [{ type: 'ConfigChanged', payload: { changes } }];
}
