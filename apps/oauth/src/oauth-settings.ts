import type { ConfigView } from '@integrations/config-client';
import type { SettingPath, Settings } from '@integrations/contracts';

/**
 * The settings the oauth service reads (`oauth/...`). Values come from the config service's events
 * through a ConfigView (typed defaults until the first change); `pinned` values (tests, benchmarks)
 * take precedence over it. Settings travel through Kafka: they are not covered by the change signal
 * (docs/adr/0006, Consequences).
 */
export class OauthSettings {
  constructor(
    private readonly view: Pick<ConfigView, 'get'>,
    private readonly pinned: Partial<Settings> = {},
  ) {}

  get<P extends SettingPath>(path: P): Settings[P] {
    return path in this.pinned ? (this.pinned[path] as Settings[P]) : this.view.get(path);
  }
}
