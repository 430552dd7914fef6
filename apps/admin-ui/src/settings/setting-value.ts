import type { SettingDescription } from '../api/types';

/** A setting's value as the form holds it (select and text inputs hold strings). */
export function settingInputOf(setting: SettingDescription, value: unknown): string {
  if (setting.type === 'boolean') return value === true || value === 1 || value === '1' ? '1' : '0';
  return value === null || value === undefined ? '' : String(value);
}

/** Why an input was refused, for the page to word in the interface locale. */
export type InputProblem = { kind: 'whole-number'; min?: number; max?: number };

export type Parsed = { ok: true; value: unknown } | { ok: false; problem: InputProblem };

/** Back to the API's type; the same bounds the config service enforces, said before the round trip. */
export function parseSettingInput(setting: SettingDescription, input: string): Parsed {
  switch (setting.type) {
    case 'boolean':
      return { ok: true, value: input === '1' };
    case 'integer': {
      const text = input.trim();
      const value = Number(text);
      const refused: Parsed = { ok: false, problem: { kind: 'whole-number', min: setting.min, max: setting.max } };
      if (text === '' || !/^-?\d+$/.test(text)) return refused;
      if ((setting.min !== undefined && value < setting.min) || (setting.max !== undefined && value > setting.max)) {
        return refused;
      }
      return { ok: true, value };
    }
    default:
      return { ok: true, value: input.trim() };
  }
}
