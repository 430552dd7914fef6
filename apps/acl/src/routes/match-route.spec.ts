import { AclCatalog } from '../catalog/acl-catalog';
import { createRouteMatcher } from './match-route';
import { loadRouteMap, parseRouteMap } from './route-map';

const catalog = AclCatalog.load('config/acl-resources.json');
const map = loadRouteMap('config/routes.json', catalog, {});
const match = createRouteMatcher(map);
const routeOf = (method: string, target: string) => match(method, target)?.route.id ?? null;

describe('route matching on raw paths', () => {
  it.each([
    ['/rest/V1/products', null],
    ['/rest/default/V1/products', 'default'],
    ['/rest/all/V1/products', 'all'],
    ['/rest/fr_store2/V1/products', 'fr_store2'],
    ['/V1/products', null],
  ])('matches %s (store %s)', (target, store) => {
    const result = match('GET', target);
    expect(result?.route.id).toBe('GET /V1/products');
    expect(result?.storeCode).toBe(store);
    expect(result?.upstreamPath).toBe(target.startsWith('/rest') ? target : `/rest${target}`);
  });

  it('keeps an encoded slash inside ONE segment, decodes it for params, forwards it encoded', () => {
    const result = match('GET', '/rest/V1/products/ABC%2F10?fields=sku');
    expect(result?.route.id).toBe('GET /V1/products/:sku');
    expect(result?.params).toEqual({ sku: 'ABC/10' });
    expect(result?.upstreamPath).toBe('/rest/V1/products/ABC%2F10?fields=sku');
    // A literal slash is two segments: the media route, not the product.
    expect(routeOf('GET', '/rest/V1/products/ABC/media')).toBe('GET /V1/products/:sku/media');
    // Dots are fine inside a SKU, as long as they are not a whole (decoded) path segment.
    expect(match('GET', '/rest/V1/products/A.B%2F..C')?.params).toEqual({ sku: 'A.B/..C' });
  });

  it('picks the route Magento picks where routes overlap (a literal beats a parameter where they first differ)', () => {
    // Magento serves the route whose path equals the request, else the last match of its byte-order sort.
    expect(routeOf('GET', '/rest/V1/products/attributes')).toBe('GET /V1/products/attributes');
    expect(routeOf('PUT', '/rest/V1/products/attributes')).toBe('PUT /V1/products/:sku'); // no PUT literal
    expect(routeOf('GET', '/rest/V1/products/attributes/color')).toBe('GET /V1/products/attributes/:attributeCode');
    expect(routeOf('GET', '/rest/V1/products/attributes/options')).toBe('GET /V1/products/attributes/:attributeCode');
    expect(routeOf('GET', '/rest/V1/products/SKU-1/options')).toBe('GET /V1/products/:sku/options');
    // A customer's own cart is never taken for the admin route on a cart called "mine".
    expect(routeOf('PUT', '/rest/V1/carts/mine/items/5')).toBe('PUT /V1/carts/mine/items/:itemId');
    expect(routeOf('PUT', '/rest/V1/carts/12/items/5')).toBe('PUT /V1/carts/:cartId/items/:itemId');
    expect(routeOf('GET', '/rest/V1/customerGroups/default/permissions')).toBe(
      'GET /V1/customerGroups/default/:storeId',
    );
    expect(routeOf('GET', '/rest/V1/customerGroups/7/permissions')).toBe('GET /V1/customerGroups/:id/permissions');
    expect(routeOf('GET', '/rest/V1/customerGroups/default/3')).toBe('GET /V1/customerGroups/default/:storeId');
  });

  it("follows Magento's byte order where it is not literal-first (parameter names, literals starting with a digit)", () => {
    const custom = parseRouteMap(
      {
        upstreams: { commerce: { defaultUrl: 'http://127.0.0.1:1' } },
        routes: ['/V1/t/:a/x', '/V1/t/:b/:c', '/V1/t/1x', '/V1/t/:id', '/V1/u/1x/:y', '/V1/u/:id/z'].map((path) => ({
          method: 'GET',
          path,
          resources: ['anonymous'],
          upstream: 'commerce',
        })),
      },
      catalog,
      {},
    );
    for (const routes of [custom.routes, [...custom.routes].reverse()]) {
      const matchIn = createRouteMatcher({ ...custom, routes });
      expect(matchIn('GET', '/V1/t/q/x')?.route.id).toBe('GET /V1/t/:b/:c'); // ':b' sorts after ':a'
      expect(matchIn('GET', '/V1/t/1x')?.route.id).toBe('GET /V1/t/1x'); // equal to the request
      expect(matchIn('GET', '/V1/u/1x/z')?.route.id).toBe('GET /V1/u/:id/z'); // '1' sorts before ':'
    }
  });

  it('prefers literal segments over parameters, whatever the file order', () => {
    expect(routeOf('GET', '/rest/V1/products/types')).toBe('GET /V1/products/types');
    expect(routeOf('GET', '/rest/V1/customers/me')).toBe('GET /V1/customers/me');
    expect(routeOf('GET', '/rest/V1/customers/42')).toBe('GET /V1/customers/:customerId');
    expect(routeOf('GET', '/rest/V1/categories/list')).toBe('GET /V1/categories/list');
    expect(routeOf('GET', '/rest/V1/configurable-products/X/options/all')).toBe(
      'GET /V1/configurable-products/:sku/options/all',
    );
    expect(routeOf('GET', '/rest/V1/configurable-products/X/options/7')).toBe(
      'GET /V1/configurable-products/:sku/options/:id',
    );

    const reversed = createRouteMatcher({ ...map, routes: [...map.routes].reverse() });
    expect(reversed('GET', '/rest/V1/products/types')?.route.id).toBe('GET /V1/products/types');
    expect(reversed('GET', '/rest/V1/cmsPage/search')?.route.id).toBe('GET /V1/cmsPage/search');
  });

  it('matches the method case-insensitively but paths exactly', () => {
    expect(routeOf('get', '/rest/V1/orders')).toBe('GET /V1/orders');
    expect(routeOf('GET', '/rest/V1/Orders')).toBeNull();
    expect(routeOf('GET', '/rest/v1/orders')).toBeNull();
  });

  it('ignores one trailing slash, as Magento does, and forwards it', () => {
    expect(match('POST', '/rest/default/V1/carts/')).toMatchObject({
      route: { id: 'POST /V1/carts' },
      upstreamPath: '/rest/default/V1/carts/',
    });
    expect(match('GET', '/rest/V1/products/ABC%2F10/?x=1')).toMatchObject({
      route: { id: 'GET /V1/products/:sku' },
      params: { sku: 'ABC/10' },
      upstreamPath: '/rest/V1/products/ABC%2F10/?x=1',
    });
  });

  it.each([
    '/rest/V1/products//',
    '/rest/V1/',
    '/rest/V1//products',
    '/rest/V1/products/../orders',
    '/rest/V1/products/%2e%2e/orders',
    '/rest/V1/products/..%2F..%2Forders',
    '/rest/V1/products/x%2F..%5C..%5Corders',
    '/rest/V1/products/.',
    '/rest/V1/products/%E0%A4%A',
    '/rest/V1/products\\..\\orders',
    '/rest/V1/products/a b',
    '/rest/Default/V1/products',
    '/rest/default',
    '/rest',
    '/index.php/rest/V1/products',
    'rest/V1/products',
    '',
    `/rest/V1/products/${'x'.repeat(9000)}`,
  ])('refuses %s (an upstream could read it as another path)', (target) => {
    expect(match('GET', target)).toBeNull();
  });

  it('never matches a route whose upstream path would differ from what was authorised', () => {
    const result = match('GET', '/rest/V1/orders/5?x=/../products#frag');
    expect(result?.route.id).toBe('GET /V1/orders/:id');
    expect(result?.upstreamPath).toBe('/rest/V1/orders/5?x=/../products');
  });

  it('chooses among routes of one file only by specificity (a route map with :a/x and x/:b)', () => {
    const custom = parseRouteMap(
      {
        upstreams: { commerce: { defaultUrl: 'http://127.0.0.1:1' } },
        routes: [
          { method: 'GET', path: '/V1/t/:a/x', resources: ['anonymous'], upstream: 'commerce' },
          { method: 'GET', path: '/V1/t/x/:b', resources: ['anonymous'], upstream: 'commerce' },
        ],
      },
      catalog,
      {},
    );
    expect(createRouteMatcher(custom)('GET', '/V1/t/x/x')?.route.id).toBe('GET /V1/t/x/:b');
  });
});
