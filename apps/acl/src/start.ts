import { createLogger, startHttpService, type Logger } from '@integrations/service-kit';
import { AclModule } from './acl.module';
import { aclTopics, loadAclConfig, type AclEnv } from './acl.env';

/** Environment variables to override (validated like the environment), plus a logger. */
export type AclOverrides = Partial<Record<keyof AclEnv, string | number | string[]>> & {
  logger?: Logger;
  /** Extra variables, e.g. UPSTREAM_COMMERCE_URL. */
  env?: NodeJS.ProcessEnv;
};

export interface RunningAcl {
  url: string;
  /** The (prefixed) topics the service reads. */
  topics: { integration: string; config: string };
  /** Graceful: HTTP first, then the sweeper, consumers, Kafka and Mongo. */
  close(): Promise<void>;
}

/**
 * Boots the acl service: configuration (environment, catalog and route map: fails fast, naming the
 * variable or file entry), then the Nest module, then HTTP. `ACL_PORT: 0` picks a free port.
 */
export async function startAcl(overrides: AclOverrides = {}): Promise<RunningAcl> {
  const { logger: givenLogger, env: extraEnv, ...envOverrides } = overrides;
  const config = loadAclConfig({ ...process.env, ...extraEnv, ...toEnvStrings(envOverrides) });
  const logger = givenLogger ?? createLogger('acl');
  logger.info(
    { resources: config.catalog.size, routes: config.routeMap.routes.length, upstreams: config.routeMap.upstreams },
    'ACL catalog and route map loaded',
  );
  const service = await startHttpService(AclModule.forRoot(config, logger), {
    service: 'acl',
    logger,
    port: config.env.ACL_PORT,
    host: config.env.ACL_HOST,
  });
  let closing: Promise<void> | undefined;
  return { url: service.url, topics: aclTopics(config.env), close: () => (closing ??= service.close()) };
}

function toEnvStrings(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
  );
}
