import { IntegrationUsageSchema, USAGE_REFUSAL_REASONS } from '@integrations/contracts';
import { randomUUID } from 'node:crypto';
import { ADMIN, startTestGateway, type TestGateway } from '../../test/support/gateway-harness';
import {
  anonymousCall,
  createIntegration,
  type Credentials,
  type Json,
  signedCall,
  startPlatformStack,
  waitUntil,
  type PlatformStack,
} from '../../test/fixtures/platform-stack';
import { USAGE_DAYS_COLLECTION } from './usage-days.store';

/**
 * Usage you can see, through the gateway on the real stack: two gateway replicas on one database
 * (as two pods behind a load balancer), each counting the calls it answers in memory and writing
 * its own documents; the usage API sums them, exactly, whichever replica is asked.
 */
let stack: PlatformStack;
let second: TestGateway;
let gateways: string[];
const FLUSH_MS = 200;

beforeAll(async () => {
  stack = await startPlatformStack('usage', { gateway: { usageFlushMs: FLUSH_MS } });
  second = await startTestGateway(stack.mongoUrl, {
    database: stack.gateway.gateway.config.database,
    registryUrl: stack.registry.url,
    oauthUrl: stack.oauth.url,
    aclUrl: stack.acl.url,
    configUrl: stack.config.url,
    upstreamUrls: {},
    benchAuthDisabled: false,
    usageFlushMs: FLUSH_MS,
  });
  gateways = [stack.gateway.gateway.url, second.gateway.url];
});

afterAll(async () => {
  // The second replica shares the first one's database, which the stack drops.
  await second?.stop();
  await stack?.close();
});

const usageOf = (id: string, query = '', via = stack.api) =>
  via.request('GET', `/admin/v1/integrations/${id}/usage${query}`, { token: stack.token });

async function activate(label: string): Promise<{ id: string; credentials: Credentials }> {
  const created = await createIntegration(stack, label, {
    resourceAccess: 'custom',
    resources: ['Magento_Catalog::products'],
  });
  const activated = await stack.api.request('POST', `/admin/v1/integrations/${created.id}/activate`, {
    token: stack.token,
    body: { currentPassword: ADMIN.password },
  });
  expect(activated.status).toBe(200);
  return { id: created.id, credentials: activated.body.credentials };
}

describe('usage counted by two gateway replicas', () => {
  let integration: { id: string; credentials: Credentials };
  const answered: Array<{ gateway: number; kind: string; status: number }> = [];

  beforeAll(async () => {
    integration = await activate('Usage');
    const { credentials } = integration;
    const wrongSecret = { ...credentials, consumerSecret: 'x'.repeat(32) };
    // Every kind of call, on both replicas at once (the checks batch them).
    const plan: Array<[number, string, () => Promise<{ status: number }>]> = [];
    for (let i = 0; i < 24; i++) {
      const gateway = i % 2;
      plan.push([gateway, 'products', () => signedCall(gateways[gateway], credentials, 'GET', '/rest/V1/products')]);
    }
    for (let i = 0; i < 3; i++)
      plan.push([1, 'orders', () => signedCall(gateways[1], credentials, 'GET', '/rest/V1/orders')]);
    for (let i = 0; i < 2; i++)
      plan.push([0, 'no route', () => signedCall(gateways[0], credentials, 'GET', '/rest/V1/nowhere')]);
    for (let i = 0; i < 4; i++) {
      const gateway = i % 2;
      plan.push([
        gateway,
        'bad signature',
        () => signedCall(gateways[gateway], wrongSecret, 'GET', '/rest/V1/products'),
      ]);
    }
    // Nobody's calls: an unknown consumer key, and no credentials at all.
    plan.push([
      0,
      'unknown key',
      () => signedCall(gateways[0], { ...credentials, consumerKey: 'u'.repeat(32) }, 'GET', '/rest/V1/products'),
    ]);
    plan.push([1, 'anonymous', () => anonymousCall(gateways[1], 'GET', '/rest/V1/products')]);
    const replies = await Promise.all(plan.map(([, , send]) => send()));
    plan.forEach(([gateway, kind], i) => answered.push({ gateway, kind, status: replies[i].status }));
  });

  it('answered each kind of call as the checks say', () => {
    const statusOf = (kind: string) => [...new Set(answered.filter((a) => a.kind === kind).map((a) => a.status))];
    expect(statusOf('products')).toEqual([200]);
    expect(statusOf('orders')).toEqual([403]);
    expect(statusOf('no route')).toEqual([404]);
    expect(statusOf('bad signature')).toEqual([401]);
    expect(statusOf('unknown key')).toEqual([401]);
    expect(statusOf('anonymous')).toEqual([401]);
  });

  it('sums both replicas exactly, by reason, whichever replica is asked', async () => {
    let usage: Json;
    await waitUntil(async () => {
      usage = (await usageOf(integration.id)).body;
      return usage.totals?.calls === 33;
    }, 'both replicas flushed 33 calls');
    for (const via of [stack.api, second.api]) {
      const reply = await usageOf(integration.id, '', via);
      expect(reply.status).toBe(200);
      expect(IntegrationUsageSchema.safeParse(reply.body).success).toBe(true);
      expect(reply.body.totals).toEqual({ calls: 33, accepted: 24, refused: 9 });
      expect(reply.body.refusals).toEqual({
        signature: 4,
        acl: 3,
        route: 2,
        rateLimit: 0,
        ip: 0,
        expired: 0,
        suspended: 0,
      });
      const today = new Date().toISOString().slice(0, 10);
      expect(reply.body.daily).toHaveLength(30);
      expect(reply.body.to).toBe(today);
      expect(reply.body.daily.at(-1)).toEqual({ date: today, calls: 33, accepted: 24, refused: 9 });
      expect(reply.body.daily.slice(0, -1).every((day: Json) => day.calls === 0)).toBe(true);
      expect(Date.now() - Date.parse(reply.body.lastCallAt)).toBeLessThan(60_000);
    }
  });

  it('is stored as one document per replica and day, each with only its own counts', async () => {
    const documents = await stack.gateway.db
      .collection(USAGE_DAYS_COLLECTION)
      .find({ integrationId: integration.id })
      .toArray();
    expect(documents).toHaveLength(2);
    expect(new Set(documents.map((d) => d.counter)).size).toBe(2);
    // Gateway 0 answered 12 products + 2 no-route + 2 bad signatures; gateway 1 the rest.
    expect(documents.map((d) => d.calls).sort((a, b) => a - b)).toEqual([16, 17]);
    // Nobody else's calls were counted: the unknown key and the anonymous call belong to no integration.
    expect(await stack.gateway.db.collection(USAGE_DAYS_COLLECTION).countDocuments({})).toBe(2);
  });

  it('keeps counting where it left off (running totals, not one write per call)', async () => {
    const replies = await Promise.all(
      gateways.map((gateway) => signedCall(gateway, integration.credentials, 'GET', '/rest/V1/products')),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    await waitUntil(async () => (await usageOf(integration.id)).body.totals?.calls === 35, '35 calls');
    expect((await usageOf(integration.id)).body.totals).toEqual({ calls: 35, accepted: 26, refused: 9 });
    expect(await stack.gateway.db.collection(USAGE_DAYS_COLLECTION).countDocuments({})).toBe(2);
  });

  it('answers a shorter window with `days`', async () => {
    const reply = await usageOf(integration.id, '?days=7');
    expect(reply.status).toBe(200);
    expect(reply.body.daily).toHaveLength(7);
    expect(reply.body.totals.calls).toBe(35);
  });

  it('shows an integration that never called as zeros', async () => {
    const idle = await createIntegration(stack, 'Idle');
    const reply = await usageOf(idle.id);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      integrationId: idle.id,
      totals: { calls: 0, accepted: 0, refused: 0 },
      lastCallAt: null,
    });
    expect(Object.keys(reply.body.refusals).sort()).toEqual([...USAGE_REFUSAL_REASONS].sort());
  });
});

describe('bad input', () => {
  let id: string;
  beforeAll(async () => {
    id = (await createIntegration(stack, 'Usage input')).id;
  });

  it.each([
    ['?days=0', 'days', 'days must be between 1 and 30'],
    ['?days=31', 'days', 'days must be between 1 and 30'],
    ['?days=abc', 'days', 'days must be a whole number'],
    ['?days=1&days=2', 'days', 'days must be given once, as a whole number'],
    ['?from=2026-01-01', undefined, 'Unknown field(s): from. Remove them and try again.'],
  ])('%s: 400 REQUEST.INVALID naming the field', async (query, field, message) => {
    const reply = await usageOf(id, query);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('REQUEST.INVALID');
    expect(reply.body.error.details).toEqual([{ ...(field ? { field } : {}), message }]);
  });

  it('refuses an id that is not one (400, field id) and answers 404 for an unknown integration', async () => {
    const malformed = await stack.api.request('GET', '/admin/v1/integrations/not-an-id/usage', { token: stack.token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'REQUEST.INVALID', details: [{ field: 'id' }] });
    const unknown = await usageOf(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('INTEGRATION.NOT_FOUND');
  });

  it('needs an admin session', async () => {
    const reply = await stack.api.request('GET', `/admin/v1/integrations/${id}/usage`);
    expect(reply.status).toBe(401);
  });

  it('stored nothing for any of them', async () => {
    expect(await stack.gateway.db.collection(USAGE_DAYS_COLLECTION).countDocuments({ integrationId: id })).toBe(0);
  });
});
