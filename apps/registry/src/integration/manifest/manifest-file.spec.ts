import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclCatalog } from '../acl-catalog';
import { loadManifest, ManifestError, parseManifest } from './manifest-file';

const catalog = AclCatalog.load('config/acl-resources.json');
const parse = (json: unknown) => parseManifest(json, catalog, 'Integrations manifest m.json');
const failure = (json: unknown): string => {
  try {
    parse(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as Error).message;
  }
  throw new Error('expected the manifest to be refused');
};

describe('integrations manifest file', () => {
  it('reads the example shipped for Kubernetes: trimmed, resources deduplicated and sorted', () => {
    const manifest = loadManifest('k8s/components/examples/config-files/integrations.json', catalog);
    expect(manifest.path).toMatch(/k8s\/components\/examples\/config-files\/integrations\.json$/);
    expect(manifest.entries).toHaveLength(1);
    expect(manifest.entries[0]).toMatchObject({
      index: 0,
      fields: {
        name: 'ERP Connector',
        email: 'erp-team@example.com',
        resourceAccess: 'custom',
        identityLinkUrl: 'https://erp.example.com/magento/identity',
      },
    });
    const resources = manifest.entries[0]!.fields.resources;
    expect(resources).toEqual([...resources].sort());
    expect(resources).toContain('Magento_Sales::actions_view');
  });

  it('normalises like the admin form: blanks are null, "all" stores no ids', () => {
    const [entry] = parse({ integrations: [{ name: '  Feed ', email: '', resourceAccess: 'all' }] });
    expect(entry!.fields).toEqual({
      name: 'Feed',
      email: null,
      callbackUrl: null,
      identityLinkUrl: null,
      resourceAccess: 'all',
      resources: [],
      expiresAt: null,
      ipAllowList: [],
      rateLimit: null,
    });
    expect(entry!.suspended).toBe(false);
  });

  it('names the entry index, its name and the field of each problem', () => {
    const message = failure({
      integrations: [
        { name: 'Good', resourceAccess: 'all' },
        { name: 'ERP', email: 'not-an-email', resourceAccess: 'custom', resources: ['Magento_Sales::sales'] },
      ],
    });
    expect(message).toBe(
      'Integrations manifest m.json is invalid; nothing was applied:\n' +
        '  - integrations[1] ("ERP").email: Email is not a valid address. Enter an address like name@example.com, or leave it empty.',
    );
  });

  it('refuses unknown fields, missing required ones, unknown resources and duplicate names', () => {
    expect(failure({ integrations: [{ name: 'A', resourceAccess: 'all', endpoint: 'x' }] })).toContain(
      'integrations[0] ("A"): unknown field(s) "endpoint"',
    );
    expect(failure({ integrations: [{ name: 'A' }] })).toContain(
      'integrations[0] ("A").resourceAccess: Resource access must be "all" or "custom".',
    );
    expect(
      failure({ integrations: [{ name: 'A', resourceAccess: 'custom', resources: ['Magento_Sales::nope'] }] }),
    ).toContain('integrations[0] ("A").resources: unknown ACL resource(s) "Magento_Sales::nope"');
    expect(
      failure({
        integrations: [
          { name: 'Feed', resourceAccess: 'all' },
          { name: 'FEED ', resourceAccess: 'all' },
        ],
      }),
    ).toContain('integrations[1] ("FEED").name: the name "FEED" is also used by integrations[0]');
    expect(
      failure({ integrations: [{ name: 'A', resourceAccess: 'all', resources: ['Magento_Sales::sales'] }] }),
    ).toContain('integrations[0] ("A").resources: Resources must not be listed with resourceAccess "all"');
    expect(failure({ integration: [] })).toContain('(root): unknown field(s) "integration"');
  });

  it('reads the controls, and refuses bad ones naming the entry and the field', () => {
    const [entry] = parse({
      integrations: [
        {
          name: 'Feed',
          resourceAccess: 'all',
          expiresAt: '2031-02-01T00:00:00+01:00',
          ipAllowList: ['2001:DB8::/32', '203.0.113.0/24'],
          rateLimit: { requestsPerMinute: 120, burst: 10 },
          suspended: true,
        },
      ],
    });
    expect(entry).toMatchObject({
      suspended: true,
      fields: {
        expiresAt: '2031-01-31T23:00:00.000Z',
        ipAllowList: ['2001:db8::/32', '203.0.113.0/24'],
        rateLimit: { requestsPerMinute: 120, burst: 10 },
      },
    });
    expect(failure({ integrations: [{ name: 'A', resourceAccess: 'all', ipAllowList: ['10.0.0.1/8'] }] })).toContain(
      'integrations[0] ("A").ipAllowList[0]: "10.0.0.1/8" has bits set after its /8 prefix',
    );
    expect(
      failure({ integrations: [{ name: 'A', resourceAccess: 'all', rateLimit: { requestsPerMinute: 0, burst: 1 } }] }),
    ).toContain('integrations[0] ("A").rateLimit.requestsPerMinute: Requests per minute must be a whole number');
    expect(failure({ integrations: [{ name: 'A', resourceAccess: 'all', suspended: 'yes' }] })).toContain(
      'integrations[0] ("A").suspended: suspended must be true or false.',
    );
  });

  it('says which file cannot be read or parsed, and which variable points at it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"integrations": [');
    expect(() => loadManifest(broken, catalog)).toThrow(
      `Integrations manifest ${broken} (INTEGRATIONS_MANIFEST_FILE) is not valid JSON`,
    );
    expect(() => loadManifest(join(dir, 'missing.json'), catalog)).toThrow(
      /cannot be read \(ENOENT\)\. Point INTEGRATIONS_MANIFEST_FILE/,
    );
  });
});
