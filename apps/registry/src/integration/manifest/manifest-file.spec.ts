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
