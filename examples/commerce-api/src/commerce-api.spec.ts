import { loadRouteTable } from './route-table';
import { startCommerceApi, type RunningCommerceApi } from './start';

let api: RunningCommerceApi;
beforeAll(async () => {
  api = await startCommerceApi({ port: 0 });
});
afterAll(() => api.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${api.url}${path}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

describe('commerce-api (stand-in)', () => {
  it('pages products with searchCriteria[pageSize] and [currentPage], Magento search result shape', async () => {
    const { status, body } = await get('/rest/V1/products?searchCriteria[pageSize]=3&searchCriteria[currentPage]=2');
    expect(status).toBe(200);
    expect(body.total_count).toBe(10);
    expect(body.search_criteria).toEqual({ filter_groups: [], page_size: 3, current_page: 2 });
    expect((body.items as Array<{ sku: string }>).map((p) => p.sku)).toEqual(['24-MB05', '24-MB06', '24-MB02']);
    // Encoded brackets (what signing clients send) mean the same.
    const encoded = await get('/rest/default/V1/products?searchCriteria%5BpageSize%5D=1');
    expect((encoded.body.items as unknown[]).length).toBe(1);
  });

  it('reads a SKU with an encoded slash as one segment', async () => {
    const { status, body } = await get('/rest/V1/products/ABC%2F10');
    expect(status).toBe(200);
    expect(body).toMatchObject({ sku: 'ABC/10', name: 'Slash SKU Sample' });
    expect((await get('/rest/V1/products/ABC/10')).status).toBe(404);
    expect((await get('/rest/V1/products/NOPE')).body).toEqual({
      message: "The product that was requested doesn't exist. Verify the product and try again.",
    });
  });

  it('creates a product (upsert by SKU) and then serves it', async () => {
    const response = await fetch(`${api.url}/rest/all/V1/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product: { sku: 'NEW-1', name: 'New one', price: 12.5 } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 11, sku: 'NEW-1', price: 12.5 });
    expect((await get('/rest/V1/products/NEW-1')).body).toMatchObject({ name: 'New one' });

    const invalid = await fetch(`${api.url}/rest/V1/products`, { method: 'POST', body: '{"item": {}}' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'product' },
    });
  });

  it('serves orders, CMS pages and store configs', async () => {
    expect((await get('/rest/V1/orders')).body).toMatchObject({ total_count: 2 });
    expect((await get('/rest/default/V1/cmsPage/2')).body).toMatchObject({ identifier: 'home' });
    expect(await get('/rest/V1/cmsPage/99')).toMatchObject({ status: 404, body: { parameters: ['99'] } });
    expect((await get('/rest/V1/store/storeConfigs')).body).toEqual([expect.objectContaining({ code: 'default' })]);
  });

  it('echoes the integration id the gateway passed', async () => {
    const { headers } = await get('/rest/V1/orders', { 'x-integration-id': 'int-42' });
    expect(headers.get('x-seen-integration-id')).toBe('int-42');
    expect((await get('/rest/V1/orders')).headers.get('x-seen-integration-id')).toBeNull();
  });

  // 413 requests one after the other: jest's 5 s default suits one request, not a walk of the whole
  // route table on a loaded machine, so this test's deadline follows its work.
  it('answers every other route of config/routes.json with a stand-in naming the route and its parameters', async () => {
    const routes = loadRouteTable();
    expect(routes).toHaveLength(413);
    const notOk: Record<string, number> = {};
    for (const [i, route] of routes.entries()) {
      const store = ['', '/default', '/all'][i % 3];
      const path = route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => `v-${name}`);
      const response = await fetch(`${api.url}/rest${store}${path}`, {
        method: route.method,
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: '{}' }),
      });
      const body = (await response.json()) as { route?: string };
      if (response.status !== 200) notOk[`${route.method} ${route.path}`] = response.status;
      // The seed-data routes answer their own way (a missing product or page is a 404).
      if (body.route !== undefined) expect(body.route).toBe(`${route.method} ${route.path}`);
    }
    expect(notOk).toEqual({
      'GET /V1/products/:sku': 404, // no product "v-sku" in the seed data
      'POST /V1/products': 400, // "product" is required
      'GET /V1/cmsPage/:pageId': 404,
    });
    expect(await get('/rest/V1/customers/7')).toEqual({
      status: 200,
      headers: expect.anything(),
      body: { route: 'GET /V1/customers/:customerId', params: { customerId: '7' } },
    });
    // Magento's precedence: the literal route, not a product with the SKU "types".
    expect((await get('/rest/V1/products/types/')).body).toEqual({ route: 'GET /V1/products/types', params: {} });
  }, 30_000);

  it("answers Magento's 404 for anything else", async () => {
    for (const path of ['/rest/V1/no-such-thing', '/V1/products', '/rest/V1/', '/rest/Default/V1/products']) {
      expect(await get(path)).toMatchObject({ status: 404, body: { message: 'Request does not match any route.' } });
    }
  });
});
