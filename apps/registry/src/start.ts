import { createLogger, type Logger, startHttpService } from '@integrations/service-kit';
import { registryAppModule } from './app.module';
import { loadRegistryConfig, type RegistryConfig } from './config';
import { AclCatalog } from './integration/acl-catalog';
import { loadManifest } from './integration/manifest/manifest-file';
import { type ManifestReport, reconcileManifest } from './integration/manifest/manifest-reconciler';
import { RegistryRuntime } from './registry.runtime';

export type RegistryOverrides = Partial<RegistryConfig>;

export interface RunningRegistry {
  url: string;
  config: RegistryConfig;
  runtime: RegistryRuntime;
  /** What the integrations manifest changed at this start; absent without INTEGRATIONS_MANIFEST_FILE. */
  manifest?: ManifestReport;
  /** Graceful: HTTP first, then relay, consumers and Mongo. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the registry in-process (main.ts, and end-to-end tests of other services). Configuration is
 * the environment, with `overrides` on top; `REGISTRY_PORT: 0` picks a free port.
 */
export async function startRegistry(
  overrides: RegistryOverrides = {},
  options: { logger?: Logger } = {},
): Promise<RunningRegistry> {
  const config = loadRegistryConfig({ ...process.env, ...toEnv(overrides) });
  const logger = options.logger ?? createLogger('registry');
  // Validated before anything connects: a broken manifest stops the boot and writes nothing.
  const manifest = config.INTEGRATIONS_MANIFEST_FILE
    ? loadManifest(config.INTEGRATIONS_MANIFEST_FILE, AclCatalog.load(config.ACL_CATALOG_FILE))
    : undefined;
  const runtime = await RegistryRuntime.start(config, logger);
  try {
    // Applied before the HTTP port opens, so no admin request sees the manifest half applied.
    const manifestReport = manifest ? await reconcileManifest(runtime, manifest) : undefined;
    const service = await startHttpService(registryAppModule(runtime), {
      service: 'registry',
      logger,
      port: config.REGISTRY_PORT,
      host: config.REGISTRY_HOST,
    });
    let closing: Promise<void> | undefined;
    return {
      url: service.url,
      config,
      runtime,
      ...(manifestReport ? { manifest: manifestReport } : {}),
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
