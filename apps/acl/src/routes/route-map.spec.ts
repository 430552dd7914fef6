import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AclCatalog } from '../catalog/acl-catalog';
import { loadRouteMap, parseRouteMap, RouteMapError } from './route-map';

const catalog = AclCatalog.load('config/acl-resources.json');
const upstreams = { commerce: { defaultUrl: 'http://127.0.0.1:3010' } };
const products = {
  method: 'GET',
  path: '/V1/products',
  resources: ['Magento_Catalog::products'],
  upstream: 'commerce',
  guest: true,
};
const parse = (routes: unknown[], env: NodeJS.ProcessEnv = {}) =>
  parseRouteMap({ upstreams, routes }, catalog, env, 'test.json');

/** Magento 2.4.4 `WebapiSecurity/etc/di.xml`: the routes "Allow Anonymous Guest Access" opens. */
const MAGENTO_GUEST_ROUTES = [
  '/V1/products',
  '/V1/products/:sku',
  '/V1/products/attributes/:attributeCode',
  '/V1/products/types',
  '/V1/products/attribute-sets/sets/list',
  '/V1/products/attribute-sets/:attributeSetId',
  '/V1/products/attribute-sets/:attributeSetId/attributes',
  '/V1/products/attribute-sets/groups/list',
  '/V1/products/attributes/:attributeCode/options',
  '/V1/products/media/types/:attributeSetName',
  '/V1/products/:sku/media/:entryId',
  '/V1/products/:sku/media',
  '/V1/products/:sku/group-prices/:customerGroupId/tiers',
  '/V1/categories/:categoryId',
  '/V1/categories',
  '/V1/products/:sku/options',
  '/V1/products/:sku/options/:optionId',
  '/V1/products/links/types',
  '/V1/products/links/:type/attributes',
  '/V1/products/:sku/links/:type',
  '/V1/categories/:categoryId/products',
  '/V1/stockStatuses/:productSku',
  '/V1/configurable-products/:sku/children',
  '/V1/configurable-products/:sku/options/:id',
  '/V1/configurable-products/:sku/options/all',
  '/V1/cmsPage/:pageId',
  '/V1/cmsBlock/:blockId',
  '/V1/store/storeViews',
  '/V1/store/storeGroups',
  '/V1/store/websites',
  '/V1/store/storeConfigs',
].map((path) => `GET ${path}`);

describe('route map', () => {
  describe('the shipped config/routes.json', () => {
    const map = loadRouteMap('config/routes.json', catalog, {});

    it('maps every REST route of Magento 2.4.4: 413 (one declared twice is merged), 59 anonymous, 37 self', () => {
      expect(map.routes).toHaveLength(413);
      expect(map.routes.filter((r) => r.resources.includes('anonymous'))).toHaveLength(59);
      expect(map.routes.filter((r) => r.resources.includes('self'))).toHaveLength(37);
      expect(new Set(map.routes.map((r) => r.upstream))).toEqual(new Set(['commerce']));
      const resourcesOf = (id: string) => map.routes.find((r) => r.id === id)?.resources;
      // Declared with a trailing slash (`/V1/carts/`): Magento trims it before matching.
      expect(resourcesOf('POST /V1/carts')).toEqual(['Magento_Cart::manage']);
      expect(resourcesOf('POST /V1/integration/admin/token')).toEqual(['anonymous']);
      expect(resourcesOf('PUT /V1/carts/mine/items/:itemId')).toEqual(['self']);
      // The admin root: any Custom selection has it.
      expect(resourcesOf('GET /V1/modules')).toEqual(['Magento_Backend::admin']);
      // Not declared by any acl.xml of the release: only "All" grants it, as in Magento.
      expect(resourcesOf('GET /V1/adobestock/asset/search')).toEqual(['Magento_AdobeStockImage::actions_view']);
    });

    it('marks exactly the 31 routes of Magento guest access as guest', () => {
      const guest = map.routes.filter((r) => r.guest).map((r) => r.id);
      expect(guest.sort()).toEqual([...MAGENTO_GUEST_ROUTES].sort());
    });

    it('carries the 2.4.4 resources of the main routes', () => {
      const resourcesOf = (id: string) => map.routes.find((r) => r.id === id)?.resources;
      expect(resourcesOf('GET /V1/orders')).toEqual(['Magento_Sales::actions_view']);
      expect(resourcesOf('POST /V1/orders')).toEqual(['Magento_Sales::create']);
      expect(resourcesOf('GET /V1/store/storeConfigs')).toEqual(['Magento_Backend::store']);
      expect(resourcesOf('GET /V1/stockStatuses/:productSku')).toEqual(['Magento_Catalog::catalog_inventory']);
      expect(resourcesOf('POST /V1/customers')).toEqual(['anonymous']);
      expect(resourcesOf('GET /V1/customers/me')).toEqual(['self']);
    });

    it('resolves upstream base URLs from UPSTREAM_<NAME>_URL, else the file default', () => {
      expect(map.upstreams).toEqual({ commerce: 'http://127.0.0.1:3010' });
      const overridden = loadRouteMap('config/routes.json', catalog, {
        UPSTREAM_COMMERCE_URL: 'http://commerce.internal:8080/',
      });
      expect(overridden.upstreams).toEqual({ commerce: 'http://commerce.internal:8080' });
    });
  });

  it.each<[string, unknown[], RegExp]>([
    [
      'an unknown resource',
      [{ ...products, resources: ['Magento_Catalog::productz'] }],
      /routes\[0\] \(GET \/V1\/products\): resource "Magento_Catalog::productz" is not in the ACL catalog/,
    ],
    [
      'an undeclared upstream',
      [{ ...products, upstream: 'erp' }],
      /routes\[0\] \(GET \/V1\/products\): upstream "erp" is not declared/,
    ],
    ['a path without version', [{ ...products, path: '/products' }], /must start with the API version/],
    [
      'a path with an odd segment',
      [{ ...products, path: '/V1/products/{sku}' }],
      /segment "\{sku\}" is neither a literal/,
    ],
    ['an unknown method', [{ ...products, method: 'TRACE' }], /routes\[0\] \(TRACE \/V1\/products\): method/],
    ['an unknown field', [{ ...products, resource: 'x' }], /Unrecognized key/],
    ['no resources', [{ ...products, resources: [] }], /at least one resource/],
    [
      'anonymous mixed with a resource',
      [{ ...products, guest: false, resources: ['anonymous', 'Magento_Catalog::products'] }],
      /"anonymous" must be the route's only resource/,
    ],
    ['a guest anonymous route', [{ ...products, resources: ['anonymous'] }], /cannot also be a guest route/],
    [
      'a parameter right after the version',
      [{ ...products, path: '/V1/:entity' }],
      /segment after the version must be a literal/,
    ],
    [
      'a resource the catalog lacks, even if Magento would accept it, unless listed as undeclared',
      [{ ...products, resources: ['Magento_AdobeStockImage::actions_view'] }],
      /not in the ACL catalog \(nor "anonymous", "self", Magento_Backend::admin, or listed under "undeclaredResources"\)/,
    ],
    [
      'two routes matching the same requests',
      [products, { ...products, path: '/V1/products/:sku' }, { ...products, path: '/V1/products/:id' }],
      /routes\[2\] \(GET \/V1\/products\/:id\): matches the same requests as GET \/V1\/products\/:sku/,
    ],
  ])('rejects %s, naming the file and the entry', (_label, routes, message) => {
    expect(() => parse(routes)).toThrow(RouteMapError);
    expect(() => parse(routes)).toThrow(/^test\.json/);
    expect(() => parse(routes)).toThrow(message);
  });

  describe('undeclaredResources (route resources no acl.xml declares)', () => {
    const undeclared = 'Magento_AdobeStockImage::actions_view';
    const search = { ...products, path: '/V1/adobestock/asset/search', guest: false, resources: [undeclared] };
    const withList = (list: string[], routes: unknown[]) =>
      parseRouteMap({ upstreams, undeclaredResources: list, routes }, catalog, {}, 'test.json');

    it('lets a route require one that is listed', () => {
      expect(withList([undeclared], [search]).routes[0].resources).toEqual([undeclared]);
    });

    it('refuses a listed one no route needs, or one the catalog declares', () => {
      expect(() => withList([undeclared, 'Magento_X::y'], [search])).toThrow(/no route needs "Magento_X::y"/);
      expect(() => withList([undeclared, 'Magento_Catalog::products'], [search, products])).toThrow(
        /"Magento_Catalog::products" is declared/,
      );
    });
  });

  it('rejects an upstream URL with a path, naming the variable', () => {
    expect(() => parse([products], { UPSTREAM_COMMERCE_URL: 'http://x/rest' })).toThrow(
      /upstream "commerce" .* \(from UPSTREAM_COMMERCE_URL\)/,
    );
  });

  it('names the file when it cannot be read or is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routes-'));
    writeFileSync(join(dir, 'bad.json'), '{ "routes": [');
    expect(() => loadRouteMap(join(dir, 'bad.json'), catalog)).toThrow(
      /Route map file .*bad\.json is not valid JSON.*ACL_ROUTES_FILE/,
    );
    expect(() => loadRouteMap(join(dir, 'missing.json'), catalog)).toThrow(
      /Route map file .*missing\.json cannot be read \(ENOENT\).*ACL_ROUTES_FILE/,
    );
  });
});
