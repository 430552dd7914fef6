import {
  isSettingPath,
  validateSettingValue,
  type ConfigChangedData,
  type SettingPath,
  type Settings,
  type SettingValue,
} from '@integrations/contracts';

export type SettingChange = ConfigChangedData['changes'][number];

export interface IgnoredChange {
  path: string;
  reason: 'unknown-path' | 'invalid-value';
}

export interface AppliedChanges {
  settings: Settings;
  /** Paths whose value actually changed. */
  changed: SettingPath[];
  /** Changes this build cannot apply; the caller logs them (paths only, never values). */
  ignored: IgnoredChange[];
}

/**
 * Folds the changes of one ConfigChanged event into a settings object (a new one; the input is left
 * alone). Shared by the config service's decider and every ConfigView so that both read history the
 * same way. A path this build does not know (a newer config service added it) or a value its catalog
 * no longer accepts (bounds tightened since) is skipped rather than failing the whole event: the rest
 * of the event still applies, and the setting keeps its previous value.
 */
export function applyConfigChanges(settings: Settings, changes: readonly SettingChange[]): AppliedChanges {
  const next: Record<string, SettingValue> = { ...settings };
  const changed: SettingPath[] = [];
  const ignored: IgnoredChange[] = [];
  for (const change of changes) {
    if (!isSettingPath(change.path)) {
      ignored.push({ path: change.path, reason: 'unknown-path' });
      continue;
    }
    const checked = validateSettingValue(change.path, change.value);
    if (!checked.ok) {
      ignored.push({ path: change.path, reason: 'invalid-value' });
      continue;
    }
    if (next[change.path] !== checked.value) {
      next[change.path] = checked.value;
      changed.push(change.path);
    }
  }
  return { settings: Object.freeze(next) as Settings, changed, ignored };
}
