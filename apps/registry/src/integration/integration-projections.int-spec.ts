import type { IntegrationEvent } from '@integrations/contracts';
import { connectMongo, EventStore } from '@integrations/event-store';
import { randomUUID } from 'node:crypto';
import type mongoose from 'mongoose';
import { testInfra, uniqueName } from '../../test/registry-test-env';
import { type GridDocument, IntegrationGridProjection } from './integration-grid.projection';
import { type HistoryDocument, IntegrationHistoryProjection } from './integration-history.projection';
import { fromStoredEvent, type ProjectedEvent } from './projected-event';
import { promoteRebuild, rebuildProjections } from './rebuild-projections';

let connection: mongoose.Connection;
let db: mongoose.mongo.Db;
let grid: IntegrationGridProjection;
let history: IntegrationHistoryProjection;

beforeAll(async () => {
  const { mongoUrl } = testInfra();
  connection = await connectMongo(mongoUrl, uniqueName('registry_projections'));
  db = connection.db!;
});

afterAll(async () => {
  await db?.dropDatabase();
  await connection?.close();
});

beforeEach(async () => {
  const suffix = randomUUID().slice(0, 8);
  grid = new IntegrationGridProjection(db.collection<GridDocument>(`grid_${suffix}`));
  history = new IntegrationHistoryProjection(db.collection<HistoryDocument>(`history_${suffix}`));
  await grid.ensureIndexes();
  await history.ensureIndexes();
});

const t = (minute: number) => new Date(Date.UTC(2025, 0, 1, 10, minute));

function createdEvent(
  id: string,
  name: string,
  extra: Partial<{ callbackUrl: string | null; resources: string[] }> = {},
): IntegrationEvent {
  return {
    type: 'IntegrationCreated',
    payload: {
      integrationId: id,
      name,
      email: 'ops@example.com',
      callbackUrl: extra.callbackUrl ?? null,
      identityLinkUrl: null,
      resourceAccess: 'custom',
      resources: extra.resources ?? ['Magento_Sales::sales'],
      setupType: 'manual',
      insecure: extra.callbackUrl?.startsWith('http:') ?? false,
    },
  };
}

const at = (id: string, version: number, event: IntegrationEvent, minute: number, actor = 'alice'): ProjectedEvent => ({
  streamId: id,
  version,
  type: event.type,
  payload: event.payload,
  timestamp: t(minute),
  actor,
});

async function project(event: ProjectedEvent) {
  await history.apply(event);
  return grid.apply(event);
}

describe('grid and history projections (FerretDB)', () => {
  it('projects a lifecycle into the grid row and one history entry per event', async () => {
    const id = randomUUID();
    await project(at(id, 1, createdEvent(id, 'ERP Sync', { callbackUrl: 'http://erp.example.com/cb' }), 0));
    await project(
      at(
        id,
        2,
        {
          type: 'IntegrationUpdated',
          payload: {
            integrationId: id,
            changes: { name: 'ERP Sync 2', callbackUrl: 'https://erp.example.com/cb', insecure: false },
          },
        },
        1,
        'bob',
      ),
    );
    await project(at(id, 3, { type: 'IntegrationActivated', payload: { integrationId: id, mode: 'tokens' } }, 2));

    expect(await grid.collection.findOne({ _id: id })).toEqual({
      _id: id,
      version: 3,
      name: 'ERP Sync 2',
      nameLower: 'erp sync 2',
      email: 'ops@example.com',
      callbackUrl: 'https://erp.example.com/cb',
      identityLinkUrl: null,
      status: 'active',
      setupType: 'manual',
      resourceAccess: 'custom',
      resources: ['Magento_Sales::sales'],
      insecure: false,
      createdAt: t(0),
      updatedAt: t(2),
      lastUsedAt: null,
      uses: 0,
      deleted: false,
    });

    const entries = await history.list(id, 1, 10);
    expect(entries.total).toBe(3);
    expect(entries.items.map((e) => [e.version, e.type, e.actor, e.at])).toEqual([
      [3, 'IntegrationActivated', 'alice', t(2)],
      [2, 'IntegrationUpdated', 'bob', t(1)],
      [1, 'IntegrationCreated', 'alice', t(0)],
    ]);
    expect(entries.items[1]!.changes).toEqual({
      name: 'ERP Sync 2',
      callbackUrl: 'https://erp.example.com/cb',
      insecure: false,
    });
    expect(entries.items[0]!.changes).toEqual({ status: 'active', mode: 'tokens' });
  });

  it('treats an event applied twice as a no-op', async () => {
    const id = randomUUID();
    const created = at(id, 1, createdEvent(id, 'Twice'), 0);
    const renamed = at(
      id,
      2,
      { type: 'IntegrationUpdated', payload: { integrationId: id, changes: { name: 'Twice renamed' } } },
      1,
    );
    expect(await project(created)).toBe('applied');
    expect(await project(renamed)).toBe('applied');
    const before = await grid.collection.findOne({ _id: id });

    expect(await project(created)).toBe('duplicate');
    expect(await project(renamed)).toBe('duplicate');
    expect(await history.apply(renamed)).toBe('duplicate');

    expect(await grid.collection.findOne({ _id: id })).toEqual(before);
    expect(await history.collection.countDocuments({ integrationId: id })).toBe(2);
  });

  it('reports a gap instead of applying an event ahead of its predecessor', async () => {
    const id = randomUUID();
    await project(at(id, 1, createdEvent(id, 'Gappy'), 0));
    const third = at(id, 3, { type: 'IntegrationActivated', payload: { integrationId: id, mode: 'tokens' } }, 2);
    expect(await grid.apply(third)).toBe('gap');
    expect(await grid.collection.findOne({ _id: id })).toMatchObject({ version: 1, status: 'inactive' });
  });

  it('keeps a deleted integration as a tombstone that lists exclude and a redelivered create cannot revive', async () => {
    const id = randomUUID();
    const created = at(id, 1, createdEvent(id, 'Doomed'), 0);
    await project(created);
    await project(at(id, 2, { type: 'IntegrationDeleted', payload: { integrationId: id, name: 'Doomed' } }, 1));
    expect(await project(created)).toBe('duplicate');
    expect(
      (await grid.list({ name: 'doomed', sort: { field: 'name', direction: 1 }, page: 1, pageSize: 20 })).total,
    ).toBe(0);
    expect((await history.list(id, 1, 10)).items[0]).toMatchObject({
      type: 'IntegrationDeleted',
      changes: { deleted: true },
    });
  });

  it('advances the version on an event type this build does not know', async () => {
    const id = randomUUID();
    await project(at(id, 1, createdEvent(id, 'Future'), 0));
    expect(
      await grid.apply({
        streamId: id,
        version: 2,
        type: 'IntegrationRenamedInTheFuture',
        payload: { integrationId: id },
        timestamp: t(1),
        actor: null,
      }),
    ).toBe('applied');
    expect(
      await grid.apply(at(id, 3, { type: 'IntegrationActivated', payload: { integrationId: id, mode: 'tokens' } }, 2)),
    ).toBe('applied');
    expect(await grid.collection.findOne({ _id: id })).toMatchObject({ version: 3, status: 'active', name: 'Future' });
  });

  it('files partner notification attempts under the change notified, once each, above it', async () => {
    const id = randomUUID();
    await project(at(id, 1, createdEvent(id, 'Notified', { callbackUrl: 'https://partner.example.com/cb' }), 0));
    await project(at(id, 2, { type: 'IntegrationReauthorized', payload: { integrationId: id, mode: 'tokens' } }, 1));
    const attempt = (eventId: string, minute: number, delivered: boolean) => ({
      eventId,
      type: delivered ? ('PartnerNotificationDelivered' as const) : ('PartnerNotificationFailed' as const),
      at: t(minute),
      data: {
        integrationId: id,
        integrationVersion: 2,
        notification: 'integration.reauthorized',
        attempt: delivered ? 2 : 1,
        host: 'partner.example.com',
        status: delivered ? 200 : 500,
        ...(delivered ? {} : { code: 'OAUTH.CALLBACK_FAILED', nextAttemptAt: t(3).toISOString() }),
      },
    });
    expect(await history.applyNotification(attempt('e1', 2, false))).toBe('applied');
    expect(await history.applyNotification(attempt('e2', 4, true))).toBe('applied');
    expect(await history.applyNotification(attempt('e1', 2, false))).toBe('duplicate');

    const { items, total } = await history.list(id, 1, 10);
    expect(total).toBe(4);
    expect(items.map((entry) => [entry.version, entry.type])).toEqual([
      [2, 'PartnerNotificationDelivered'],
      [2, 'PartnerNotificationFailed'],
      [2, 'IntegrationReauthorized'],
      [1, 'IntegrationCreated'],
    ]);
    expect(items[1]!.changes).toEqual({
      notification: 'integration.reauthorized',
      attempt: 1,
      host: 'partner.example.com',
      httpStatus: 500,
      failure: 'OAUTH.CALLBACK_FAILED',
      nextAttemptAt: t(3).toISOString(),
    });
    // Read-your-writes follows the integration's own events only.
    await history.applyNotification({
      ...attempt('e3', 5, true),
      data: { ...attempt('e3', 5, true).data, integrationVersion: 3 },
    });
    expect(await history.versionOf(id)).toBe(2);
  });

  it('records usage as running maxima, ignoring stale or repeated reports', async () => {
    const id = randomUUID();
    await project(at(id, 1, createdEvent(id, 'Used'), 0));
    expect(await grid.recordUsage(id, t(30), 5)).toBe(true);
    expect(await grid.recordUsage(id, t(20), 3)).toBe(true); // late, older report
    expect(await grid.collection.findOne({ _id: id })).toMatchObject({ lastUsedAt: t(30), uses: 5 });
    expect(await grid.recordUsage(randomUUID(), t(30), 1)).toBe(false);
  });

  describe('list', () => {
    const rows = [
      { name: 'Alpha ERP', status: 'active', minute: 5 },
      { name: 'beta crm', status: 'inactive', minute: 1 },
      { name: 'Gamma (ERP) v1.2', status: 'inactive', minute: 3 },
      { name: 'delta', status: 'reset', minute: 4 },
      { name: 'Epsilon erp', status: 'active', minute: 2 },
      { name: 'axb', status: 'inactive', minute: 6 },
    ] as const;
    const ids = new Map<string, string>();

    beforeEach(async () => {
      for (const row of rows) {
        const id = randomUUID();
        ids.set(row.name, id);
        await project(at(id, 1, createdEvent(id, row.name), row.minute));
        if (row.status === 'active')
          await project(
            at(
              id,
              2,
              { type: 'IntegrationActivated', payload: { integrationId: id, mode: 'tokens' } },
              10 + row.minute,
            ),
          );
        if (row.status === 'reset')
          await project(at(id, 2, { type: 'IntegrationReset', payload: { integrationId: id } }, 10 + row.minute));
      }
    });

    const names = async (query: Partial<Parameters<IntegrationGridProjection['list']>[0]>) =>
      (await grid.list({ sort: { field: 'createdAt', direction: 1 }, page: 1, pageSize: 20, ...query })).items.map(
        (row) => row.name,
      );

    it('filters by name, case-insensitive contains', async () => {
      expect(await names({ name: 'erp' })).toEqual(['Epsilon erp', 'Gamma (ERP) v1.2', 'Alpha ERP']);
      expect(await names({ name: '  ERP  ' })).toEqual(['Epsilon erp', 'Gamma (ERP) v1.2', 'Alpha ERP']);
    });

    it('takes regex metacharacters in the name filter literally', async () => {
      expect(await names({ name: '(erp)' })).toEqual(['Gamma (ERP) v1.2']);
      expect(await names({ name: 'v1.2' })).toEqual(['Gamma (ERP) v1.2']);
      expect(await names({ name: 'a.b' })).toEqual([]);
      expect(await names({ name: '.*' })).toEqual([]);
      expect(await names({ name: '[' })).toEqual([]);
    });

    it('filters by status, alone and with a name', async () => {
      expect(await names({ status: 'active' })).toEqual(['Epsilon erp', 'Alpha ERP']);
      expect(await names({ status: 'reset' })).toEqual(['delta']);
      expect(await names({ status: 'inactive', name: 'erp' })).toEqual(['Gamma (ERP) v1.2']);
    });

    it('sorts by each field in both directions', async () => {
      expect(await names({ sort: { field: 'name', direction: 1 } })).toEqual([
        'Alpha ERP',
        'axb',
        'beta crm',
        'delta',
        'Epsilon erp',
        'Gamma (ERP) v1.2',
      ]);
      expect(await names({ sort: { field: 'name', direction: -1 } })).toEqual([
        'Gamma (ERP) v1.2',
        'Epsilon erp',
        'delta',
        'beta crm',
        'axb',
        'Alpha ERP',
      ]);
      expect(await names({ sort: { field: 'createdAt', direction: -1 } })).toEqual([
        'axb',
        'Alpha ERP',
        'delta',
        'Gamma (ERP) v1.2',
        'Epsilon erp',
        'beta crm',
      ]);
      // updatedAt: activation/reset moved some rows to 10 + minute.
      expect(await names({ sort: { field: 'updatedAt', direction: 1 } })).toEqual([
        'beta crm',
        'Gamma (ERP) v1.2',
        'axb',
        'Epsilon erp',
        'delta',
        'Alpha ERP',
      ]);
      expect(await names({ sort: { field: 'updatedAt', direction: -1 } })).toEqual([
        'Alpha ERP',
        'delta',
        'Epsilon erp',
        'axb',
        'Gamma (ERP) v1.2',
        'beta crm',
      ]);
      const byStatus = await grid.list({ sort: { field: 'status', direction: 1 }, page: 1, pageSize: 20 });
      expect(byStatus.items.map((row) => row.status)).toEqual([
        'active',
        'active',
        'inactive',
        'inactive',
        'inactive',
        'reset',
      ]);
      const byStatusDesc = await grid.list({ sort: { field: 'status', direction: -1 }, page: 1, pageSize: 20 });
      expect(byStatusDesc.items.map((row) => row.status)).toEqual([
        'reset',
        'inactive',
        'inactive',
        'inactive',
        'active',
        'active',
      ]);
    });

    it('pages with a total', async () => {
      const sort = { field: 'name', direction: 1 } as const;
      const first = await grid.list({ sort, page: 1, pageSize: 4 });
      const second = await grid.list({ sort, page: 2, pageSize: 4 });
      const third = await grid.list({ sort, page: 3, pageSize: 4 });
      expect([first.total, second.total, third.total]).toEqual([6, 6, 6]);
      expect(first.items.map((r) => r.name)).toEqual(['Alpha ERP', 'axb', 'beta crm', 'delta']);
      expect(second.items.map((r) => r.name)).toEqual(['Epsilon erp', 'Gamma (ERP) v1.2']);
      expect(third.items).toEqual([]);
      expect((await grid.list({ sort, name: 'erp', page: 1, pageSize: 2 })).total).toBe(3);
    });
  });

  it('rebuilds from the event store by replay into collections equal to the live ones', async () => {
    const store = new EventStore(connection, { collection: `events_${randomUUID().slice(0, 8)}` });
    await store.ensureIndexes();
    const meta = (actor: string) => ({ eventId: randomUUID(), correlationId: randomUUID(), actor });
    const append = async (id: string, expected: number, events: IntegrationEvent[], minute: number, actor = 'alice') =>
      store.append(
        id,
        expected,
        events.map((e) => ({ ...e, metadata: meta(actor), timestamp: t(minute) })),
      );

    const a = randomUUID();
    const b = randomUUID();
    const c = randomUUID();
    const stored = [
      ...(await append(a, 0, [createdEvent(a, 'Rebuild A')], 0)),
      ...(await append(b, 0, [createdEvent(b, 'Rebuild B', { callbackUrl: 'http://b.example.com' })], 1, 'bob')),
      ...(await append(
        a,
        1,
        [{ type: 'IntegrationUpdated', payload: { integrationId: a, changes: { email: null } } }],
        2,
      )),
      ...(await append(c, 0, [createdEvent(c, 'Rebuild C')], 3)),
      ...(await append(
        b,
        1,
        [{ type: 'IntegrationActivated', payload: { integrationId: b, mode: 'tokens' } }],
        4,
        'bob',
      )),
      ...(await append(c, 1, [{ type: 'IntegrationDeleted', payload: { integrationId: c, name: 'Rebuild C' } }], 5)),
    ];
    // The live side sees at-least-once delivery: everything twice, the second time in reverse.
    for (const event of [...stored, ...[...stored].reverse()]) await project(fromStoredEvent(event));
    await grid.recordUsage(b, t(50), 7);
    await history.applyNotification({
      eventId: randomUUID(),
      type: 'PartnerNotificationDelivered',
      at: t(51),
      data: {
        integrationId: b,
        integrationVersion: 2,
        notification: 'integration.reauthorized',
        attempt: 1,
        host: 'b.example.com',
        status: 200,
      },
    });

    const result = await rebuildProjections(
      store,
      db,
      { grid: `${grid.collection.collectionName}_rebuilt`, history: `${history.collection.collectionName}_rebuilt` },
      grid.collection,
      history.collection,
    );
    expect(result).toMatchObject({ events: 6, usageCarried: 1, notificationsCarried: 1 });

    const all = async (name: string) => db.collection(name).find({}).sort({ _id: 1 }).toArray();
    expect(await all(`${grid.collection.collectionName}_rebuilt`)).toEqual(await all(grid.collection.collectionName));
    expect(await all(`${history.collection.collectionName}_rebuilt`)).toEqual(
      await all(history.collection.collectionName),
    );
    expect(await db.collection(`${grid.collection.collectionName}_rebuilt`).countDocuments()).toBe(3);

    // Promotion replaces the live collections, indexes included.
    const expectedGrid = await all(grid.collection.collectionName);
    await promoteRebuild(
      db,
      { grid: `${grid.collection.collectionName}_rebuilt`, history: `${history.collection.collectionName}_rebuilt` },
      { grid: grid.collection.collectionName, history: history.collection.collectionName },
    );
    expect(await all(grid.collection.collectionName)).toEqual(expectedGrid);
    expect((await grid.collection.indexes()).map((index) => index.name)).toContain('live_status_name');
    expect(await db.listCollections({ name: `${grid.collection.collectionName}_rebuilt` }).toArray()).toEqual([]);
  });
});
