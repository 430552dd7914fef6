import { startCommerceApi, type RunningCommerceApi } from './start';

describe('commerce-api health endpoints', () => {
  let api: RunningCommerceApi;
  const seen: string[] = [];

  beforeAll(async () => {
    api = await startCommerceApi({ port: 0, onRequest: (request) => seen.push(request.url) });
  });
  afterAll(() => api?.close());

  it('answers liveness and readiness like the platform services, without counting them as API calls', async () => {
    const live = await fetch(`${api.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'up' });
    const ready = await fetch(`${api.url}/health/ready?probe=1`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'up', checks: {} });
    expect((await fetch(`${api.url}/health/ready`, { method: 'POST' })).status).toBe(405);
    expect(seen).toEqual([]);

    // Anything else is still the API.
    const products = await fetch(`${api.url}/rest/V1/products`);
    expect(products.status).toBe(200);
    expect(seen).toEqual(['/rest/V1/products']);
  });
});
