import { defaultSettings, type SettingPath, type Settings } from '@integrations/contracts';
import { applyConfigChanges, type IgnoredChange, type SettingChange } from './apply-config-changes';

/** What a ConfigView knows: the settings, and the last version applied per config stream. */
export interface ConfigViewState {
  settings: Settings;
  /** stream id (CloudEvents `subject`) -> last applied version (`sequence`). */
  versions: ReadonlyMap<string, number>;
}

export interface ConfigChangedMessage {
  subject: string;
  sequence: number;
  changes: readonly SettingChange[];
}

export type FoldOutcome =
  | { kind: 'duplicate' }
  | {
      kind: 'applied';
      changed: SettingPath[];
      ignored: IgnoredChange[];
      /** Set when versions were skipped (history lost to retention, or a bug upstream). */
      gap?: { expected: number; got: number };
    };

export function initialConfigViewState(): ConfigViewState {
  return { settings: Object.freeze(defaultSettings()), versions: new Map() };
}

/**
 * Idempotent by (stream, version): the outbox relay publishes at least once, so a version already
 * applied is a duplicate and is skipped. A version beyond the next one is still applied: events carry
 * changed values, so the later change is closer to the truth than stopping; the gap is reported.
 */
export function foldConfigChanged(
  state: ConfigViewState,
  message: ConfigChangedMessage,
): { state: ConfigViewState; outcome: FoldOutcome } {
  const current = state.versions.get(message.subject) ?? 0;
  if (message.sequence <= current) return { state, outcome: { kind: 'duplicate' } };
  const { settings, changed, ignored } = applyConfigChanges(state.settings, message.changes);
  const versions = new Map(state.versions).set(message.subject, message.sequence);
  const gap = message.sequence === current + 1 ? undefined : { expected: current + 1, got: message.sequence };
  return { state: { settings, versions }, outcome: { kind: 'applied', changed, ignored, ...(gap ? { gap } : {}) } };
}
