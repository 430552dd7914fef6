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
