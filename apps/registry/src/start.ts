import { createLogger, type Logger, startHttpService } from '@integrations/service-kit';
import type { INestApplication } from '@nestjs/common';
import { AclCatalog } from './integration/acl-catalog';
import { IntegrationErrorFilter } from './integration/integration.errors';
import { loadManifest } from './integration/manifest/manifest-file';
import { type ManifestReport, ManifestReconciler } from './integration/manifest/manifest-reconciler';
import { RegistryConnections } from './registry.connections';
import { loadRegistryEnv, type RegistryEnv } from './registry.env';
import { RegistryLifecycle } from './registry.lifecycle';
import { RegistryModule } from './registry.module';

export type RegistryOverrides = Partial<RegistryEnv>;

export interface RunningRegistry {
  url: string;
  config: RegistryEnv;
  /** The Nest application: `app.get(EventStore)` and the like, for tests and tools. */
  app: INestApplication;
  /** What the integrations manifest changed at this start; absent without INTEGRATIONS_MANIFEST_FILE. */
  manifest?: ManifestReport;
  /**
   * Kafka, set up in the background (topics, producer, relay, consumers): resolves once it is, which
   * may be long after the start during a broker outage; rejects only when a topic differs from the
   * catalogue in a way that needs an operator (the process should then stop).
   */
  kafka: Promise<void>;
  /** Graceful: HTTP first, then consumers, relay (giving its lease up), Kafka and MongoDB. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the registry in-process (main.ts, and end-to-end tests of other services). Configuration is
 * the environment, with `overrides` on top; `REGISTRY_PORT: 0` picks a free port. Resolves once the
 * manifest, if any, is applied: until then the port is open and `/health/ready` says `manifest: down`.
 * Needs MongoDB; Kafka may be down: with the broker up the topics, relay and consumers are started
 * before it resolves, with it down they start in the background once it is back (see `kafka`).
 */
export async function startRegistry(
  overrides: RegistryOverrides = {},
  options: { logger?: Logger } = {},
): Promise<RunningRegistry> {
  const env = loadRegistryEnv({ ...process.env, ...toEnv(overrides) });
  const logger = options.logger ?? createLogger('registry');
  const catalog = AclCatalog.load(env.ACL_CATALOG_FILE);
  logger.info({ resources: catalog.size, file: env.ACL_CATALOG_FILE }, 'ACL catalog loaded');
  // Validated before anything connects: a broken manifest stops the boot and writes nothing.
  const manifest = env.INTEGRATIONS_MANIFEST_FILE ? loadManifest(env.INTEGRATIONS_MANIFEST_FILE, catalog) : undefined;
  const connections = await RegistryConnections.open(env, logger);
  let service;
  try {
    service = await startHttpService(
      RegistryModule.forRoot({ env, logger, connections, catalog, expectManifest: manifest !== undefined }),
      {
        service: 'registry',
        logger,
        port: env.REGISTRY_PORT,
        host: env.REGISTRY_HOST,
        // After service-kit's catch-all filter, so that it is asked first (Nest tries the last added first).
        configure: (app) => void app.useGlobalFilters(new IntegrationErrorFilter(logger)),
      },
    );
  } catch (error) {
    await connections.close().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= service.close());
  try {
    // After listen, so that readiness can say what the registry waits for (the acl, for a Reset).
    const kafka = service.app.get(RegistryLifecycle).kafkaStartup;
    // With the broker up, the registry starts as fully wired as before (topics, relay, consumers);
    // with it down, one quick failed attempt and the manifest goes ahead without it.
    await kafka.firstAttempt;
    const report = manifest ? await service.app.get(ManifestReconciler).reconcile(manifest) : undefined;
    return {
      url: service.url,
      config: env,
      app: service.app,
      ...(report ? { manifest: report } : {}),
      kafka: kafka.started,
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
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
