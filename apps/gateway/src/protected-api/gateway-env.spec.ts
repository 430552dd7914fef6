import { loadGatewayEnv } from '../gateway.env';
import { benchUpstream } from './protected-api.module';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017' };

describe('gateway configuration of the protected path and activation', () => {
  it('defaults to the local service ports and leaves the public URL to the listening address', () => {
    const config = loadGatewayEnv(base);
    expect(config).toMatchObject({
      oauthUrl: 'http://127.0.0.1:3002',
      aclUrl: 'http://127.0.0.1:3003',
      configUrl: 'http://127.0.0.1:3004',
      publicBaseUrl: undefined,
      upstreamUrls: {},
      benchAuthDisabled: false,
    });
  });

  it('reads the service URLs, the public origin and the commerce upstream, without trailing slashes', () => {
    const config = loadGatewayEnv({
      ...base,
      OAUTH_URL: 'http://oauth:3002/',
      PUBLIC_BASE_URL: 'https://shop.example.com/',
      UPSTREAM_COMMERCE_URL: 'http://commerce:3010/',
    });
    expect(config).toMatchObject({
      oauthUrl: 'http://oauth:3002',
      publicBaseUrl: 'https://shop.example.com',
      upstreamUrls: { commerce: 'http://commerce:3010' },
    });
  });

  it('refuses a public base URL with a path or another scheme, naming the variable', () => {
    expect(() => loadGatewayEnv({ ...base, PUBLIC_BASE_URL: 'https://shop.example.com/store' })).toThrow(
      /PUBLIC_BASE_URL/,
    );
    expect(() => loadGatewayEnv({ ...base, ACL_URL: 'ftp://acl' })).toThrow(/ACL_URL/);
  });

  it('refuses the benchmark switch unless INTEGRATIONS_DEV_MODE=true, and always when NODE_ENV=production', () => {
    const bench = { ...base, GATEWAY_BENCH_AUTH_DISABLED: 'true' };
    expect(() => loadGatewayEnv({ ...bench, NODE_ENV: 'development' })).toThrow(
      /GATEWAY_BENCH_AUTH_DISABLED: .*refused unless INTEGRATIONS_DEV_MODE=true/,
    );
    expect(() => loadGatewayEnv({ ...bench, INTEGRATIONS_DEV_MODE: 'true', NODE_ENV: 'production' })).toThrow(
      /GATEWAY_BENCH_AUTH_DISABLED: .*always when NODE_ENV=production/,
    );
    expect(loadGatewayEnv({ ...bench, INTEGRATIONS_DEV_MODE: 'true' }).benchAuthDisabled).toBe(true);
    expect(() => loadGatewayEnv({ ...base, GATEWAY_BENCH_AUTH_DISABLED: 'yes' })).toThrow(
      /GATEWAY_BENCH_AUTH_DISABLED/,
    );
  });

  it('refuses the benchmark switch at module start too when NODE_ENV=production (overrides skip the env check), and needs the commerce URL', () => {
    const upstreamUrls = { commerce: 'http://commerce:3010' };
    expect(() => benchUpstream({ upstreamUrls }, 'production')).toThrow(/refused when NODE_ENV=production/);
    expect(benchUpstream({ upstreamUrls }, 'test')).toBe('http://commerce:3010');
    expect(() => benchUpstream({ upstreamUrls: {} }, 'test')).toThrow(/UPSTREAM_COMMERCE_URL/);
  });
});
