import type { Settings } from '@integrations/contracts';
import { createLogger, type Logger, startHttpService } from '@integrations/service-kit';
import { oauthAppModule } from './oauth-app.module';
import { loadOauthEnv, type OauthEnv } from './oauth.env';
import { OauthRuntime } from './oauth.runtime';

/** Environment variables to override (validated like the environment). */
export type OauthOverrides = Partial<Record<keyof OauthEnv, string | number | string[]>>;

export interface StartOauthOptions {
  logger?: Logger;
  /** Settings that take precedence over the config service's events (tests, benchmarks). */
  pinnedSettings?: Partial<Settings>;
}

export interface RunningOauth {
  url: string;
  env: OauthEnv;
  runtime: OauthRuntime;
  /** Graceful: HTTP first, then consumers, usage flush, relay, Kafka and Mongo. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the oauth service in-process (main.ts, and tests). Configuration is the environment with
 * `overrides` on top; `OAUTH_PORT: 0` picks a free port.
 */
export async function startOauth(
  overrides: OauthOverrides = {},
  options: StartOauthOptions = {},
): Promise<RunningOauth> {
  const env = loadOauthEnv({ ...process.env, ...toEnv(overrides) });
  const logger = options.logger ?? createLogger('oauth');
  const runtime = await OauthRuntime.start(env, logger, { pinnedSettings: options.pinnedSettings });
  try {
    // Token exchange bodies are small, but a forwarded API call carries its form body inside JSON.
    const service = await startHttpService(oauthAppModule(runtime), {
      service: 'oauth',
      logger,
      port: env.OAUTH_PORT,
      host: env.OAUTH_HOST,
      bodyLimit: '2mb',
    });
    let closing: Promise<void> | undefined;
    return {
      url: service.url,
      env,
      runtime,
      close: () => (closing ??= service.close().then(() => runtime.close())),
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

function toEnv(overrides: OauthOverrides): Record<string, string> {
  return Object.fromEntries(
    Object.entries(overrides)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}
