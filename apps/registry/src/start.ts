import { createLogger, type Logger, startHttpService } from '@integrations/service-kit';
import { registryAppModule } from './app.module';
import { loadRegistryConfig, type RegistryConfig } from './config';
import { RegistryRuntime } from './registry.runtime';

export type RegistryOverrides = Partial<RegistryConfig>;

export interface RunningRegistry {
  url: string;
  config: RegistryConfig;
  runtime: RegistryRuntime;
  /** Graceful: HTTP first, then relay, consumers and Mongo. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the registry in-process (main.ts, and end-to-end tests of other services). Configuration is
 * the environment, with `overrides` on top; `REGISTRY_PORT: 0` picks a free port.
 */
export async function startRegistry(overrides: RegistryOverrides = {}, options: { logger?: Logger } = {}): Promise<RunningRegistry> {
  const config = loadRegistryConfig({ ...process.env, ...toEnv(overrides) });
  const logger = options.logger ?? createLogger('registry');
  const runtime = await RegistryRuntime.start(config, logger);
  try {
    const service = await startHttpService(registryAppModule(runtime), { service: 'registry', logger, port: config.REGISTRY_PORT, host: config.REGISTRY_HOST });
    let closing: Promise<void> | undefined;
    return {
      url: service.url,
      config,
      runtime,
      close: () => (closing ??= service.close().then(() => runtime.close())),
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

function toEnv(overrides: RegistryOverrides): Record<string, string> {
  return Object.fromEntries(
    Object.entries(overrides)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}
