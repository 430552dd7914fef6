import { randomUUID } from 'node:crypto';
import {
  activeIntegration,
  type Credentials,
  type Json,
  signedCall,
  startPlatformStack,
  waitUntil,
  type PlatformStack,
} from '../../apps/gateway/test/fixtures/platform-stack';
import { readTopics } from './support/secret-scan';
import {
  ADMIN,
  GENEROUS_RATE_LIMITS,
  startTestGateway,
  type TestGateway,
} from '../../apps/gateway/test/support/gateway-harness';

/**
 * The integration controls of docs/adr/0010 through two gateway replicas (one database, so shared
 * rate limit counters) on the real stack: Kafka and FerretDB behind every service. The acl reads
 * its own topic prefix, so its Kafka consumer never hears the registry: whatever it enforces came
 * through the registry's holds and snapshots, the path a suspension must not wait for Kafka on.
 * Replica A trusts no proxy; replica B trusts loopback (GATEWAY_TRUSTED_PROXIES), so its
 * X-Forwarded-For names the client.
 */
jest.setTimeout(120_000);

const FLUSH_MS = 300;
let stack: PlatformStack;
let replicaB: TestGateway;
let gateways: string[];

beforeAll(async () => {
  stack = await startPlatformStack('controls', {
    aclTopicPrefix: `controls-acl-${randomUUID().slice(0, 8)}.`,
    registry: { REGISTRY_EXPIRY_CHECK_MS: 250 },
    gateway: { usageFlushMs: FLUSH_MS },
  });
  replicaB = await startTestGateway(stack.mongoUrl, {
    database: stack.databases.find((name) => name.endsWith('_gw')),
    registryUrl: stack.registry.url,
    oauthUrl: stack.oauth.url,
    aclUrl: stack.acl.url,
    configUrl: stack.config.url,
    upstreamUrls: {},
    benchAuthDisabled: false,
    usageFlushMs: FLUSH_MS,
    rateLimits: { ...GENEROUS_RATE_LIMITS, trustedProxies: ['loopback'] },
  });
  gateways = [stack.gateway.gateway.url, replicaB.gateway.url];
});

afterAll(async () => {
  await replicaB?.close();
  await stack?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  stack.api.request(method, path, { token: stack.token, body });

const products = (base: string, credentials: Credentials, headers?: Record<string, string>) =>
  signedCall(base, credentials, 'GET', '/rest/V1/products', { headers });

/** The access token as a Bearer token (Magento 2.4.4+, `oauth/consumer/enable_integration_as_bearer`). */
async function bearerProducts(base: string, credentials: Credentials): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${base}/rest/V1/products`, {
    headers: { authorization: `Bearer ${credentials.accessToken}`, accept: 'application/json' },
  });
  return { status: response.status, body: await response.json() };
}

/** The PUT body that keeps what the integration has and changes `fields`. */
async function update(id: string, fields: Record<string, unknown>) {
  const current = (await admin('GET', `/admin/v1/integrations/${id}`)).body as Json;
  return admin('PUT', `/admin/v1/integrations/${id}`, {
    name: current.name,
    resourceAccess: current.resourceAccess,
    resources: current.resources,
    expiresAt: current.expiresAt,
    ipAllowList: current.ipAllowList,
    rateLimit: current.rateLimit,
    ...fields,
    currentPassword: ADMIN.password,
  });
}

async function historyTypes(id: string): Promise<string[]> {
  const page = (await admin('GET', `/admin/v1/integrations/${id}/history?pageSize=50`)).body as Json;
  return page.items.map((entry: Json) => entry.type);
}

async function usage(id: string): Promise<Json> {
  return (await admin('GET', `/admin/v1/integrations/${id}/usage?days=1`)).body;
}

const SUSPENDED_MESSAGE = /suspended/;

describe('Suspend and Resume', () => {
  let partner: Awaited<ReturnType<typeof activeIntegration>>;
  beforeAll(async () => {
    partner = await activeIntegration(stack, 'Suspend', ['Magento_Catalog::products']);
  });

  it('accepts the access token as a Bearer token once the setting is on (the other way in to refuse)', async () => {
    const on = await admin('PUT', '/admin/v1/config', {
      values: { 'oauth/consumer/enable_integration_as_bearer': true },
      currentPassword: ADMIN.password,
    });
    expect(on.status).toBe(200);
    await waitUntil(
      async () => (await bearerProducts(gateways[0], partner.credentials)).status === 200,
      'Bearer calls accepted',
    );
  });

  it("needs the admin's password: a wrong one suspends nothing", async () => {
    const wrong = await admin('POST', `/admin/v1/integrations/${partner.id}/suspend`, { currentPassword: 'nope' });
    expect(wrong.status).toBe(403);
    for (const base of gateways) expect((await products(base, partner.credentials)).status).toBe(200);
  });

  it('refuses every call on both replicas from the reply on, never proxied; Resume restores the same credentials', async () => {
    const suspended = await admin('POST', `/admin/v1/integrations/${partner.id}/suspend`, {
      currentPassword: ADMIN.password,
    });
    expect(suspended).toMatchObject({ status: 200, body: { suspended: true, status: 'active' } });
    stack.upstreamSaw.length = 0;
    // No wait and no retry: 0 calls accepted after the reply, and the acl never heard it from Kafka.
    for (let round = 0; round < 5; round++)
      for (const base of gateways) {
        const reply = await products(base, partner.credentials);
        expect({ base, status: reply.status }).toEqual({ base, status: 401 });
        expect(reply.body.message).toMatch(SUSPENDED_MESSAGE);
      }
    for (const base of gateways) {
      const reply = await bearerProducts(base, partner.credentials);
      expect({ base, status: reply.status }).toEqual({ base, status: 401 });
      expect(reply.body.message).toMatch(SUSPENDED_MESSAGE);
    }
    expect(stack.upstreamSaw).toEqual([]);

    // Suspending again changes nothing (same version, no second event).
    const again = await admin('POST', `/admin/v1/integrations/${partner.id}/suspend`, {
      currentPassword: ADMIN.password,
    });
    expect(again).toMatchObject({ status: 200, body: { version: suspended.body.version } });

    const listed = await admin('GET', `/admin/v1/integrations?status=suspended&pageSize=100`);
    expect(listed.body.items.map((row: Json) => row.id)).toContain(partner.id);
    // Its activation status is kept, but the Status column (and its filter) says Suspended.
    const active = await admin('GET', `/admin/v1/integrations?status=active&pageSize=100`);
    expect(active.body.items.map((row: Json) => row.id)).not.toContain(partner.id);

    const resumed = await admin('POST', `/admin/v1/integrations/${partner.id}/resume`, {
      currentPassword: ADMIN.password,
    });
    expect(resumed).toMatchObject({ status: 200, body: { suspended: false, status: 'active' } });
    for (const base of gateways) {
      expect((await products(base, partner.credentials)).status).toBe(200);
      expect((await bearerProducts(base, partner.credentials)).status).toBe(200);
    }
    const after = await admin('GET', `/admin/v1/integrations?status=suspended&pageSize=100`);
    expect(after.body.items.map((row: Json) => row.id)).not.toContain(partner.id);
    const activeAgain = await admin('GET', `/admin/v1/integrations?status=active&pageSize=100`);
    expect(activeAgain.body.items.map((row: Json) => row.id)).toContain(partner.id);

    await waitUntil(
      async () => (await historyTypes(partner.id)).filter((type) => /Suspended|Resumed/.test(type)).length === 2,
      'the suspension and the resumption in the history',
    );
    await waitUntil(async () => (await usage(partner.id)).refusals.suspended === 12, 'twelve refusals as suspended');
  });
});

describe('Expiry', () => {
  it('refuses a past expiry at the edge, naming the field, and stores nothing', async () => {
    const name = `Expired ${randomUUID().slice(0, 8)}`;
    const reply = await admin('POST', '/admin/v1/integrations', {
      name,
      resourceAccess: 'all',
      expiresAt: '2020-01-01T00:00:00Z',
      currentPassword: ADMIN.password,
    });
    expect(reply).toMatchObject({
      status: 400,
      body: { error: { code: 'INTEGRATION.EXPIRES_AT_PAST', details: [{ field: 'expiresAt' }] } },
    });
    const malformed = await admin('POST', '/admin/v1/integrations', {
      name,
      resourceAccess: 'all',
      expiresAt: 'next tuesday',
      currentPassword: ADMIN.password,
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: { error: { details: [{ field: 'expiresAt', code: 'INTEGRATION.EXPIRES_AT_INVALID' }] } },
    });
    const found = await admin('GET', `/admin/v1/integrations?name=${encodeURIComponent(name)}`);
    expect(found.body.total).toBe(0);
  });

  it('refuses calls once the expiry passes while traffic flows, announces it once, and extending it restores access', async () => {
    const partner = await activeIntegration(stack, 'Expiry', ['Magento_Catalog::products']);
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    expect((await update(partner.id, { expiresAt })).status).toBe(200);
    // Traffic until the first refusal; after it, never accepted again (both replicas).
    await waitUntil(async () => (await products(gateways[0], partner.credentials)).status === 401, 'refused', 20_000);
    for (const base of gateways) {
      const reply = await products(base, partner.credentials);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ message: expect.stringMatching(/expired/), parameters: { expiresAt } });
    }
    await waitUntil(
      async () => (await historyTypes(partner.id)).includes('IntegrationExpired'),
      'IntegrationExpired in the history',
    );
    const listed = await admin('GET', `/admin/v1/integrations?status=expired&pageSize=100`);
    expect(listed.body.items.map((row: Json) => row.id)).toContain(partner.id);

    const extended = await update(partner.id, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(extended).toMatchObject({ status: 200, body: { expired: false } });
    await waitUntil(
      async () => (await products(gateways[1], partner.credentials)).status === 200,
      'the extension reaches the acl',
    );
    expect((await historyTypes(partner.id)).filter((type) => type === 'IntegrationExpired')).toHaveLength(1);
  });
});

describe('IP allow-list', () => {
  it('refuses a malformed CIDR at the edge, naming the entry, and stores nothing', async () => {
    const name = `Bad CIDR ${randomUUID().slice(0, 8)}`;
    const reply = await admin('POST', '/admin/v1/integrations', {
      name,
      resourceAccess: 'all',
      ipAllowList: ['203.0.113.0/24', '10.0.0.300/8'],
      currentPassword: ADMIN.password,
    });
    expect(reply).toMatchObject({
      status: 400,
      body: { error: { details: [{ field: 'ipAllowList.1', code: 'INTEGRATION.IP_RANGE_INVALID' }] } },
    });
    expect((await admin('GET', `/admin/v1/integrations?name=${encodeURIComponent(name)}`)).body.total).toBe(0);
  });

  it('403 from an address outside the list; X-Forwarded-For counts only from a trusted proxy', async () => {
    const partner = await activeIntegration(stack, 'Allow-list', ['Magento_Catalog::products']);
    // A narrowing: held at the acl before the reply.
    expect((await update(partner.id, { ipAllowList: ['203.0.113.0/24', '2001:db8::/32'] })).status).toBe(200);
    const fromDocNet = { 'x-forwarded-for': '203.0.113.5' };

    stack.upstreamSaw.length = 0;
    // Replica A trusts no proxy: the header is the client's own claim, the peer (loopback) decides.
    const spoofed = await products(gateways[0], partner.credentials, fromDocNet);
    expect(spoofed.status).toBe(403);
    expect(spoofed.body).toMatchObject({
      message: expect.stringMatching(/IP allow-list/),
      parameters: { address: '127.0.0.1' },
    });
    // Replica B trusts loopback: the forwarded client is inside the list, or not.
    expect((await products(gateways[1], partner.credentials, fromDocNet)).status).toBe(200);
    const outside = await products(gateways[1], partner.credentials, { 'x-forwarded-for': '198.51.100.9' });
    expect(outside).toMatchObject({ status: 403, body: { parameters: { address: '198.51.100.9' } } });
    expect(stack.upstreamSaw).toHaveLength(1);

    // Emptying the list widens access again.
    expect((await update(partner.id, { ipAllowList: [] })).status).toBe(200);
    await waitUntil(async () => (await products(gateways[0], partner.credentials)).status === 200, 'any address again');
    await waitUntil(async () => (await usage(partner.id)).refusals.ip === 2, 'two refusals by IP in the usage');
  });
});

describe('rate limit per integration', () => {
  it('refuses absurd limits at the edge, naming the field', async () => {
    const reply = await admin('POST', '/admin/v1/integrations', {
      name: `Bad limit ${randomUUID().slice(0, 8)}`,
      resourceAccess: 'all',
      rateLimit: { requestsPerMinute: -5, burst: 1 },
      currentPassword: ADMIN.password,
    });
    expect(reply).toMatchObject({
      status: 400,
      body: {
        error: { details: [{ field: 'rateLimit.requestsPerMinute', code: 'INTEGRATION.RATE_LIMIT_INVALID' }] },
      },
    });
    const unknown = await admin('POST', '/admin/v1/integrations', {
      name: `Bad limit ${randomUUID().slice(0, 8)}`,
      resourceAccess: 'all',
      rateLimit: { requestsPerMinute: 10, burst: 1, perHour: 3 },
      currentPassword: ADMIN.password,
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/perHour/) } } });
  });

  it('counts calls across both replicas: 429 with Retry-After and X-RateLimit-* past the limit, before the upstream', async () => {
    const partner = await activeIntegration(stack, 'Limited', ['Magento_Catalog::products']);
    expect((await update(partner.id, { rateLimit: { requestsPerMinute: 6, burst: 6 } })).status).toBe(200);
    await waitUntil(
      async () => (await products(gateways[0], partner.credentials)).headers.get('x-ratelimit-limit') === '6',
      'the limit reaches the acl',
    );
    // One call counted so far (the one that saw the limit).
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      const reply = await products(gateways[(i + 1) % 2], partner.credentials);
      expect(reply.status).toBe(200);
      remaining.push(reply.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    stack.upstreamSaw.length = 0;
    for (const base of gateways) {
      const refused = await products(base, partner.credentials);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('x-ratelimit-limit')).toBe('6');
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(refused.body.message).toMatch(/at most %limit calls a minute/);
    }
    expect(stack.upstreamSaw).toEqual([]);
    await waitUntil(async () => (await usage(partner.id)).refusals.rateLimit === 2, 'two refusals by rate limit');
  });
});

describe('the lifecycle topic', () => {
  it('carries IntegrationSuspended, IntegrationResumed and IntegrationExpired', async () => {
    const { messages } = await readTopics(stack.kafkaBrokers, stack.topicPrefix);
    for (const type of ['IntegrationSuspended', 'IntegrationResumed', 'IntegrationExpired'])
      expect({ type, found: messages.some((message) => message.text.includes(type)) }).toEqual({ type, found: true });
  });
});
