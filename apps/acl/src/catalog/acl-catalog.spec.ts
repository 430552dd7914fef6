import { AclCatalog, AclCatalogError } from './acl-catalog';

const leaf = (id: string, sortOrder: number, title = id) => ({ id, title, sortOrder, children: [] });

describe('AclCatalog', () => {
  it('sorts siblings by sortOrder, keeping file order on ties (Magento keeps module load order)', () => {
    const catalog = AclCatalog.parse({
      resources: [
        {
          id: 'Magento_Sales::sales',
          title: 'Sales',
          sortOrder: 20,
          children: [leaf('Magento_Sales::b', 10), leaf('Magento_Sales::a', 10), leaf('Magento_Sales::z', 0)],
        },
        leaf('Magento_Backend::dashboard', 0, 'Dashboard'),
      ],
    });
    expect(catalog.tree.map((n) => n.id)).toEqual(['Magento_Backend::dashboard', 'Magento_Sales::sales']);
    expect(catalog.tree[1].children.map((n) => n.id)).toEqual([
      'Magento_Sales::z',
      'Magento_Sales::b',
      'Magento_Sales::a',
    ]);
  });

  it('ships the whole Magento 2.4.4 tree: 255 ids under Magento_Backend::admin, Magento titles and order', () => {
    const catalog = AclCatalog.load('config/acl-resources.json');
    expect(catalog.size).toBe(255);
    expect(catalog.tree.map((n) => `${n.sortOrder} ${n.title}`)).toEqual([
      '0 Dashboard',
      '10 Analytics',
      '20 Sales',
      '30 Catalog',
      '40 Customers',
      '40 Carts',
      '50 My Account',
      '50 Marketing',
      '60 Content',
      '70 Reports',
      '80 Stores',
      '90 System',
      '100 Global Search',
    ]);
    const system = catalog.tree.find((n) => n.id === 'Magento_Backend::system')!;
    expect(system.children.find((n) => n.id === 'Magento_Integration::extensions')).toEqual({
      id: 'Magento_Integration::extensions',
      title: 'System Extensions',
      sortOrder: 30,
      children: [
        { id: 'Magento_Integration::integrations', title: 'System Integrations', sortOrder: 40, children: [] },
      ],
    });
    expect(catalog.has('Magento_Config::advanced')).toBe(false); // disabled="true" in 2.4.4
  });

  it('knows the ancestors of a resource up to Magento_Backend::admin', () => {
    const catalog = AclCatalog.load('config/acl-resources.json');
    expect(catalog.ancestors('Magento_Catalog::products')).toEqual([
      'Magento_Catalog::catalog_inventory',
      'Magento_Catalog::catalog',
      'Magento_Backend::admin',
    ]);
    expect(catalog.ancestors('Magento_Backend::dashboard')).toEqual(['Magento_Backend::admin']);
    expect(catalog.ancestors('Magento_Nope::nope')).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'a duplicate id',
      { resources: [leaf('Magento_A::a', 0), { ...leaf('Magento_B::b', 1), children: [leaf('Magento_A::a', 0)] }] },
      /"Magento_A::a" appears twice/,
    ],
    [
      'the All root inside the tree',
      { resources: [leaf('Magento_Backend::all', 0)] },
      /Magento_Backend::all must not appear/,
    ],
    [
      'a malformed id, naming the entry',
      { resources: [{ ...leaf('Magento_B::b', 1), children: [{ id: 'products', title: 'P', sortOrder: 0 }] }] },
      /resources\.0\.children\.0\.id \(in "products"\): must look like Vendor_Module::resource/,
    ],
    ['a missing title', { resources: [{ id: 'Magento_A::a', sortOrder: 0 }] }, /resources\.0\.title/],
    [
      'a missing sortOrder (required: the file is the merged tree)',
      { resources: [{ id: 'Magento_A::a', title: 'A' }] },
      /resources\.0\.sortOrder \(in "Magento_A::a"\)/,
    ],
    ['an unknown field', { resources: [{ ...leaf('Magento_A::a', 0), module: 'Magento_A' }] }, /module/],
    ['an empty file', { resources: [] }, /resources/],
  ])('rejects %s', (_label, json, message) => {
    expect(() => AclCatalog.parse(json, 'catalog.json')).toThrow(AclCatalogError);
    expect(() => AclCatalog.parse(json, 'catalog.json')).toThrow(message);
  });
});
