import { serviceEnv, type SystemLayout } from './service-env';
import type { ServiceSpec } from './services';

const spec = (name: string, envPrefix: string, stateful = true): ServiceSpec => ({
  name,
  main: `apps/${name}/src/main.ts`,
  envPrefix,
  defaultPort: 0,
  stateful,
  readiness: 'health',
  tier: 0,
  edge: false,
  replicable: stateful,
});
const gateway = spec('gateway', 'GATEWAY');
const registry = spec('registry', 'REGISTRY');
const oauth = spec('oauth', 'OAUTH');
const commerce = spec('commerce-api', 'COMMERCE_API', false);
const services = [gateway, registry, oauth, commerce];
const layout: SystemLayout = {
  host: '127.0.0.1',
  ports: { gateway: 18080, registry: 13001, oauth: 13002, 'commerce-api': 13010 },
  dbPrefix: 'e2e_x_',
  topicPrefix: 'e2e_x_',
  mongoUrl: 'mongodb://db:27017',
  kafkaBrokers: 'k1:9092,k2:9092',
  adminCredentialsFile: '/state/admin-credentials.json',
  oauthKeyFile: '/state/oauth-keys.json',
};

describe('serviceEnv', () => {
  it('gives a service its own port, host, prefixed database and topic prefix, and the infrastructure', () => {
    const env = serviceEnv(registry, services, layout, {});
    expect(env).toMatchObject({
      REGISTRY_PORT: '13001',
      REGISTRY_HOST: '127.0.0.1',
      REGISTRY_DB: 'e2e_x_registry',
      REGISTRY_TOPIC_PREFIX: 'e2e_x_',
      MONGO_URL: 'mongodb://db:27017',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      NODE_ENV: 'development',
    });
  });

  it('tells every service where the others are, and the acl where the commerce upstream is', () => {
    const env = serviceEnv(gateway, services, layout, {});
    expect(env.REGISTRY_URL).toBe('http://127.0.0.1:13001');
    expect(env.OAUTH_URL).toBe('http://127.0.0.1:13002');
    expect(env.COMMERCE_API_URL).toBe('http://127.0.0.1:13010');
    expect(env.UPSTREAM_COMMERCE_URL).toBe('http://127.0.0.1:13010');
  });

  it('points the gateway and oauth at the per-system state files', () => {
    expect(serviceEnv(gateway, services, layout, {}).ADMIN_CREDENTIALS_FILE).toBe('/state/admin-credentials.json');
    expect(serviceEnv(oauth, services, layout, {}).OAUTH_DEV_KEY_FILE).toBe('/state/oauth-keys.json');
    expect(serviceEnv(registry, services, layout, {}).ADMIN_CREDENTIALS_FILE).toBeUndefined();
  });

  it("points the partner app at the store's public entry, the gateway", () => {
    const partner = spec('third-party-app', 'THIRD_PARTY_APP', false);
    const env = serviceEnv(
      partner,
      [...services, partner],
      { ...layout, ports: { ...layout.ports, 'third-party-app': 13020 } },
      {},
    );
    expect(env.THIRD_PARTY_APP_STORE_BASE_URL).toBe('http://127.0.0.1:18080');
    expect(env.THIRD_PARTY_APP_PORT).toBe('13020');
  });

  it('gives stateless examples no database or topic prefix', () => {
    const env = serviceEnv(commerce, services, layout, {});
    expect(env.COMMERCE_API_PORT).toBe('13010');
    expect(env.COMMERCE_API_DB).toBeUndefined();
    expect(env.COMMERCE_API_TOPIC_PREFIX).toBeUndefined();
  });

  it('lets overrides win over what the launcher decides, and keeps the base environment underneath', () => {
    const env = serviceEnv(
      registry,
      services,
      layout,
      { PATH: '/bin', REGISTRY_DB: 'from-base' },
      { REGISTRY_DB: 'mine', LOG_LEVEL: 'warn', SKIPPED: undefined },
    );
    expect(env.PATH).toBe('/bin');
    expect(env.REGISTRY_DB).toBe('mine');
    expect(env.LOG_LEVEL).toBe('warn');
    expect('SKIPPED' in env).toBe(false);
  });

  it('keeps a NODE_ENV that is already set', () => {
    expect(serviceEnv(registry, services, layout, { NODE_ENV: 'production' }).NODE_ENV).toBe('production');
  });

  it('passes INTEGRATIONS_MANIFEST_FILE to the registry, a relative path taken from where npm was run', () => {
    const env = serviceEnv(
      registry,
      services,
      layout,
      { INIT_CWD: '/home/me/shop' },
      { INTEGRATIONS_MANIFEST_FILE: 'config/integrations.json' },
    );
    expect(env.INTEGRATIONS_MANIFEST_FILE).toBe('/home/me/shop/config/integrations.json');
    const absolute = serviceEnv(registry, services, layout, {
      INTEGRATIONS_MANIFEST_FILE: '/etc/integrations/manifest/integrations.json',
    });
    expect(absolute.INTEGRATIONS_MANIFEST_FILE).toBe('/etc/integrations/manifest/integrations.json');
  });

  it('gives a replica its own port and the load balancer as the address of every service', () => {
    // registry and oauth behind NGINX (13001, 13002); this replica of the registry listens on 14001.
    // REGISTRY_PORT=13001 from the user names NGINX's port; the replica still gets its own.
    const env = serviceEnv(registry, services, layout, {}, { REGISTRY_PORT: '13001' }, 14001);
    expect(env.REGISTRY_PORT).toBe('14001');
    expect(env.REGISTRY_URL).toBe('http://127.0.0.1:13001');
    expect(env.OAUTH_URL).toBe('http://127.0.0.1:13002');
    expect(env.REGISTRY_DB).toBe('e2e_x_registry');
  });
});
