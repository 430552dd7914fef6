import { getTestInfra } from '@integrations/testing';
import { ADMIN, startTestGateway } from './support/gateway-harness';
import { startAdminStack, type AdminStack } from './support/admin-stack';

jest.setTimeout(90_000);

const PASSWORD = ADMIN.password;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('admin integrations API through the gateway (registry in-process, real Kafka + FerretDB)', () => {
  let s: AdminStack;
  const create = (body: Record<string, unknown>, token = s.token) =>
    s.api.request('POST', '/admin/v1/integrations', {
      token,
      body: { resourceAccess: 'all', currentPassword: PASSWORD, ...body },
    });
  const update = (id: string, body: Record<string, unknown>) =>
    s.api.request('PUT', `/admin/v1/integrations/${id}`, {
      token: s.token,
      body: { resourceAccess: 'all', currentPassword: PASSWORD, ...body },
    });
  const list = (query: string) => s.api.request('GET', `/admin/v1/integrations?${query}`, { token: s.token });
  const names = (response: { body: { items: Array<{ name: string }> } }) =>
    response.body.items.map((item) => item.name);

  beforeAll(async () => {
    s = await startAdminStack('gw_e2e');
  });
  afterAll(() => s?.close());

  it('creates an integration (201, Location, contract JSON) and reads it back at once', async () => {
    const correlationId = `gw-e2e-${Date.now()}`;
    const created = await s.api.request('POST', '/admin/v1/integrations', {
      token: s.token,
      headers: { 'x-correlation-id': correlationId },
      body: {
        currentPassword: PASSWORD,
        name: 'Create Check',
        email: 'ops@example.com',
        callbackUrl: 'https://partner.example.com/callback',
        identityLinkUrl: 'http://partner.example.com/login',
        resourceAccess: 'custom',
        resources: ['Magento_Sales::sales'],
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-correlation-id')).toBe(correlationId);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      name: 'Create Check',
      email: 'ops@example.com',
      callbackUrl: 'https://partner.example.com/callback',
      identityLinkUrl: 'http://partner.example.com/login',
      status: 'inactive',
      setupType: 'manual',
      resourceAccess: 'custom',
      resources: ['Magento_Sales::sales'],
      insecure: true,
      suspended: false,
      expiresAt: null,
      expired: false,
      ipAllowList: [],
      rateLimit: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    });
    expect(created.headers.get('location')).toBe(`/admin/v1/integrations/${created.body.id}`);
    expect(JSON.stringify(created.body)).not.toContain(PASSWORD);
    // The registry recorded who and which request (x-actor, x-correlation-id), and no password.
    const commit = await s.registryDb.collection('events').findOne({ streamId: created.body.id });
    expect(commit?.events[0].metadata).toMatchObject({ actor: ADMIN.username, correlationId });
    expect(JSON.stringify(commit)).not.toContain(PASSWORD);

    // Read-your-writes: no 404, no missing row, right after the 201.
    const [got, listed] = await Promise.all([
      s.api.request('GET', `/admin/v1/integrations/${created.body.id}`, { token: s.token }),
      list('name=create%20check'),
    ]);
    expect([got.status, got.body.name]).toEqual([200, 'Create Check']);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
  });

  it('refuses a duplicate name, sequentially and case-insensitively: 409 INTEGRATION.NAME_TAKEN', async () => {
    expect((await create({ name: 'Duplicate Check' })).status).toBe(201);
    for (const name of ['Duplicate Check', 'duplicate check', '  DUPLICATE CHECK  ']) {
      const again = await create({ name });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('INTEGRATION.NAME_TAKEN');
    }
    expect((await list('name=duplicate%20check')).body.total).toBe(1);
  });

  it('lets exactly one of two simultaneous creates with the same name win', async () => {
    const [a, b] = await Promise.all([create({ name: 'Race Check' }), create({ name: 'Race Check' })]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)?.body.error.code).toBe('INTEGRATION.NAME_TAKEN');
    const listed = await list('name=race%20check');
    expect(listed.body.total).toBe(1);
    expect(listed.body.items[0].id).toBe([a, b].find((r) => r.status === 201)?.body.id);
  });

  it('updates with a rename; the new name shows at once and the old name is free again', async () => {
    const original = await create({ name: 'Rename Before' });
    const renamed = await update(original.body.id, { name: 'Rename After', email: 'new@example.com' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id: original.body.id,
      name: 'Rename After',
      email: 'new@example.com',
      version: 2,
    });

    const listed = await list('name=rename');
    expect(names(listed)).toEqual(['Rename After']);
    expect(
      (await s.api.request('GET', `/admin/v1/integrations/${original.body.id}`, { token: s.token })).body.name,
    ).toBe('Rename After');
    const reused = await create({ name: 'Rename Before' });
    expect(reused.status).toBe(201);
    expect(reused.body.id).not.toBe(original.body.id);
  });

  it('deletes (no password, as in Magento), then the same name can be created again', async () => {
    const first = await create({ name: 'Delete Check' });
    const deleted = await s.api.request('DELETE', `/admin/v1/integrations/${first.body.id}`, { token: s.token });
    expect(deleted.status).toBe(200);
    expect((await s.api.request('GET', `/admin/v1/integrations/${first.body.id}`, { token: s.token })).status).toBe(
      404,
    );
    expect((await list('name=delete%20check')).body.total).toBe(0);

    const again = await create({ name: 'Delete Check' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect((await list('name=delete%20check')).body.items.map((i: { id: string }) => i.id)).toEqual([again.body.id]);
    const gone = await s.api.request('DELETE', `/admin/v1/integrations/${first.body.id}`, { token: s.token });
    expect([gone.status, gone.body.error.code]).toEqual([404, 'INTEGRATION.NOT_FOUND']);
  });

  it('passes optimistic concurrency through: a stale If-Match is 409 INTEGRATION.CONFLICT', async () => {
    const created = await create({ name: 'Version Check' });
    expect((await update(created.body.id, { name: 'Version Check 2' })).status).toBe(200);
    const stale = await s.api.request('PUT', `/admin/v1/integrations/${created.body.id}`, {
      token: s.token,
      headers: { 'if-match': '"1"' },
      body: { name: 'Version Check 3', resourceAccess: 'all', currentPassword: PASSWORD },
    });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'INTEGRATION.CONFLICT']);
  });

  it('records each change in the history with the admin who made it', async () => {
    const created = await create({ name: 'History Check' });
    await update(created.body.id, { name: 'History Check', email: 'audit@example.com' });
    const history = await s.api.request('GET', `/admin/v1/integrations/${created.body.id}/history`, { token: s.token });
    expect(history.status).toBe(200);
    const entries = history.body.items as Array<{
      type: string;
      actor: string;
      version: number;
      changes: Record<string, unknown>;
    }>;
    expect(entries.map((e) => [e.type, e.actor, e.version])).toEqual([
      ['IntegrationUpdated', ADMIN.username, 2],
      ['IntegrationCreated', ADMIN.username, 1],
    ]);
    expect(Object.keys(entries[0].changes)).toEqual(['email']);
    expect(JSON.stringify(history.body)).not.toContain(PASSWORD);
  });

  describe('the grid: filters, sorts, paging', () => {
    // Every name carries "lst" so these queries see only this fixture.
    const fixture = ['Alpha Shop lst', 'beta-erp lst', 'Gamma CRM lst', 'delta feed lst', 'Epsilon Shop lst'];
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      for (const name of fixture) {
        const created = await create({ name });
        expect(created.status).toBe(201);
        ids[name] = created.body.id;
      }
      // Touch one so that updatedAt orders differently from createdAt.
      expect((await update(ids['beta-erp lst'], { name: 'beta-erp lst', email: 'erp@example.com' })).status).toBe(200);
    });

    it('filters by name, case-insensitive "contains"', async () => {
      const shops = await list('name=SHOP&sort=name');
      expect(names(shops)).toEqual(['Alpha Shop lst', 'Epsilon Shop lst']);
      expect(shops.body.total).toBe(2);
    });

    it('filters by status', async () => {
      expect((await list('name=lst&status=inactive')).body.total).toBe(5);
      expect((await list('name=lst&status=active')).body).toMatchObject({ items: [], total: 0 });
      expect((await list('name=lst&status=reset')).body.total).toBe(0);
    });

    it.each([
      ['name', ['Alpha Shop lst', 'beta-erp lst', 'delta feed lst', 'Epsilon Shop lst', 'Gamma CRM lst']],
      ['-name', ['Gamma CRM lst', 'Epsilon Shop lst', 'delta feed lst', 'beta-erp lst', 'Alpha Shop lst']],
      ['createdAt', fixture],
      ['-updatedAt', ['beta-erp lst', 'Epsilon Shop lst', 'delta feed lst', 'Gamma CRM lst', 'Alpha Shop lst']],
    ])('sorts by %s', async (sort, expected) => {
      const response = await list(`name=lst&sort=${sort}`);
      expect(response.status).toBe(200);
      expect(names(response)).toEqual(expected);
    });

    it('sorts by status (all inactive here: every row, statuses in order)', async () => {
      const response = await list('name=lst&sort=status');
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(5);
      const statuses = response.body.items.map((item: { status: string }) => item.status);
      expect(statuses).toEqual([...statuses].sort());
    });

    it('pages: page 2 of size 2, with the total', async () => {
      const response = await list('name=lst&sort=name&page=2&pageSize=2');
      expect(response.body).toMatchObject({ total: 5, page: 2, pageSize: 2 });
      expect(names(response)).toEqual(['delta feed lst', 'Epsilon Shop lst']);
      expect(names(await list('name=lst&sort=name&page=3&pageSize=2'))).toEqual(['Gamma CRM lst']);
    });
  });

  it('answers 503 UPSTREAM.UNAVAILABLE when the registry cannot be reached, after checking the password', async () => {
    const orphan = await startTestGateway((await getTestInfra()).mongoUrl, { registryUrl: 'http://127.0.0.1:9' });
    try {
      const token = await orphan.api.login(ADMIN.username, ADMIN.password);
      const listed = await orphan.api.request('GET', '/admin/v1/integrations', { token });
      expect(listed.status).toBe(503);
      expect(listed.body.error.code).toBe('UPSTREAM.UNAVAILABLE');
      expect(listed.body.error.message).toMatch(/cannot be reached/);
      const created = await orphan.api.request('POST', '/admin/v1/integrations', {
        token,
        body: { name: 'x', resourceAccess: 'all', currentPassword: ADMIN.password },
      });
      expect([created.status, created.body.error.code]).toEqual([503, 'UPSTREAM.UNAVAILABLE']);
      // Still in rotation: the signed API does not need the registry.
      const ready = await orphan.api.request('GET', '/health/ready');
      expect([ready.status, ready.body]).toEqual([
        200,
        { status: 'degraded', checks: { mongo: 'up', registry: 'down' } },
      ]);
    } finally {
      await orphan.close();
    }
  });

  it('is ready when Mongo and the registry answer', async () => {
    const ready = await s.api.request('GET', '/health/ready');
    expect([ready.status, ready.body]).toEqual([200, { status: 'up', checks: { mongo: 'up', registry: 'up' } }]);
    expect((await s.api.request('GET', '/health/live')).status).toBe(200);
  });
});
