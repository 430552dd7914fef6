import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTestInfra, uniqueName } from '@integrations/testing';

import { startOauth } from '../../apps/oauth/src/start';
import { loadGatewayEnv } from '../../apps/gateway/src/gateway.env';

jest.setTimeout(60_000);

describe('attack corpus: unsafe defaults at start', () => {
  it('a deployment that forgot OAUTH_ENCRYPTION_KEYS does not start (and generates no key), whatever NODE_ENV says', async () => {
    const { mongoUrl, kafkaBrokers } = await getTestInfra();
    const keyFile = join(mkdtempSync(join(tmpdir(), 'oauth-keys-')), 'oauth-keys.json');
    for (const nodeEnv of ['staging', 'development']) {
      await expect(
        startOauth({
          MONGO_URL: mongoUrl,
          KAFKA_BROKERS: kafkaBrokers,
          OAUTH_PORT: 0,
          OAUTH_DB: uniqueName('sec_oauth'),
          NODE_ENV: nodeEnv,
          OAUTH_ENCRYPTION_KEYS: '',
          OAUTH_DEV_KEY_FILE: keyFile,
        } as never),
      ).rejects.toThrow(/OAUTH_ENCRYPTION_KEYS is required .*INTEGRATIONS_DEV_MODE=true/);
    }
    expect(existsSync(keyFile)).toBe(false);
  });

  it('the benchmark switch that turns every API check off is refused without INTEGRATIONS_DEV_MODE=true', () => {
    expect(() =>
      loadGatewayEnv({
        MONGO_URL: 'mongodb://127.0.0.1:1',
        GATEWAY_BENCH_AUTH_DISABLED: 'true',
        NODE_ENV: 'staging',
      }),
    ).toThrow(/GATEWAY_BENCH_AUTH_DISABLED: .*refused unless INTEGRATIONS_DEV_MODE=true/);
  });
});
