import { isAbsolute, resolve } from 'node:path';
import { databaseNameOf, type ServiceSpec } from './services';

/** Where everything runs, decided once before any service starts. */
export interface SystemLayout {
  /** Address the services listen on and are reached at. */
  host: string;
  /**
   * Where each service is reached, by name: its process, or the load balancer in front of its
   * replicas. Every `<SERVICE>_URL` points here.
   */
  ports: Record<string, number>;
  /** Prepended to every database name (`e2e_ab12_` -> `e2e_ab12_registry`). */
  dbPrefix: string;
  /** Prepended to every topic and consumer group, so parallel systems share one Kafka. */
  topicPrefix: string;
  mongoUrl: string;
  kafkaBrokers: string;
  /** Absolute path of the gateway's generated bootstrap admin file. */
  adminCredentialsFile: string;
  /** Absolute path of the oauth service's development encryption key file. */
  oauthKeyFile: string;
}

export function serviceUrl(layout: SystemLayout, service: string): string {
  return `http://${layout.host}:${layout.ports[service]}`;
}

/**
 * The environment of one service. Layers, last wins:
 *  1. `base` (the launcher's own environment: PATH, LOG_LEVEL, ADMIN_USERNAME, …);
 *  2. what the launcher decides: infrastructure, this process's port/host, the service's database and
 *     topic prefix, and every service's URL as `<PREFIX>_URL` (REGISTRY_URL, ACL_URL, OAUTH_URL,
 *     CONFIG_URL, …; UPSTREAM_COMMERCE_URL for the route map's `commerce` upstream). With replicas the
 *     URLs are the load balancer's: a replica never calls a particular replica of another service;
 *  3. `overrides` (tests: short timeouts, a known admin; the CLI: the user's own variables).
 *
 * `instancePort`: the port of this replica's process, when the service runs behind the load balancer.
 */
export function serviceEnv(
  spec: ServiceSpec,
  services: readonly ServiceSpec[],
  layout: SystemLayout,
  base: NodeJS.ProcessEnv,
  overrides: NodeJS.ProcessEnv = {},
  instancePort?: number,
): NodeJS.ProcessEnv {
  const urls = Object.fromEntries(services.map((s) => [`${s.envPrefix}_URL`, serviceUrl(layout, s.name)]));
  const commerce = services.find((s) => s.name === 'commerce-api');
  const own: NodeJS.ProcessEnv = {
    [`${spec.envPrefix}_PORT`]: String(instancePort ?? layout.ports[spec.name]),
    [`${spec.envPrefix}_HOST`]: layout.host,
  };
  if (spec.stateful) {
    own[`${spec.envPrefix}_DB`] = databaseNameOf(layout.dbPrefix, spec.name);
    own[`${spec.envPrefix}_TOPIC_PREFIX`] = layout.topicPrefix;
  }
  if (spec.name === 'gateway') own.ADMIN_CREDENTIALS_FILE = layout.adminCredentialsFile;
  if (spec.name === 'oauth') own.OAUTH_DEV_KEY_FILE = layout.oauthKeyFile;
  // The partner calls the store (the gateway) back with the tokens it obtains.
  if (spec.name === 'third-party-app' && layout.ports.gateway)
    own.THIRD_PARTY_APP_STORE_BASE_URL = serviceUrl(layout, 'gateway');

  const env: NodeJS.ProcessEnv = {
    ...base,
    NODE_ENV: base.NODE_ENV ?? 'development',
    // `npm start` runs on a developer's machine: the oauth service may generate its key (.local/).
    INTEGRATIONS_DEV_MODE: base.INTEGRATIONS_DEV_MODE ?? 'true',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    MONGO_URL: layout.mongoUrl,
    KAFKA_BROKERS: layout.kafkaBrokers,
    ...urls,
    ...(commerce ? { UPSTREAM_COMMERCE_URL: serviceUrl(layout, commerce.name) } : {}),
    ...own,
    ...withoutUndefined(overrides),
  };
  // `<PREFIX>_PORT` given by the user names where the service is reached: NGINX's port when it runs
  // replicas. The replica's own port is the launcher's to choose.
  if (instancePort !== undefined) env[`${spec.envPrefix}_PORT`] = String(instancePort);
  // Declarative integrations (`INTEGRATIONS_MANIFEST_FILE=my.json npm start`): a relative path means
  // relative to where the user typed the command (npm's INIT_CWD), not the services' working directory.
  const manifest = env.INTEGRATIONS_MANIFEST_FILE?.trim();
  if (spec.name === 'registry' && manifest && !isAbsolute(manifest)) {
    env.INTEGRATIONS_MANIFEST_FILE = resolve(base.INIT_CWD ?? process.cwd(), manifest);
  }
  return env;
}

function withoutUndefined(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined));
}
