import { AclCatalog } from '../catalog/acl-catalog';
import { toIntegrationGrants, type GrantsRecord, type IntegrationStatus } from '../grants/integration-grants';
import { createRouteMatcher } from '../routes/match-route';
import { loadRouteMap } from '../routes/route-map';
import { decide, type Caller } from './decide';

// The shipped files: these tests also prove that config/routes.json carries Magento's resources.
const catalog = AclCatalog.load('config/acl-resources.json');
const match = createRouteMatcher(loadRouteMap('config/routes.json', catalog, {}));

const guestOff = { allowInsecure: false };
const guestOn = { allowInsecure: true };
const anonymous: Caller = { kind: 'anonymous' };

function integration(
  resources: string[] | 'all',
  status: IntegrationStatus = 'active',
  integrationId = 'int-1',
): Caller {
  const record: GrantsRecord = {
    integrationId,
    status,
    resourceAccess: resources === 'all' ? 'all' : 'custom',
    resources: resources === 'all' ? [] : resources,
    version: 3,
  };
  return { kind: 'integration', integrationId, grants: toIntegrationGrants(record, catalog) };
}

const productsOnly = integration(['Magento_Catalog::products']);

describe('decide', () => {
  describe('an active integration with Custom Magento_Catalog::products', () => {
    it('is allowed GET products, and the upstream path is the raw request path with its query', () => {
      const decision = decide(match('GET', '/rest/V1/products?searchCriteria[pageSize]=2'), productsOnly, guestOff);
      expect(decision).toEqual({
        decision: 'allow',
        status: 200,
        reason: 'granted',
        routeId: 'GET /V1/products',
        upstream: 'commerce',
        upstreamPath: '/rest/V1/products?searchCriteria[pageSize]=2',
        resources: ['Magento_Catalog::products'],
      });
    });

    it('gets 403 with Magento body on GET orders', () => {
      const decision = decide(match('GET', '/rest/V1/orders'), productsOnly, guestOff);
      expect(decision).toMatchObject({
        decision: 'deny',
        status: 403,
        reason: 'resource-not-granted',
        routeId: 'GET /V1/orders',
        upstream: null,
        upstreamPath: null,
        missing: ['Magento_Sales::actions_view'],
        body: {
          message: "The consumer isn't authorized to access %resources.",
          parameters: { resources: 'Magento_Sales::actions_view' },
        },
      });
    });

    it('holds the ancestors of its resource (Magento adds parents) but not their other children', () => {
      // GET /V1/products/:sku/media needs Magento_Catalog::catalog, the grandparent of products.
      expect(decide(match('GET', '/rest/V1/products/ABC/media'), productsOnly, guestOff).status).toBe(200);
      // GET /V1/categories needs Magento_Catalog::categories, a sibling of products.
      expect(decide(match('GET', '/rest/V1/categories'), productsOnly, guestOff).status).toBe(403);
    });

    it('is allowed on the store-prefixed form /rest/default/V1/... and keeps the prefix upstream', () => {
      const decision = decide(match('GET', '/rest/default/V1/products/24-MB01'), productsOnly, guestOff);
      expect(decision).toMatchObject({
        decision: 'allow',
        routeId: 'GET /V1/products/:sku',
        upstreamPath: '/rest/default/V1/products/24-MB01',
      });
    });

    it('treats an encoded slash in a SKU as one segment and forwards it still encoded', () => {
      const decision = decide(match('PUT', '/rest/all/V1/products/ABC%2F10'), productsOnly, guestOff);
      expect(decision).toMatchObject({
        decision: 'allow',
        routeId: 'PUT /V1/products/:sku',
        upstreamPath: '/rest/all/V1/products/ABC%2F10',
      });
    });
  });

  it('needs EVERY route resource, and lists them all, joined by ", ", in the 403 body', () => {
    const twoResources = { ...match('GET', '/rest/V1/orders')! };
    twoResources.route = {
      ...twoResources.route,
      resources: ['Magento_Sales::actions_view', 'Magento_Catalog::products'],
    };
    const decision = decide(twoResources, productsOnly, guestOff);
    expect(decision).toMatchObject({
      status: 403,
      missing: ['Magento_Sales::actions_view'],
      body: { parameters: { resources: 'Magento_Sales::actions_view, Magento_Catalog::products' } },
    });
    expect(
      decide(twoResources, integration(['Magento_Catalog::products', 'Magento_Sales::actions_view']), guestOff).status,
    ).toBe(200);
  });

  it('allows an "all" integration everywhere except customer-only (self) routes', () => {
    const all = integration('all');
    expect(decide(match('GET', '/rest/V1/products'), all, guestOff).status).toBe(200);
    expect(decide(match('GET', '/rest/V1/orders'), all, guestOff).status).toBe(200);
    expect(decide(match('DELETE', '/rest/V1/customers/7'), all, guestOff).status).toBe(200);
    expect(decide(match('GET', '/rest/V1/customers/me'), all, guestOff)).toMatchObject({
      status: 403,
      body: { parameters: { resources: 'self' } },
    });
  });

  it.each<[string, Caller, string]>([
    ['inactive', integration(['Magento_Catalog::products'], 'inactive'), 'integration-not-active'],
    ['reset', integration('all', 'reset'), 'integration-not-active'],
    ['deleted', integration('all', 'deleted'), 'integration-not-active'],
    ['unknown', { kind: 'integration', integrationId: 'nobody', grants: null }, 'integration-unknown'],
  ])('answers 401 with Magento body to an %s integration', (_label, caller, reason) => {
    expect(decide(match('GET', '/rest/V1/products'), caller, guestOff)).toMatchObject({
      decision: 'deny',
      status: 401,
      reason,
      upstream: null,
      body: {
        message: "The consumer isn't authorized to access %resources.",
        parameters: { resources: 'Magento_Catalog::products' },
      },
    });
  });

  it('answers 404 with Magento body for an unknown route, whoever calls', () => {
    for (const caller of [anonymous, integration('all')]) {
      expect(decide(match('GET', '/rest/V1/nothing-here'), caller, guestOn)).toEqual({
        decision: 'deny',
        status: 404,
        reason: 'route-not-found',
        routeId: null,
        upstream: null,
        upstreamPath: null,
        resources: [],
        body: { message: 'Request does not match any route.' },
      });
    }
    // A known path with a method the map does not have is unknown too.
    expect(decide(match('PATCH', '/rest/V1/products'), integration('all'), guestOff).status).toBe(404);
  });

  describe('guest access (webapi/webapisecurity/allow_insecure)', () => {
    it('off: an anonymous caller gets 401 on a guest route and on orders', () => {
      expect(decide(match('GET', '/rest/V1/products'), anonymous, guestOff)).toMatchObject({
        status: 401,
        reason: 'anonymous-caller',
        body: { parameters: { resources: 'Magento_Catalog::products' } },
      });
      expect(decide(match('GET', '/rest/V1/orders'), anonymous, guestOff).status).toBe(401);
    });

    it('on: an anonymous caller may use guest routes, still 401 on orders and on non-GET product routes', () => {
      expect(decide(match('GET', '/rest/default/V1/products'), anonymous, guestOn)).toMatchObject({
        status: 200,
        reason: 'guest-access',
      });
      expect(decide(match('GET', '/rest/V1/cmsPage/home'), anonymous, guestOn).status).toBe(200);
      expect(decide(match('GET', '/rest/V1/store/storeConfigs'), anonymous, guestOn).status).toBe(200);
      expect(decide(match('GET', '/rest/V1/orders'), anonymous, guestOn).status).toBe(401);
      expect(decide(match('POST', '/rest/V1/products'), anonymous, guestOn).status).toBe(401);
      // Not on Magento's list although it reads catalog data.
      expect(decide(match('GET', '/rest/V1/categories/list'), anonymous, guestOn).status).toBe(401);
    });

    it('on: an integration without the resource may use guest routes too (Magento rewrites them to anonymous)', () => {
      const salesOnly = integration(['Magento_Sales::actions_view']);
      expect(decide(match('GET', '/rest/V1/products'), salesOnly, guestOff).status).toBe(403);
      expect(decide(match('GET', '/rest/V1/products'), salesOnly, guestOn).status).toBe(200);
    });
  });

  it('opens anonymous routes to everyone, setting or not', () => {
    expect(decide(match('GET', '/rest/V1/directory/countries'), anonymous, guestOff)).toMatchObject({
      status: 200,
      reason: 'anonymous-route',
    });
    expect(
      decide(match('POST', '/rest/V1/integration/admin/token'), integration([], 'inactive'), guestOff).status,
    ).toBe(200);
  });

  it('gives an integration with an empty Custom selection nothing', () => {
    expect(decide(match('GET', '/rest/V1/products'), integration([]), guestOff).status).toBe(403);
  });

  describe("the integration's controls (docs/adr/0010)", () => {
    const now = new Date('2030-06-01T12:00:00Z');
    const controlled = (controls: Partial<GrantsRecord>, clientAddress: string | null = '203.0.113.7'): Caller => {
      const record: GrantsRecord = {
        integrationId: 'int-1',
        status: 'active',
        resourceAccess: 'all',
        resources: [],
        version: 3,
        ...controls,
      };
      return {
        kind: 'integration',
        integrationId: 'int-1',
        grants: toIntegrationGrants(record, catalog),
        clientAddress,
      };
    };
    const products = () => match('GET', '/rest/V1/products');

    it('refuses a suspended integration with 401 saying so, on every route, guest ones included', () => {
      for (const settings of [
        { ...guestOff, now },
        { ...guestOn, now },
      ]) {
        expect(decide(products(), controlled({ suspended: true }), settings)).toMatchObject({
          decision: 'deny',
          status: 401,
          reason: 'suspended',
          upstream: null,
          body: { message: expect.stringMatching(/suspended/) },
        });
      }
    });

    it('refuses from the expiry on, naming it; allows before', () => {
      const at = (expiresAt: string) => decide(products(), controlled({ expiresAt }), { ...guestOff, now });
      expect(at('2030-06-01T12:00:01.000Z')).toMatchObject({ decision: 'allow' });
      expect(at('2030-06-01T12:00:00.000Z')).toMatchObject({
        decision: 'deny',
        status: 401,
        reason: 'expired',
        body: { parameters: { expiresAt: '2030-06-01T12:00:00.000Z' } },
      });
    });

    it('refuses an address outside the allow-list with 403 naming it; an unknown address is in no list', () => {
      const list = { ipAllowList: ['203.0.113.0/24', '2001:db8::/32'] };
      const from = (address: string | null) => decide(products(), controlled(list, address), { ...guestOff, now });
      expect(from('203.0.113.200')).toMatchObject({ decision: 'allow' });
      expect(from('::ffff:203.0.113.9')).toMatchObject({ decision: 'allow' });
      expect(from('2001:db8::1')).toMatchObject({ decision: 'allow' });
      expect(from('198.51.100.1')).toMatchObject({
        decision: 'deny',
        status: 403,
        reason: 'ip',
        body: { parameters: { address: '198.51.100.1' } },
      });
      expect(from(null)).toMatchObject({ decision: 'deny', status: 403, reason: 'ip' });
    });

    it('still answers 404 first for an unknown route', () => {
      expect(
        decide(match('GET', '/rest/V1/nowhere'), controlled({ suspended: true }), { ...guestOff, now }),
      ).toMatchObject({ status: 404, reason: 'route-not-found' });
    });
  });
});
