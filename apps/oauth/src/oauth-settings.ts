import type { ConfigView } from '@integrations/config-client';
import type { SettingPath, Settings } from '@integrations/contracts';

/**
 * The settings the oauth service reads (`oauth/...`). Values come from the config service's events
 * through a ConfigView (typed defaults until the first change); the interface is what the use cases
 * depend on, so a test or a benchmark can pin values without Kafka.
 */
export interface OauthSettings {
  get<P extends SettingPath>(path: P): Settings[P];
}

/** A ConfigView, with `pinned` values (tests, benchmarks) taking precedence over it. */
export function settingsFromView(view: Pick<ConfigView, 'get'>, pinned: Partial<Settings> = {}): OauthSettings {
  return {
    get: <P extends SettingPath>(path: P): Settings[P] =>
      path in pinned ? (pinned[path] as Settings[P]) : view.get(path),
  };
}
