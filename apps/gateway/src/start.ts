import { createLogger, startHttpService, type Logger } from '@integrations/service-kit';
import { type GatewayEnv, loadGatewayEnv } from './gateway.env';
import { GatewayModule } from './gateway.module';
import { ProtectedApiRoutes } from './protected-api/protected-api.module';
import type { Clock } from './gateway.tokens';

export interface StartGatewayOptions extends Partial<GatewayEnv> {
  /** Environment to read the rest of the configuration from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningGateway {
  url: string;
  config: GatewayEnv;
  close(): Promise<void>;
}

/**
 * Starts the gateway in this process: configuration from the environment, then `overrides` on top
 * (tests pass `port: 0`, a unique `database`, the registry's URL, a short lockout).
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const { env = process.env, logger: givenLogger, clock, ...overrides } = options;
  // An override may supply the one required variable, so validation must not fail for its absence.
  const fromEnv = loadGatewayEnv(overrides.mongoUrl ? { ...env, MONGO_URL: overrides.mongoUrl } : env);
  const config: GatewayEnv = { ...fromEnv, ...stripUndefined(overrides) };
  const logger = givenLogger ?? createLogger('gateway');
  const service = await startHttpService(GatewayModule.forRoot(config, logger, clock), {
    service: 'gateway',
    logger,
    port: config.port,
    host: config.host,
    bodyLimit: config.bodyLimit,
    hstsMaxAgeSeconds: config.hstsMaxAgeSeconds,
    // `/rest/*` and `/auth/decision` before Nest/express (ADR 0006 §5).
    rawRoutes: (app) => app.get(ProtectedApiRoutes).router,
  });
  return { url: service.url, config, close: () => service.close() };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
