import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** How the launcher knows a service is up. */
export type Readiness =
  /** `GET /health/ready` answers 200 (the platform services). */
  | 'health'
  /** Any HTTP answer on `/health/ready`: for a service without a health endpoint (none of ours today). */
  | 'http';

export interface ServiceSpec {
  name: string;
  /** Entry point, relative to the repository root. */
  main: string;
  /** Prefix of the service's variables: `GATEWAY` -> GATEWAY_PORT, GATEWAY_HOST, GATEWAY_DB, … */
  envPrefix: string;
  defaultPort: number;
  /** The service keeps a database (gets `<PREFIX>_DB`) and Kafka topics (gets `<PREFIX>_TOPIC_PREFIX`). */
  stateful: boolean;
  readiness: Readiness;
  /**
   * Start order, each tier ready before the next starts: 0 config, acl (and the example upstream),
   * 1 registry (it is ready once its manifest pushed access to the acl), 2 oauth (asks the
   * registry to complete activations), 3 gateway (calls all of them) and the partner app.
   */
  tier: number;
  /**
   * Takes outside traffic (gateway, partner app): stopped first, so nothing still serving requests
   * loses the services behind it; the rest stop by tier, highest first.
   */
  edge: boolean;
  /** Runs as N replicas behind the load balancer when asked (`--replicas N`); the examples run once. */
  replicable: boolean;
}

/**
 * The services we know about. Anything else under `apps/<name>/src/main.ts` is started too, with the
 * same variable conventions and a port from 3030 up, so a new service runs locally before anyone
 * edits this table.
 */
const KNOWN: ServiceSpec[] = [
  {
    name: 'config',
    main: 'apps/config/src/main.ts',
    envPrefix: 'CONFIG',
    defaultPort: 3004,
    stateful: true,
    readiness: 'health',
    tier: 0,
    edge: false,
    replicable: true,
  },
  {
    name: 'registry',
    main: 'apps/registry/src/main.ts',
    envPrefix: 'REGISTRY',
    defaultPort: 3001,
    stateful: true,
    readiness: 'health',
    tier: 1,
    edge: false,
    replicable: true,
  },
  {
    name: 'commerce-api',
    main: 'examples/commerce-api/src/main.ts',
    envPrefix: 'COMMERCE_API',
    defaultPort: 3010,
    stateful: false,
    readiness: 'health',
    tier: 0,
    edge: false,
    replicable: false,
  },
  {
    name: 'acl',
    main: 'apps/acl/src/main.ts',
    envPrefix: 'ACL',
    defaultPort: 3003,
    stateful: true,
    readiness: 'health',
    tier: 0,
    edge: false,
    replicable: true,
  },
  {
    name: 'oauth',
    main: 'apps/oauth/src/main.ts',
    envPrefix: 'OAUTH',
    defaultPort: 3002,
    stateful: true,
    readiness: 'health',
    tier: 2,
    edge: false,
    replicable: true,
  },
  {
    name: 'gateway',
    main: 'apps/gateway/src/main.ts',
    envPrefix: 'GATEWAY',
    defaultPort: 8080,
    stateful: true,
    readiness: 'health',
    tier: 3,
    edge: true,
    replicable: true,
  },
  {
    name: 'third-party-app',
    main: 'examples/third-party-app/src/main.ts',
    envPrefix: 'THIRD_PARTY_APP',
    defaultPort: 3020,
    stateful: false,
    readiness: 'health',
    tier: 3,
    edge: true,
    replicable: false,
  },
];

const FIRST_EXTRA_PORT = 3030;

/** The most processes one service may run locally (each is a Node process of ~100 MB). */
export const MAX_REPLICAS = 9;

/** Every service whose entry point exists in `root`, known ones first, in a stable order. */
export function discoverServices(root: string): ServiceSpec[] {
  const present = KNOWN.filter((spec) => existsSync(join(root, spec.main)));
  const knownMains = new Set(KNOWN.map((spec) => spec.main));
  const appsDir = join(root, 'apps');
  const extraNames = existsSync(appsDir)
    ? readdirSync(appsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .filter((name) => !knownMains.has(`apps/${name}/src/main.ts`) && existsSync(join(appsDir, name, 'src/main.ts')))
        .sort()
    : [];
  const extras = extraNames.map((name, index): ServiceSpec => ({
    name,
    main: `apps/${name}/src/main.ts`,
    envPrefix: envPrefixOf(name),
    defaultPort: FIRST_EXTRA_PORT + index,
    stateful: true,
    readiness: 'health',
    tier: 3,
    edge: false,
    replicable: false,
  }));
  return [...present, ...extras];
}

/** `third-party-app` -> `THIRD_PARTY_APP`. */
export function envPrefixOf(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** `third-party-app` -> `third_party_app` (database names take `-` but underscores read better). */
export function databaseNameOf(dbPrefix: string, service: string): string {
  return `${dbPrefix}${service.replace(/-/g, '_')}`;
}
