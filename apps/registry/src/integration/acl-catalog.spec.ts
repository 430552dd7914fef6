import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclCatalog, AclCatalogError } from './acl-catalog';

describe('AclCatalog', () => {
  const catalog = AclCatalog.load('config/acl-resources.json');

  it('loads the whole Magento 2.4.4 admin tree shipped in config/ (children of Magento_Backend::admin)', () => {
    expect(catalog.resources.map((r) => r.id)).toEqual([
      'Magento_Backend::dashboard',
      'Magento_Analytics::analytics',
      'Magento_Sales::sales',
      'Magento_Catalog::catalog',
      'Magento_Customer::customer',
      'Magento_Cart::cart',
      'Magento_Backend::myaccount',
      'Magento_Backend::marketing',
      'Magento_Backend::content',
      'Magento_Reports::report',
      'Magento_Backend::stores',
      'Magento_Backend::system',
      'Magento_Backend::global_search',
    ]);
    // Magento declares 257 ids: these 255 under Magento_Backend::admin, plus admin and all.
    expect(catalog.size).toBe(255);
    const system = catalog.resources.find((r) => r.id === 'Magento_Backend::system')!;
    const extensions = system.children.find((r) => r.id === 'Magento_Integration::extensions')!;
    expect(extensions).toEqual({
      id: 'Magento_Integration::extensions',
      title: 'System Extensions',
      sortOrder: 30,
      children: [
        { id: 'Magento_Integration::integrations', title: 'System Integrations', sortOrder: 40, children: [] },
      ],
    });
  });

  it('leaves out the root ids and disabled nodes', () => {
    expect(catalog.has('Magento_Backend::all')).toBe(false);
    expect(catalog.has('Magento_Backend::admin')).toBe(false);
    expect(catalog.has('Magento_Config::advanced')).toBe(false);
    expect(catalog.has('Magento_Cms::save_design')).toBe(true);
    // Ids from bundled packages of the release (MSI, two-factor auth) are granted like any other.
    expect(catalog.has('Magento_InventoryApi::source_edit')).toBe(true);
    expect(catalog.has('Magento_TwoFactorAuth::tfa')).toBe(true);
    // Added after 2.4.4: not in the tree.
    expect(catalog.has('Magento_Sales::api_actions')).toBe(false);
  });

  it('validates chosen resources against the whole tree', () => {
    expect(
      catalog.unknown([
        'Magento_Reports::salesroot_sales',
        'Magento_SalesRule::quote',
        'Magento_Logging::system_magento_logging_bulk_operations',
      ]),
    ).toEqual([]);
    expect(catalog.unknown(['Magento_Backend::admin', 'Magento_Backend::all'])).toEqual([
      'Magento_Backend::admin',
      'Magento_Backend::all',
    ]);
  });

  it('names the unknown ids once each, in the order given', () => {
    expect(catalog.unknown(['Magento_Sales::sales', 'X_Y::z', 'Magento_Sales::nope', 'X_Y::z'])).toEqual([
      'X_Y::z',
      'Magento_Sales::nope',
    ]);
  });

  describe('fails fast with a message that says what to fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acl-catalog-'));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('missing file', () => {
      expect(() => AclCatalog.load(join(dir, 'missing.json'))).toThrow(/cannot be read \(ENOENT\).*ACL_CATALOG_FILE/);
    });

    it('invalid JSON', () => {
      expect(() => AclCatalog.load(file('broken.json', '{"resources": ['))).toThrow(/is not valid JSON/);
    });

    it('wrong shape', () => {
      const path = file('shape.json', JSON.stringify({ resources: [{ id: 'not an id', title: 'x', sortOrder: 1 }] }));
      expect(() => AclCatalog.load(path)).toThrow(AclCatalogError);
      expect(() => AclCatalog.load(path)).toThrow(
        /resources\.0\.id \(in "not an id"\): must look like Vendor_Module::resource/,
      );
    });

    it('a node without sortOrder (the file states every position; the acl reads it the same way)', () => {
      const path = file('unsorted.json', JSON.stringify({ resources: [{ id: 'Magento_A::a', title: 'A' }] }));
      expect(() => AclCatalog.load(path)).toThrow(/resources\.0\.sortOrder \(in "Magento_A::a"\)/);
    });

    it('duplicate ids', () => {
      const node = { id: 'Magento_A::a', title: 'A', sortOrder: 1, children: [] };
      expect(() => AclCatalog.load(file('dup.json', JSON.stringify({ resources: [node, node] })))).toThrow(
        /"Magento_A::a" appears twice/,
      );
    });
  });
});
