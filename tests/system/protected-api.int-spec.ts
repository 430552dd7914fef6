import { type IntegrationCredentials, oauthAuthorization, timeUntil } from '@integrations/testing';
import { startTestGateway } from '../../apps/gateway/test/support/gateway-harness';
import {
  activeIntegration as activeIntegrationIn,
  ADMIN,
  anonymousCall,
  type GatewayStack,
  type Json,
  notAuthorized,
  signedRequest,
  startGatewayStack,
} from './support/gateway-stack';

/**
 * The protected commerce API through the gateway: signed calls (oauth-1.0a) verified by the oauth
 * service, decided by the acl service, proxied to the example commerce API; guest access switched
 * through the gateway's settings. The platform behind the gateway as processes on Kafka + FerretDB.
 */
jest.setTimeout(120_000);

let stack: GatewayStack;
let base: string;
const timings: Record<string, number> = {};

beforeAll(async () => {
  stack = await startGatewayStack('gwapi');
  base = stack.base;
}, 300_000);

afterAll(async () => {
  process.stdout.write(`protected path timings (ms): ${JSON.stringify(timings)}\n`);
  await stack?.close();
}, 120_000);

const admin = (method: string, path: string, body?: unknown) =>
  stack.api.request(method, path, { token: stack.token, body });

const activeIntegration = (resources: string[] | 'all') => activeIntegrationIn(stack, 'Api', resources);

const call = (
  credentials: IntegrationCredentials,
  method: string,
  path: string,
  options?: Parameters<typeof signedRequest>[4],
) => signedRequest(base, credentials, method, path, options);

describe('an integration with Custom Magento_Catalog::products', () => {
  let productsOnly: Awaited<ReturnType<typeof activeIntegration>>;
  beforeAll(async () => {
    productsOnly = await activeIntegration(['Magento_Catalog::products']);
  });

  it('GETs products: 200 from the commerce API, which saw the integration id and not the OAuth header', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await call(productsOnly.credentials, 'GET', '/rest/V1/products?searchCriteria[pageSize]=2');
    expect(reply.status).toBe(200);
    expect(reply.body.items).toHaveLength(2);
    expect(reply.headers.get('x-seen-integration-id')).toBe(productsOnly.id);
    expect(stack.upstreamSaw).toEqual([
      { method: 'GET', url: '/rest/V1/products?searchCriteria[pageSize]=2', integrationId: productsOnly.id },
    ]);
  });

  it('is verified over the raw path: store prefix and an encoded slash in the SKU', async () => {
    const reply = await call(productsOnly.credentials, 'GET', '/rest/default/V1/products/ABC%2F10');
    expect(reply.status).toBe(200);
    expect(reply.body.sku).toBe('ABC/10');
  });

  it('gets 403 with Magento body on orders; the commerce API never sees the call', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await call(productsOnly.credentials, 'GET', '/rest/V1/orders');
    expect(reply).toMatchObject({ status: 403, body: notAuthorized('Magento_Sales::actions_view') });
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('passes a JSON body through to the commerce API (JSON is not signed)', async () => {
    const reply = await call(productsOnly.credentials, 'POST', '/rest/V1/products', {
      json: { product: { sku: 'GW-1', name: 'Through the gateway', price: 9.5 } },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ sku: 'GW-1', name: 'Through the gateway', price: 9.5 });
  });

  it('verifies signed form-body parameters against the raw body: a tampered body is 401 and not proxied', async () => {
    stack.upstreamSaw.length = 0;
    const signedForm = await call(productsOnly.credentials, 'POST', '/rest/V1/products', {
      form: { 'product[sku]': 'FORM 1', note: 'a+b c' },
    });
    // Past the checks: the commerce API answered (it wants JSON, so it refuses the body itself).
    expect(signedForm.status).not.toBe(401);
    expect(stack.upstreamSaw).toHaveLength(1);

    stack.upstreamSaw.length = 0;
    const tampered = await call(productsOnly.credentials, 'POST', '/rest/V1/products', {
      form: { 'product[sku]': 'FORM 1' },
      sendForm: 'product%5Bsku%5D=FORM+2',
    });
    expect(tampered).toMatchObject({
      status: 401,
      body: { message: 'The signature is invalid. Verify and try again.' },
    });
    expect(stack.upstreamSaw).toEqual([]);
  });

  it("answers Magento's OAuth problems for bad signatures, replays and malformed headers", async () => {
    const forged = { ...productsOnly.credentials, accessTokenSecret: 'x'.repeat(32) };
    expect(await call(forged, 'GET', '/rest/V1/products')).toMatchObject({
      status: 401,
      body: { message: 'The signature is invalid. Verify and try again.' },
    });

    const url = `${base}/rest/V1/products`;
    const authorization = oauthAuthorization('GET', url, productsOnly.credentials);
    expect((await fetch(url, { headers: { authorization } })).status).toBe(200);
    const replay = await fetch(url, { headers: { authorization } });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as Json).message).toMatch(/nonce is already being used/);

    const missing = await fetch(url, { headers: { authorization: 'OAuth oauth_consumer_key="abc"' } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Json).message).toMatch(/is required/);
  });

  it('answers 404 with Magento body for an unknown route, signed or not', async () => {
    const body = { message: 'Request does not match any route.' };
    expect(await call(productsOnly.credentials, 'GET', '/rest/V1/no-such-thing')).toMatchObject({ status: 404, body });
    expect(await anonymousCall(base, 'GET', '/rest/V1/no-such-thing')).toMatchObject({ status: 404, body });
  });
});

describe('lifecycle as the API sees it', () => {
  it('lets an "all" integration GET products and orders', async () => {
    const all = await activeIntegration('all');
    expect((await call(all.credentials, 'GET', '/rest/V1/products')).status).toBe(200);
    expect((await call(all.credentials, 'GET', '/rest/V1/orders')).status).toBe(200);
  });

  it('answers 401 to an integration that is not active (exchange reauthorization pending), within the grace of its old token', async () => {
    await stack.changeSettings({ 'oauth/access/reauthorize_grace_period': 60 });
    try {
      const integration = await activeIntegration(['Magento_Catalog::products']);
      // Both URLs set now: the next Reauthorize is an exchange, which leaves the integration inactive meanwhile.
      const partner = await startPartner();
      try {
        const updated = await admin('PUT', `/admin/v1/integrations/${integration.id}`, {
          name: integration.name,
          resourceAccess: 'custom',
          resources: ['Magento_Catalog::products'],
          callbackUrl: `${partner.url}/callback`,
          identityLinkUrl: `${partner.url}/login`,
          currentPassword: ADMIN.password,
        });
        expect(updated.status).toBe(200);
        expect(
          (
            await admin('POST', `/admin/v1/integrations/${integration.id}/reauthorize`, {
              currentPassword: ADMIN.password,
            })
          ).status,
        ).toBe(202);
        timings.inactive401 = await timeUntil(
          async () => (await call(integration.credentials, 'GET', '/rest/V1/products')).status === 401,
          { intervalMs: 25, message: 'the old token refused while the exchange is pending' },
        );
        expect(await call(integration.credentials, 'GET', '/rest/V1/products')).toMatchObject({
          status: 401,
          body: notAuthorized('Magento_Catalog::products'),
        });
      } finally {
        await partner.close();
      }
    } finally {
      await stack.changeSettings({ 'oauth/access/reauthorize_grace_period': 0 });
    }
  });

  it('narrowing the resources on update bites within 1 s', async () => {
    const integration = await activeIntegration(['Magento_Catalog::products', 'Magento_Sales::actions_view']);
    expect((await call(integration.credentials, 'GET', '/rest/V1/orders')).status).toBe(200);
    const updated = await admin('PUT', `/admin/v1/integrations/${integration.id}`, {
      name: integration.name,
      resourceAccess: 'custom',
      resources: ['Magento_Catalog::products'],
      currentPassword: ADMIN.password,
    });
    expect(updated.status).toBe(200);
    timings.narrowing = await timeUntil(
      async () => (await call(integration.credentials, 'GET', '/rest/V1/orders')).status === 403,
      { timeoutMs: 5_000, intervalMs: 25, message: 'orders refused after the narrowing' },
    );
    expect(timings.narrowing).toBeLessThan(1_000);
    expect((await call(integration.credentials, 'GET', '/rest/V1/products')).status).toBe(200);
  });

  it('Reauthorize: the old token is refused at once, the new one works', async () => {
    const integration = await activeIntegration(['Magento_Catalog::products']);
    const reply = await admin('POST', `/admin/v1/integrations/${integration.id}/reauthorize`, {
      currentPassword: ADMIN.password,
    });
    expect(reply.status).toBe(200);
    expect(await call(integration.credentials, 'GET', '/rest/V1/products')).toMatchObject({ status: 401 });
    timings.reauthorizedNewToken = await timeUntil(
      async () => (await call(reply.body.credentials, 'GET', '/rest/V1/products')).status === 200,
      { timeoutMs: 5_000, intervalMs: 25, message: 'the new token accepted' },
    );
    expect(await call(integration.credentials, 'GET', '/rest/V1/products')).toMatchObject({ status: 401 });
  });

  it('Delete: every later call is refused', async () => {
    const integration = await activeIntegration(['Magento_Catalog::products']);
    expect((await admin('DELETE', `/admin/v1/integrations/${integration.id}`)).status).toBe(200);
    timings.deleted401 = await timeUntil(
      async () => (await call(integration.credentials, 'GET', '/rest/V1/products')).status === 401,
      { timeoutMs: 5_000, intervalMs: 25, message: 'the deleted integration refused' },
    );
    stack.upstreamSaw.length = 0;
    expect((await call(integration.credentials, 'GET', '/rest/V1/products')).status).toBe(401);
    expect(stack.upstreamSaw).toEqual([]);
  });
});

describe('guest access (webapi/webapisecurity/allow_insecure) through the gateway', () => {
  const setGuestAccess = async (on: boolean) =>
    expect(
      (
        await admin('PUT', '/admin/v1/config', {
          values: { 'webapi/webapisecurity/allow_insecure': on },
          currentPassword: ADMIN.password,
        })
      ).status,
    ).toBe(200);

  it('anonymous products: 401, then 200 within 1 s of Yes (orders stay 401), then 401 again within 1 s of No', async () => {
    stack.upstreamSaw.length = 0;
    expect(await anonymousCall(base, 'GET', '/rest/V1/products')).toMatchObject({
      status: 401,
      body: notAuthorized('Magento_Catalog::products'),
    });
    expect(stack.upstreamSaw).toEqual([]);

    await setGuestAccess(true);
    try {
      timings.guestOn = await timeUntil(
        async () => (await anonymousCall(base, 'GET', '/rest/V1/products')).status === 200,
        { timeoutMs: 5_000, intervalMs: 25, message: 'guest products allowed' },
      );
      expect(timings.guestOn).toBeLessThan(1_000);
      expect(stack.upstreamSaw.at(-1)).toEqual({ method: 'GET', url: '/rest/V1/products', integrationId: null });
      expect((await anonymousCall(base, 'GET', '/rest/default/V1/cmsPage/home')).status).toBe(200);
      expect(await anonymousCall(base, 'GET', '/rest/V1/orders')).toMatchObject({
        status: 401,
        body: notAuthorized('Magento_Sales::actions_view'),
      });
    } finally {
      await setGuestAccess(false);
    }
    timings.guestOff = await timeUntil(
      async () => (await anonymousCall(base, 'GET', '/rest/V1/products')).status === 401,
      { timeoutMs: 5_000, intervalMs: 25, message: 'guest products refused again' },
    );
    expect(timings.guestOff).toBeLessThan(1_000);
  });

  it('never lets a client claim an integration id of its own', async () => {
    stack.upstreamSaw.length = 0;
    const response = await fetch(`${base}/rest/V1/products`, { headers: { 'x-integration-id': 'someone' } });
    expect(response.status).toBe(401);
    expect(stack.upstreamSaw).toEqual([]);
  });
});

describe('GATEWAY_BENCH_AUTH_DISABLED (benchmarks only)', () => {
  const benchOptions = () => ({
    registryUrl: stack.urls.registry,
    oauthUrl: stack.urls.oauth,
    aclUrl: stack.urls.acl,
    configUrl: stack.urls.config,
    upstreamUrls: { commerce: stack.commerce.url },
    benchAuthDisabled: true,
  });

  it('proxies every /rest call unchecked, so a benchmark can measure the checks against it', async () => {
    const bench = await startTestGateway(stack.mongoUrl, benchOptions());
    try {
      stack.upstreamSaw.length = 0;
      const reply = await anonymousCall(bench.gateway.url, 'GET', '/rest/V1/orders');
      expect(reply.status).toBe(200);
      expect(stack.upstreamSaw).toEqual([{ method: 'GET', url: '/rest/V1/orders', integrationId: null }]);
    } finally {
      await bench.close();
    }
  });
});

/** A partner that accepts the credentials POST (so an exchange can start) and does nothing else. */
async function startPartner(): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
