import { OutboxRelay } from '@integrations/event-store';
import { createLogger, startHttpService, type Logger } from '@integrations/service-kit';
import { loadConfigServiceEnv, type ConfigServiceEnv } from './config.env';
import { ConfigServiceModule, configTopic } from './config.module';

export type ConfigServiceOverrides = Partial<ConfigServiceEnv>;

export interface RunningConfigService {
  url: string;
  env: ConfigServiceEnv;
  /** The topic ConfigChanged events go to (prefixed in tests). */
  topic: string;
  /** Whether this replica's relay publishes now (it holds the relay lease). */
  isPublishing(): boolean;
  /** Graceful: HTTP first, then the relay (its batch in flight, then the lease), Kafka and Mongo. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Boots the config service: environment (fails fast, naming the variable), then the Nest module,
 * then HTTP. `overrides` replace environment variables (and are validated like them);
 * `CONFIG_PORT: 0` picks a free port.
 */
export async function startConfigService(
  overrides: ConfigServiceOverrides = {},
  options: { logger?: Logger } = {},
): Promise<RunningConfigService> {
  const env = loadConfigServiceEnv({ ...process.env, ...toEnvStrings(overrides) });
  const logger = options.logger ?? createLogger('config');
  const service = await startHttpService(ConfigServiceModule.forRoot(env, logger), {
    service: 'config',
    logger,
    port: env.CONFIG_PORT,
    host: env.CONFIG_HOST,
  });
  const relay = service.app.get(OutboxRelay);
  let closing: Promise<void> | undefined;
  return {
    url: service.url,
    env,
    topic: configTopic(env),
    isPublishing: () => relay.isActive(),
    close: () => (closing ??= service.close()),
  };
}

function toEnvStrings(values: Partial<ConfigServiceEnv>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}
