import { toCloudEvent, Topics } from '@integrations/contracts';
import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName } from '@integrations/testing';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { GRID_COLLECTION } from '../src/integration/integration-grid.projection';
import { HISTORY_COLLECTION } from '../src/integration/integration-history.projection';
import { EVENTS_COLLECTION } from '../src/integration/integration.repository';
import { NAME_RESERVATIONS_COLLECTION } from '../src/integration/name-reservations';
import { rebuildProjections } from '../src/integration/rebuild-projections';
import { type RunningRegistry, startRegistry } from '../src/start';
import { type AclStandIn, startAclStandIn } from './acl-stand-in';
import { partsOf } from './registry-test-env';

/**
 * The registry's internal HTTP API with real Kafka and FerretDB: commands go through the event
 * store, the outbox relay publishes to Kafka, and the grid/history are fed back from Kafka.
 */
let registry: RunningRegistry;
let acl: AclStandIn;
let inspect: mongoose.Connection;
let bus: MessageBus;
let topicPrefix: string;

beforeAll(async () => {
  const { mongoUrl, kafkaBrokers } = await getTestInfra();
  topicPrefix = `${uniqueName('reg')}.`;
  const dbName = uniqueName('registry_api');
  acl = await startAclStandIn();
  registry = await startRegistry(
    {
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      REGISTRY_PORT: 0,
      REGISTRY_DB: dbName,
      REGISTRY_TOPIC_PREFIX: topicPrefix,
      ACL_URL: acl.url,
    },
    { logger: createLogger('registry', process.env.LOG_LEVEL ?? 'warn') },
  );
  inspect = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
  bus = createKafkaMessageBus({
    brokers: kafkaBrokers,
    clientId: `reg-test-${randomUUID().slice(0, 8)}`,
    logLevel: 'error',
  });
  await bus.connect();
});

afterAll(async () => {
  await bus?.disconnect();
  await inspect?.db?.dropDatabase().catch(() => undefined);
  await inspect?.close();
  await registry?.close();
  await acl?.close();
});

// The replies are JSON of many shapes; each test asserts the fields it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call<T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'x-actor': 'alice', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const integration = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  resourceAccess: 'custom',
  resources: ['Magento_Sales::sales'],
  ...extra,
});
const name = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;
const db = () => inspect.db!;
const publish = (topic: string, key: string, value: string) => bus.publish(topic, [{ key, value }]);
const eventCount = () => db().collection(EVENTS_COLLECTION).countDocuments();

async function create(body: Record<string, unknown>, headers?: Record<string, string>) {
  const reply = await call('POST', '/integrations', body, headers);
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('registry HTTP API (Kafka + FerretDB)', () => {
  it('creates an integration and answers the contract JSON', async () => {
    const n = name('ERP');
    const reply = await call('POST', '/integrations', {
      name: `  ${n}  `,
      email: 'ops@example.com',
      callbackUrl: 'http://erp.example.com/cb',
      identityLinkUrl: '',
      resourceAccess: 'custom',
      resources: ['Magento_Sales::sales_order', 'Magento_Catalog::catalog', 'Magento_Sales::sales_order'],
    });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual(
      [
        'id',
        'name',
        'email',
        'callbackUrl',
        'identityLinkUrl',
        'status',
        'setupType',
        'resourceAccess',
        'resources',
        'insecure',
        'suspended',
        'expiresAt',
        'expired',
        'ipAllowList',
        'rateLimit',
        'createdAt',
        'updatedAt',
        'version',
      ].sort(),
    );
    expect(reply.body).toMatchObject({
      name: n,
      email: 'ops@example.com',
      callbackUrl: 'http://erp.example.com/cb',
      identityLinkUrl: null,
      status: 'inactive',
      setupType: 'manual',
      resourceAccess: 'custom',
      resources: ['Magento_Catalog::catalog', 'Magento_Sales::sales_order'],
      insecure: true,
      version: 1,
    });
    expect(reply.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const got = await call('GET', `/integrations/${reply.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(reply.body);
  });

  it('stores "all" with no resource ids', async () => {
    const body = await create(integration(name('All'), { resourceAccess: 'all', resources: ['Magento_Sales::sales'] }));
    expect(body).toMatchObject({ resourceAccess: 'all', resources: [], insecure: false });
  });

  it('refuses a duplicate name, whatever its case, and stores nothing', async () => {
    const n = name('Dup');
    await create(integration(n));
    const before = await eventCount();
    const reply = await call('POST', '/integrations', integration(` ${n.toUpperCase()} `));
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({
      code: 'INTEGRATION.NAME_TAKEN',
      message: `The integration with name "${n.toUpperCase()}" exists.`,
    });
    expect(await eventCount()).toBe(before);
  });

  it('lets exactly one of two simultaneous creates with the same name win', async () => {
    for (let round = 0; round < 5; round++) {
      const n = name('Race');
      const replies = await Promise.all([
        call('POST', '/integrations', integration(n)),
        call('POST', '/integrations', integration(n.toLowerCase())),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(replies.find((r) => r.status === 409)!.body.error.code).toBe('INTEGRATION.NAME_TAKEN');
      const winner = replies.find((r) => r.status === 201)!.body;
      expect(
        await db()
          .collection(NAME_RESERVATIONS_COLLECTION)
          .findOne({ _id: n.toLowerCase() } as never),
      ).toMatchObject({ integrationId: winner.id });
    }
  });

  it('frees the old name on rename and takes the new one', async () => {
    const oldName = name('Old');
    const newName = name('New');
    const created = await create(integration(oldName));
    const renamed = await call('PUT', `/integrations/${created.id}`, integration(newName));
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.id, name: newName, version: 2, createdAt: created.createdAt });

    expect((await call('POST', '/integrations', integration(oldName))).status).toBe(201);
    const taken = await call('POST', '/integrations', integration(newName));
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('INTEGRATION.NAME_TAKEN');
  });

  it('refuses a rename onto a name in use', async () => {
    const first = await create(integration(name('First')));
    const second = await create(integration(name('Second')));
    const reply = await call('PUT', `/integrations/${second.id}`, integration(first.name.toUpperCase()));
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('INTEGRATION.NAME_TAKEN');
    expect((await call('GET', `/integrations/${second.id}`)).body).toMatchObject({ name: second.name, version: 1 });
  });

  it('changes only the letter case of a name without a conflict with itself', async () => {
    const created = await create(integration(name('Casey')));
    const reply = await call('PUT', `/integrations/${created.id}`, integration(created.name.toUpperCase()));
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe(created.name.toUpperCase());
  });

  it('answers an update that changes nothing with the current version and stores nothing', async () => {
    const created = await create(integration(name('Same')));
    const before = await eventCount();
    const reply = await call('PUT', `/integrations/${created.id}`, integration(created.name));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(created);
    expect(await eventCount()).toBe(before);
  });

  it('deletes, then lets the name be created again', async () => {
    const n = name('Phoenix');
    const created = await create(integration(n));
    const deleted = await call('DELETE', `/integrations/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: created.id, deleted: true, version: 2 });
    expect((await call('GET', `/integrations/${created.id}`)).status).toBe(404);
    const again = await call('POST', '/integrations', integration(n));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(created.id);
  });

  it('answers 404 INTEGRATION.NOT_FOUND for a missing or deleted integration', async () => {
    const created = await create(integration(name('Gone')));
    await call('DELETE', `/integrations/${created.id}`);
    for (const id of [randomUUID(), created.id, 'not a uuid']) {
      const path = `/integrations/${encodeURIComponent(id)}`;
      for (const [method, body] of [['GET'], ['PUT', integration(name('x'))], ['DELETE']] as const) {
        const reply = await call(method, path, body);
        expect([method, id, reply.status]).toEqual([method, id, 404]);
        expect(reply.body.error).toEqual({
          code: 'INTEGRATION.NOT_FOUND',
          message: 'This integration no longer exists.',
        });
      }
    }
    expect((await call('GET', `/integrations/${randomUUID()}/history`)).status).toBe(404);
  });

  it('lets one of two concurrent updates from the same version win; the other gets INTEGRATION.CONFLICT', async () => {
    const created = await create(integration(name('Contended')));
    const replies = await Promise.all([
      call('PUT', `/integrations/${created.id}`, {
        ...integration(created.name),
        email: 'a@example.com',
        expectedVersion: 1,
      }),
      call('PUT', `/integrations/${created.id}`, integration(created.name, { email: 'b@example.com' }), {
        'if-match': '"1"',
      }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(replies.find((r) => r.status === 409)!.body.error.code).toBe('INTEGRATION.CONFLICT');
    const winner = replies.find((r) => r.status === 200)!.body;
    expect((await call('GET', `/integrations/${created.id}`)).body).toMatchObject({ email: winner.email, version: 2 });
  });

  it('refuses a stale expectedVersion on update and delete', async () => {
    const created = await create(integration(name('Stale')));
    await call('PUT', `/integrations/${created.id}`, integration(created.name, { email: 'x@example.com' }));
    const update = await call('PUT', `/integrations/${created.id}`, {
      ...integration(created.name),
      expectedVersion: 1,
    });
    expect(update.status).toBe(409);
    expect(update.body.error.code).toBe('INTEGRATION.CONFLICT');
    const remove = await call('DELETE', `/integrations/${created.id}?expectedVersion=1`);
    expect(remove.status).toBe(409);
    expect((await call('DELETE', `/integrations/${created.id}`, undefined, { 'if-match': '2' })).status).toBe(200);
  });

  describe('read-your-writes', () => {
    it('lists a just-created integration at once when the client passes minVersion', async () => {
      const n = name('Fresh');
      const created = await create(integration(n), { 'x-actor': `nobody-${randomUUID()}` });
      const list = await call(
        'GET',
        `/integrations?name=${encodeURIComponent(n)}&minVersion=${created.version}&minVersionId=${created.id}`,
        undefined,
        { 'x-actor': `other-${randomUUID()}` },
      );
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([{ ...created, lastUsedAt: null }]);
    });

    it('lists each write at once when the gateway passes it as minVersionId + minVersion', async () => {
      const n = name('Mine');
      const listAfter = (write: { id: string; version: number }) =>
        call('GET', `/integrations?name=${encodeURIComponent(n)}&minVersionId=${write.id}&minVersion=${write.version}`);
      const created = await create(integration(n));
      expect((await listAfter(created)).body.items.map((i: { id: string }) => i.id)).toEqual([created.id]);

      const renamed = await call('PUT', `/integrations/${created.id}`, integration(`${n} v2`));
      const afterRename = await listAfter(renamed.body);
      expect(afterRename.body.items).toMatchObject([
        { id: created.id, name: `${n} v2`, version: renamed.body.version },
      ]);

      const deleted = await call('DELETE', `/integrations/${created.id}`);
      const afterDelete = await listAfter(deleted.body);
      expect(afterDelete.body.total).toBe(0);
      expect(afterDelete.headers.get('x-read-your-writes')).toBeNull();
    });

    it('answers a read at once without minVersion: no replica remembers writes for an admin', async () => {
      const list = await call('GET', `/integrations?name=${encodeURIComponent(name('Nothing'))}`);
      expect(list.status).toBe(200);
      expect(list.headers.get('x-read-your-writes')).toBeNull();
    });

    it('answers GET one at once for a version it holds, and flags one it never reached', async () => {
      const created = await create(integration(name('One')));
      const current = await call('GET', `/integrations/${created.id}?minVersion=1`);
      expect(current).toMatchObject({ status: 200, body: { id: created.id, version: 1 } });
      expect(current.headers.get('x-read-your-writes')).toBeNull();
      const ahead = await call('GET', `/integrations/${created.id}?minVersion=9`);
      expect(ahead).toMatchObject({ status: 200, body: { id: created.id, version: 1 } });
      expect(ahead.headers.get('x-read-your-writes')).toBe('timeout');
      const bad = await call('GET', `/integrations/${created.id}?minVersion=zero`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0]).toMatchObject({ field: 'minVersion', code: 'REQUEST.INVALID_VALUE' });
    });

    it('serves the history with the admin who caused each event, newest first, right after the write', async () => {
      const created = await create(integration(name('Audited')), { 'x-actor': 'dave' });
      await call('PUT', `/integrations/${created.id}`, integration(created.name, { email: 'ops@example.com' }), {
        'x-actor': 'erin',
      });
      const history = await call('GET', `/integrations/${created.id}/history`);
      expect(history.status).toBe(200);
      expect(history.body).toMatchObject({ integrationId: created.id, total: 2, page: 1 });
      expect(history.body.items).toMatchObject([
        { version: 2, type: 'IntegrationUpdated', actor: 'erin', changes: { email: 'ops@example.com' } },
        { version: 1, type: 'IntegrationCreated', actor: 'dave', changes: { name: created.name, status: 'inactive' } },
      ]);
      expect(history.body.items[1].at).toBe(created.createdAt);
    });
  });

  it('lists with filter, sort and paging', async () => {
    const tag = randomUUID().slice(0, 8);
    const created = [];
    for (const label of ['Charlie', 'alpha', 'Bravo']) created.push(await create(integration(`${label} ${tag}`)));
    // Read-your-writes waits for one stream; the three streams may sit on different partitions and be
    // projected in any order, so wait for each of them before reading the list.
    for (const item of created) {
      const waited = await call('GET', `/integrations?name=${tag}&minVersion=${item.version}&minVersionId=${item.id}`);
      expect(waited.status).toBe(200);
    }
    const page = await call('GET', `/integrations?name=${tag}&sort=-name&pageSize=2`);
    expect(page.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.body.items.map((i: { name: string }) => i.name)).toEqual([`Charlie ${tag}`, `Bravo ${tag}`]);
    const next = await call('GET', `/integrations?name=${tag.toUpperCase()}&sort=-name&pageSize=2&page=2`);
    expect(next.body.items.map((i: { name: string }) => i.name)).toEqual([`alpha ${tag}`]);
    const byCreation = await call('GET', `/integrations?name=${tag}&status=inactive&sort=createdAt`);
    expect(byCreation.body.items.map((i: { id: string }) => i.id)).toEqual(created.map((c) => c.id));
    expect((await call('GET', `/integrations?name=${tag}&status=active`)).body.total).toBe(0);
  });

  it.each([
    ['pageSize above 200', 'pageSize=201', 'pageSize'],
    ['pageSize 0', 'pageSize=0', 'pageSize'],
    ['page 0', 'page=0', 'page'],
    ['page not a number', 'page=two', 'page'],
    ['unknown sort field', 'sort=email', 'sort'],
    ['unknown status', 'status=recalled', 'status'],
    ['unknown parameter', 'color=red', ''],
    ['minVersion without minVersionId', 'minVersion=3', 'minVersion'],
  ])('refuses a list query with %s', async (_label, query, field) => {
    const reply = await call('GET', `/integrations?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('REQUEST.INVALID');
    expect(reply.body.error.details.map((d: { field?: string }) => d.field ?? '')).toContain(field);
  });

  describe('bad input is refused with 400 and stores nothing', () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['no name', { resourceAccess: 'all' }, 'name', 'REQUEST.FIELD_REQUIRED'],
      ['blank name', integration('   '), 'name', 'INTEGRATION.NAME_REQUIRED'],
      ['256-character name', integration('n'.repeat(256)), 'name', 'INTEGRATION.NAME_TOO_LONG'],
      ['invalid email', integration('x', { email: 'not-an-email' }), 'email', 'INTEGRATION.EMAIL_INVALID'],
      [
        'javascript: callback',
        integration('x', { callbackUrl: 'javascript:alert(1)' }),
        'callbackUrl',
        'INTEGRATION.URL_SCHEME',
      ],
      [
        'relative identity link',
        integration('x', { identityLinkUrl: '/login' }),
        'identityLinkUrl',
        'INTEGRATION.URL_INVALID',
      ],
      [
        'credentials in URL',
        integration('x', { callbackUrl: 'https://u:p@example.com/' }),
        'callbackUrl',
        'INTEGRATION.URL_CREDENTIALS',
      ],
      [
        'bad resourceAccess',
        integration('x', { resourceAccess: 'everything' }),
        'resourceAccess',
        'REQUEST.INVALID_VALUE',
      ],
      ['unknown field', integration('x', { status: 'active' }), '', 'REQUEST.UNKNOWN_FIELD'],
    ];
    it.each(cases)('%s', async (_label, body, field, code) => {
      const before = await eventCount();
      const reply = await call('POST', '/integrations', body);
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('REQUEST.INVALID');
      expect(reply.body.error.details).toContainEqual(expect.objectContaining({ code, ...(field ? { field } : {}) }));
      expect(await eventCount()).toBe(before);
    });

    it('unknown ACL resources, listing them', async () => {
      const before = await eventCount();
      const reply = await call(
        'POST',
        '/integrations',
        integration(name('Acl'), { resources: ['Magento_Sales::sales', 'Magento_Foo::bar', 'Magento_Backend::all'] }),
      );
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('INTEGRATION.UNKNOWN_RESOURCES');
      expect(reply.body.error.details.map((d: { resource: string }) => d.resource)).toEqual([
        'Magento_Backend::all',
        'Magento_Foo::bar',
      ]);
      expect(await eventCount()).toBe(before);
    });

    it('malformed JSON', async () => {
      const reply = await call('POST', '/integrations', '{"name": ');
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('REQUEST.INVALID_JSON');
    });

    it('an invalid update leaves the integration as it was', async () => {
      const created = await create(integration(name('Keep')));
      const reply = await call(
        'PUT',
        `/integrations/${created.id}`,
        integration(created.name, { callbackUrl: 'file:///etc/passwd' }),
      );
      expect(reply.status).toBe(400);
      expect((await call('GET', `/integrations/${created.id}`)).body).toEqual(created);
    });
  });

  it('refuses admin edits and deletes of config-type integrations', async () => {
    const id = randomUUID();
    const n = name('FromConfig');
    await partsOf(registry).repository.append(
      id,
      0,
      [
        {
          type: 'IntegrationCreated',
          payload: {
            integrationId: id,
            name: n,
            email: null,
            callbackUrl: null,
            identityLinkUrl: null,
            resourceAccess: 'all',
            resources: [],
            setupType: 'config',
            insecure: false,
          },
        },
      ],
      { now: new Date(), actor: 'config', correlationId: randomUUID() },
    );
    const update = await call('PUT', `/integrations/${id}`, integration(n));
    expect(update.status).toBe(409);
    expect(update.body.error.code).toBe('INTEGRATION.CONFIG_MANAGED');
    const remove = await call('DELETE', `/integrations/${id}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error).toEqual({
      code: 'INTEGRATION.CONFIG_MANAGED',
      message: `Uninstall the extension to remove integration "${n}".`,
    });
  });

  describe('dangling name reservations (a crash between reserve and append)', () => {
    const reservations = () => db().collection(NAME_RESERVATIONS_COLLECTION);

    it('takes over an old reservation whose holder never stored an event', async () => {
      const n = name('Orphan');
      await reservations().insertOne({
        _id: n.toLowerCase(),
        integrationId: randomUUID(),
        at: new Date(Date.now() - 5 * 60_000),
      } as never);
      const reply = await call('POST', '/integrations', integration(n));
      expect(reply.status).toBe(201);
      expect(await reservations().findOne({ _id: n.toLowerCase() } as never)).toMatchObject({
        integrationId: reply.body.id,
      });
    });

    it('respects a fresh reservation (its create may still be in flight)', async () => {
      const n = name('InFlight');
      await reservations().insertOne({ _id: n.toLowerCase(), integrationId: randomUUID(), at: new Date() } as never);
      expect((await call('POST', '/integrations', integration(n))).status).toBe(409);
    });

    it('takes over at once a reservation held by a deleted integration', async () => {
      const n = name('Deleted holder');
      const created = await create(integration(n));
      await partsOf(registry).repository.append(
        created.id,
        1,
        [{ type: 'IntegrationDeleted', payload: { integrationId: created.id, name: n } }],
        {
          now: new Date(),
          actor: 'alice',
          correlationId: randomUUID(),
        },
      ); // deleted without releasing the name, as a crash would leave it
      expect((await call('POST', '/integrations', integration(n))).status).toBe(201);
    });
  });

  it('shows lastUsedAt in the grid once the oauth side reports use', async () => {
    const created = await create(integration(name('Busy')));
    const lastUsedAt = '2025-06-01T12:00:00.000Z';
    const event = toCloudEvent(
      {
        streamId: created.id,
        version: 1,
        type: 'IntegrationUsageRecorded',
        payload: { integrationId: created.id, lastUsedAt, uses: 12 },
        timestamp: new Date(),
        metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: created.id },
      },
      '/integrations/oauth',
    );
    await publish(`${topicPrefix}${Topics.oauth}`, created.id, JSON.stringify(event));
    const deadline = Date.now() + 10_000;
    let row;
    do {
      row = (await call('GET', `/integrations?name=${encodeURIComponent(created.name)}`)).body.items[0];
      if (row?.lastUsedAt) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    expect(row).toMatchObject({ id: created.id, lastUsedAt });
    expect(
      await db()
        .collection(GRID_COLLECTION)
        .findOne({ _id: created.id } as never),
    ).toMatchObject({ uses: 12 });
  });

  it('makes a read wait until the projection has caught up with the requested version', async () => {
    // With the relay paused the event is stored but not published: the list has to wait for it.
    await partsOf(registry).relay.stop();
    const n = name('Delayed');
    let created;
    try {
      created = await create(integration(n), { 'x-actor': `frank-${randomUUID()}` });
    } finally {
      setTimeout(() => partsOf(registry).relay.start(), 400);
    }
    const started = Date.now();
    const list = await call(
      'GET',
      `/integrations?name=${encodeURIComponent(n)}&minVersion=1&minVersionId=${created.id}`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([created.id]);
    expect(list.headers.get('x-read-your-writes')).toBeNull();
  });

  it('answers health probes', async () => {
    expect((await call('GET', '/health/live')).body).toEqual({ status: 'up' });
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'up', checks: { mongo: 'up', kafka: 'up', manifest: 'up' } });
  });

  it('rebuilds grid and history by replay into collections equal to the Kafka-fed live ones', async () => {
    // Self-contained when run alone; after the whole file it replays every test's events.
    const own = await create(integration(name('Replayed')));
    await call('PUT', `/integrations/${own.id}`, integration(`${own.name} v2`));
    const { store, grid, history } = partsOf(registry);
    const heads = new Map<string, number>();
    for await (const event of store.readAll()) heads.set(event.streamId, event.version);
    const deadline = Date.now() + 15_000;
    const caughtUp = async () => {
      for (const [id, version] of heads) {
        if ((await grid.versionOf(id)) < version || (await history.versionOf(id)) < version) return false;
      }
      return true;
    };
    while (!(await caughtUp()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const targets = { grid: 'integration_grid_rebuilt', history: 'integration_history_rebuilt' };
    const result = await rebuildProjections(store, db(), targets, grid.collection);
    expect(result.events).toBe([...heads.values()].reduce((sum, v) => sum + v, 0));
    const all = (name: string) => db().collection(name).find({}).sort({ _id: 1 }).toArray();
    expect(await all(targets.grid)).toEqual(await all(GRID_COLLECTION));
    expect(await all(targets.history)).toEqual(await all(HISTORY_COLLECTION));
  });
});
