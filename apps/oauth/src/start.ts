import type { ConfigView } from '@integrations/config-client';
import type { Settings } from '@integrations/contracts';
import { createLogger, type Logger, startHttpService } from '@integrations/service-kit';
import type { INestApplication } from '@nestjs/common';
import type mongoose from 'mongoose';
import { loadSecretBox } from './crypto/encryption-keys';
import { IntegrationStatusProjection } from './integration-status/integration-status.projection';
import { loadOauthEnv, type OauthEnv } from './oauth.env';
import { CONFIG_VIEW, MONGO_CONNECTION, OAUTH_TOPICS, OauthModule, type OauthTopics } from './oauth.module';
import { OauthSettings } from './oauth-settings';
import { ShutdownSequence } from './shutdown-sequence';
import { UsageRecorder } from './usage/usage-recorder';

/** Environment variables to override (validated like the environment). */
export type OauthOverrides = Partial<Record<keyof OauthEnv, string | number | string[]>>;

export interface StartOauthOptions {
  logger?: Logger;
  /** Settings that take precedence over the config service's events (tests, benchmarks). */
  pinnedSettings?: Partial<Settings>;
}

/**
 * Parts of a running service that tests and tools look at (never handed to a handler: handlers get
 * what they use from Nest).
 */
export interface OauthHandles {
  topics: OauthTopics;
  settings: OauthSettings;
  configView: ConfigView;
  connection: mongoose.Connection;
  usage: UsageRecorder;
  statuses: IntegrationStatusProjection;
}

export interface RunningOauth {
  url: string;
  env: OauthEnv;
  app: INestApplication;
  runtime: OauthHandles;
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
  // Before anything connects: a missing key (without INTEGRATIONS_DEV_MODE=true) or a bad one fails
  // the boot with its own message.
  const box = loadSecretBox(
    {
      keys: env.OAUTH_ENCRYPTION_KEYS,
      activeKeyId: env.OAUTH_ENCRYPTION_ACTIVE_KEY_ID,
      nodeEnv: env.NODE_ENV,
      devMode: env.INTEGRATIONS_DEV_MODE === 'true',
      devKeyFile: env.OAUTH_DEV_KEY_FILE,
    },
    logger,
  );
  const shutdown = new ShutdownSequence(logger);
  try {
    // Token exchange bodies are small, but a forwarded API call carries its form body inside JSON.
    const service = await startHttpService(
      OauthModule.forRoot({ env, logger, box, shutdown, pinnedSettings: options.pinnedSettings }),
      { service: 'oauth', logger, port: env.OAUTH_PORT, host: env.OAUTH_HOST, bodyLimit: '2mb' },
    );
    const { app } = service;
    let closing: Promise<void> | undefined;
    return {
      url: service.url,
      env,
      app,
      runtime: {
        topics: app.get<OauthTopics>(OAUTH_TOPICS),
        settings: app.get(OauthSettings),
        configView: app.get<ConfigView>(CONFIG_VIEW),
        connection: app.get<mongoose.Connection>(MONGO_CONNECTION),
        usage: app.get(UsageRecorder),
        statuses: app.get(IntegrationStatusProjection),
      },
      close: () => (closing ??= service.close().then(() => shutdown.close())),
    };
  } catch (error) {
    // A boot that failed half-way: release what its providers opened.
    await shutdown.close();
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
