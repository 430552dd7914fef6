import {
  activeIntegration,
  authorizationFor,
  type Credentials,
  startPlatformStack,
  within,
  type PlatformStack,
} from '../../apps/gateway/test/fixtures/platform-stack';
import { sendRaw } from './support/gateway-attack';
import { ADMIN } from './support/security-gateway';

/**
 * Issue 12 item 8: percent-encoding that steers route matching. `/rest/V1/cmsPage/searc%68` was
 * matched as the guest route `cmsPage/:pageId` while an upstream that decodes `%68` serves the
 * protected `cmsPage/search`; `%00` and `%0d%0a` went through. The gateway now normalises the path
 * once (RFC 3986 §6.2.2.2), matches and forwards that same path, and refuses encoded control
 * characters and an encoded `/` outside a path parameter with 400. Each attack goes through the
 * real gateway, oauth, acl and the example commerce API; none of them reaches it.
 */
jest.setTimeout(120_000);

let stack: PlatformStack;
let gatewayUrl: string;
let productsOnly: { id: string; credentials: Credentials };

beforeAll(async () => {
  stack = await startPlatformStack('sec_paths');
  gatewayUrl = stack.gateway.gateway.url;
  productsOnly = await activeIntegration(stack, 'Paths', ['Magento_Catalog::products']);
  // Guest access on, as in the review: cmsPage/:pageId and cmsBlock/:blockId are guest routes.
  const guest = await stack.api.request('PUT', '/admin/v1/config', {
    token: stack.token,
    // A security setting: the admin's current password confirms it (step-up).
    body: { values: { 'webapi/webapisecurity/allow_insecure': true }, currentPassword: ADMIN.password },
  });
  expect(guest.status).toBe(200);
  await within(async () => (await sendRaw(gatewayUrl, { path: '/rest/V1/cmsPage/home' })).status === 200, 10_000);
});

afterAll(async () => {
  await stack?.close();
});

/** An anonymous call; its reply, after checking that the commerce API never saw it. */
async function refusedAnonymous(path: string) {
  stack.upstreamSaw.length = 0;
  const reply = await sendRaw(gatewayUrl, { path });
  expect(stack.upstreamSaw).toEqual([]);
  return reply;
}

/** The same, signed by an integration that may GET products. */
async function refusedSigned(path: string) {
  stack.upstreamSaw.length = 0;
  const authorization = authorizationFor(productsOnly.credentials, 'GET', `${gatewayUrl}${path}`);
  const reply = await sendRaw(gatewayUrl, { path, headers: [['Authorization', authorization]] });
  expect(stack.upstreamSaw).toEqual([]);
  return reply;
}

describe('percent-encoding tricks through the gateway (issue 12 item 8)', () => {
  it('cmsPage/searc%68 as a guest: matched as the protected cmsPage/search, 401', async () => {
    const reply = await refusedAnonymous('/rest/V1/cmsPage/searc%68');
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ parameters: { resources: 'Magento_Cms::page' } });
  });

  it('cmsBlock/%73earch as a guest: matched as the protected cmsBlock/search, 401', async () => {
    const reply = await refusedAnonymous('/rest/V1/cmsBlock/%73earch');
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ parameters: { resources: 'Magento_Cms::block' } });
  });

  it('categories/lis%74 as a guest: matched as the protected categories/list, 401', async () => {
    const reply = await refusedAnonymous('/rest/V1/categories/lis%74');
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ parameters: { resources: 'Magento_Catalog::categories' } });
  });

  it('an encoded NUL (%00) in a SKU: 400', async () => {
    expect((await refusedSigned('/rest/V1/products/ABC%00')).status).toBe(400);
  });

  it('an encoded CR LF (%0d%0a) in a SKU: 400', async () => {
    expect((await refusedSigned('/rest/V1/products/ABC%0d%0aX-Integration-Id:%20victim')).status).toBe(400);
  });

  it('an encoded / joining two fixed segments (cmsPage%2Fsearch): 400', async () => {
    expect((await refusedAnonymous('/rest/V1/cmsPage%2Fsearch')).status).toBe(400);
  });

  it('an encoded / in the store code (de%2Ffault): 400', async () => {
    expect((await refusedSigned('/rest/de%2Ffault/V1/products')).status).toBe(400);
  });

  it('a malformed escape (%zz): 400', async () => {
    expect((await refusedAnonymous('/rest/V1/cmsPage/%zz')).status).toBe(400);
  });

  it('encoded dot segments (%2e%2e) walking up to orders: refused, never proxied', async () => {
    const reply = await refusedSigned('/rest/V1/products/%2e%2e/%2e%2e/orders');
    expect([400, 404]).toContain(reply.status);
  });

  it('the forwarded path is the normal form the acl matched: product%73 reaches the upstream as products', async () => {
    stack.upstreamSaw.length = 0;
    const path = '/rest/V1/product%73?searchCriteria[pageSize]=1';
    const authorization = authorizationFor(productsOnly.credentials, 'GET', `${gatewayUrl}${path}`);
    const reply = await sendRaw(gatewayUrl, { path, headers: [['Authorization', authorization]] });
    expect(reply.status).toBe(200);
    expect(stack.upstreamSaw).toEqual([
      { method: 'GET', url: '/rest/V1/products?searchCriteria[pageSize]=1', integrationId: productsOnly.id },
    ]);
  });
});
