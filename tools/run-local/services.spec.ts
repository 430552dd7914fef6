import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseNameOf, discoverServices, envPrefixOf } from './services';

describe('discoverServices', () => {
  let root: string;
  const touch = (file: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'run-local-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('starts only the services whose entry point exists', () => {
    touch('apps/gateway/src/main.ts');
    touch('apps/registry/src/main.ts');
    touch('examples/commerce-api/src/main.ts');
    mkdirSync(join(root, 'apps/oauth/src'), { recursive: true }); // being written: no main.ts yet
    expect(discoverServices(root).map((s) => s.name)).toEqual(['registry', 'commerce-api', 'gateway']);
  });

  it('picks up an unknown app with the shared conventions and a port from 3030', () => {
    touch('apps/gateway/src/main.ts');
    touch('apps/billing-sync/src/main.ts');
    touch('apps/audit/src/main.ts');
    touch('apps/admin-ui/src/main.tsx');
    const extras = discoverServices(root).filter((s) => s.name !== 'gateway');
    expect(extras.map(({ name, envPrefix, defaultPort, main }) => ({ name, envPrefix, defaultPort, main }))).toEqual([
      { name: 'audit', envPrefix: 'AUDIT', defaultPort: 3030, main: 'apps/audit/src/main.ts' },
      { name: 'billing-sync', envPrefix: 'BILLING_SYNC', defaultPort: 3031, main: 'apps/billing-sync/src/main.ts' },
    ]);
  });

  it('knows the third-party app once it exists, with the example ports', () => {
    touch('examples/third-party-app/src/main.ts');
    expect(discoverServices(root)).toEqual([
      expect.objectContaining({
        name: 'third-party-app',
        envPrefix: 'THIRD_PARTY_APP',
        defaultPort: 3020,
        stateful: false,
      }),
    ]);
  });
});

describe('names', () => {
  it('derives variable prefixes and database names from service names', () => {
    expect(envPrefixOf('third-party-app')).toBe('THIRD_PARTY_APP');
    expect(databaseNameOf('e2e_1_', 'commerce-api')).toBe('e2e_1_commerce_api');
    expect(databaseNameOf('', 'registry')).toBe('registry');
  });
});
