import { Topics } from '@integrations/contracts';
import { createLogger } from '@integrations/service-kit';
import mongoose from 'mongoose';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectMessages } from '@integrations/testing';
import { type AclStandIn, startAclStandIn } from '../../../test/acl-stand-in';
import { partsOf, testInfra, uniqueName } from '../../../test/registry-test-env';
import { type RunningRegistry, startRegistry } from '../../start';
import { EVENTS_COLLECTION } from '../integration.repository';

/**
 * Declarative integrations against real Kafka and FerretDB: the registry is started again and again
 * on one database with a changing manifest file, as an operator would by editing the ConfigMap.
 */
jest.setTimeout(120_000);

const { mongoUrl, kafkaBrokers } = testInfra();
const dbName = uniqueName('registry_manifest');
const topicPrefix = `${uniqueName('man')}.`;
const dir = mkdtempSync(join(tmpdir(), 'manifest-int-'));
const manifestFile = join(dir, 'integrations.json');
const logger = createLogger('registry', process.env.LOG_LEVEL ?? 'warn');

const ERP = {
  name: 'ERP Connector',
  email: 'erp-team@example.com',
  resourceAccess: 'custom',
  resources: ['Magento_Sales::sales_order', 'Magento_Catalog::products'],
};
const FEED = { name: 'Catalog Feed', email: 'feed@example.com', resourceAccess: 'all' };

let registry: RunningRegistry | undefined;
let inspect: mongoose.Connection;
let acl: AclStandIn;

async function boot(integrations: unknown[]): Promise<RunningRegistry> {
  await registry?.close();
  writeFileSync(manifestFile, JSON.stringify({ $comment: 'test manifest', integrations }, null, 2));
  registry = await startRegistry(
    {
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      REGISTRY_PORT: 0,
      REGISTRY_DB: dbName,
      REGISTRY_TOPIC_PREFIX: topicPrefix,
      INTEGRATIONS_MANIFEST_FILE: manifestFile,
      ACL_URL: acl.url,
    },
    { logger },
  );
  return registry;
}

// Answers are read ad hoc (reply.body.items[0].status); typing every shape buys nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${registry!.url}${path}`, {
    method,
    headers: { 'x-actor': 'alice', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const eventCount = () => inspect.db!.collection(EVENTS_COLLECTION).countDocuments();
/** The integration's stream, from the event store (the history projection lags behind). */
const eventTypes = async (id: string) => (await partsOf(registry!).store.readStream(id)).map((event) => event.type);

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Grid rows of config-type integrations (the grid is fed from Kafka, so it is waited for). */
const configRows = async (query = '') => (await call('GET', `/integrations?setupType=config&sort=name${query}`)).body;

beforeAll(async () => {
  inspect = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
  acl = await startAclStandIn();
});

afterAll(async () => {
  await registry?.close();
  await acl?.close();
  await inspect?.db?.dropDatabase().catch(() => undefined);
  await inspect?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('declarative integrations (INTEGRATIONS_MANIFEST_FILE, Kafka + FerretDB)', () => {
  const ids: Record<string, string> = {};

  it('creates the integrations of the manifest as setup type config, by the actor "manifest"', async () => {
    const running = await boot([ERP, FEED]);
    expect(running.manifest).toMatchObject({
      file: manifestFile,
      created: ['ERP Connector', 'Catalog Feed'],
      updated: [],
      deleted: [],
      conflicts: [],
      failed: [],
    });
    const grid = await eventually(
      configRows,
      (page) => page.items.length === 2,
      'both config integrations in the grid',
    );
    expect(grid.items.map((i: Json) => [i.name, i.setupType, i.status, i.resourceAccess])).toEqual([
      ['Catalog Feed', 'config', 'inactive', 'all'],
      ['ERP Connector', 'config', 'inactive', 'custom'],
    ]);
    for (const item of grid.items) ids[item.name] = item.id;
    expect(grid.items[1].resources).toEqual(['Magento_Catalog::products', 'Magento_Sales::sales_order']);
    const [created] = await partsOf(running).store.readStream(ids['ERP Connector']!);
    expect(created).toMatchObject({ type: 'IntegrationCreated', metadata: { actor: 'manifest' } });
  });

  it('writes no event when started again with the same file', async () => {
    const before = await eventCount();
    const running = await boot([ERP, FEED]);
    expect(running.manifest).toMatchObject({
      created: [],
      updated: [],
      reset: [],
      deleted: [],
      unchanged: ['ERP Connector', 'Catalog Feed'],
    });
    expect(await eventCount()).toBe(before);
  });

  it('refuses admin edits and deletes of a config integration, storing nothing', async () => {
    const before = await eventCount();
    const id = ids['ERP Connector']!;
    const put = await call('PUT', `/integrations/${id}`, { ...ERP, email: 'someone@example.com' });
    expect(put.status).toBe(409);
    expect(put.body.error).toMatchObject({
      code: 'INTEGRATION.CONFIG_MANAGED',
      message: 'Integration "ERP Connector" was created from a configuration file and cannot be edited here.',
    });
    const del = await call('DELETE', `/integrations/${id}`);
    expect(del.status).toBe(409);
    expect(del.body.error).toMatchObject({
      code: 'INTEGRATION.CONFIG_MANAGED',
      message: 'Uninstall the extension to remove integration "ERP Connector".',
    });
    expect(await eventCount()).toBe(before);
    expect((await call('GET', `/integrations/${id}`)).body.email).toBe('erp-team@example.com');
  });

  it('updates a changed email without touching the status of an active integration', async () => {
    const id = ids['ERP Connector']!;
    const activated = await call('POST', `/integrations/${id}/activation`, { reauthorize: false, mode: 'tokens' });
    expect(activated.body.status).toBe('active');

    const running = await boot([{ ...ERP, email: 'erp-ops@example.com' }, FEED]);
    expect(running.manifest).toMatchObject({ updated: ['ERP Connector'], reset: [], unchanged: ['Catalog Feed'] });
    const erp = (await call('GET', `/integrations/${id}`)).body;
    expect(erp).toMatchObject({ email: 'erp-ops@example.com', status: 'active', setupType: 'config' });
    expect((await eventTypes(id)).slice(-1)).toEqual(['IntegrationUpdated']);
  });

  it('does not reset when only implied parents are added to the list (same effective grant)', async () => {
    const id = ids['ERP Connector']!;
    const withParents = [...ERP.resources, 'Magento_Sales::sales', 'Magento_Sales::sales_operation'];
    const running = await boot([{ ...ERP, email: 'erp-ops@example.com', resources: withParents }, FEED]);
    expect(running.manifest).toMatchObject({ updated: ['ERP Connector'], reset: [] });
    expect((await call('GET', `/integrations/${id}`)).body.status).toBe('active');
  });

  it('resets an active integration whose resources changed, and publishes IntegrationReset', async () => {
    const id = ids['ERP Connector']!;
    const changed = {
      ...ERP,
      email: 'erp-ops@example.com',
      resources: ['Magento_Sales::sales_order', 'Magento_Customer::manage'],
    };
    const running = await boot([changed, FEED]);
    expect(running.manifest).toMatchObject({
      updated: ['ERP Connector'],
      reset: ['ERP Connector'],
      unchanged: ['Catalog Feed'],
    });
    const erp = (await call('GET', `/integrations/${id}`)).body;
    expect(erp).toMatchObject({
      status: 'reset',
      resources: ['Magento_Customer::manage', 'Magento_Sales::sales_order'],
    });
    expect((await eventTypes(id)).slice(-2)).toEqual(['IntegrationReset', 'IntegrationUpdated']);

    // On the topic, in stream order, for the oauth service (which then drops consumer and tokens).
    const topic = await collectMessages({ brokers: kafkaBrokers, topic: `${topicPrefix}${Topics.integration}` });
    try {
      const ofErp = () =>
        topic.messages
          .map((message) => JSON.parse(message.value ?? '{}') as { type: string; subject: string; actor?: string })
          .filter((event) => event.subject === id);
      await eventually(
        async () => ofErp().map((e) => e.type),
        (types) =>
          types.includes('IntegrationUpdated') && types.lastIndexOf('IntegrationReset') >= 0 && types.length >= 6,
        'IntegrationReset on the topic',
      );
      const seen = ofErp();
      const reset = seen.find((e) => e.type === 'IntegrationReset')!;
      expect(reset.actor).toBe('manifest');
      expect(seen.map((e) => e.type)).toEqual([
        'IntegrationCreated',
        'IntegrationActivated',
        'IntegrationUpdated',
        'IntegrationUpdated',
        'IntegrationReset',
        'IntegrationUpdated',
      ]);
    } finally {
      await topic.stop();
    }
    // The Reset took access away: held at the acl before it was stored, then the snapshot released it.
    const resetVersion = (await eventTypes(id)).lastIndexOf('IntegrationReset') + 1;
    const toAcl = acl.calls.filter((c) => c.path.startsWith(`/access/${id}/`));
    const hold = toAcl.find((c) => c.method === 'PUT' && c.path.includes('/holds/'))!;
    expect(hold.body).toEqual({
      access: expect.objectContaining({ integrationId: id, version: resetVersion, status: 'reset' }),
    });
    const snapshot = toAcl.find((c) => c.path === `/access/${id}/snapshots/${resetVersion}`)!;
    expect(snapshot.seq).toBeGreaterThan(hold.seq);
    expect(snapshot.body).toMatchObject({ releaseHold: hold.path.split('/').at(-1) });

    // The admin notice's query: config integrations in status reset.
    const notice = await eventually(
      () => configRows('&status=reset&pageSize=1'),
      (page) => page.total === 1 && page.items.length === 1,
      'the reset row in the grid',
    );
    expect(notice.items[0]).toMatchObject({ id, status: 'reset' });
    const again = await boot([changed, FEED]);
    expect(again.manifest).toMatchObject({ updated: [], reset: [], unchanged: ['ERP Connector', 'Catalog Feed'] });
  });

  it('deletes a config integration that left the manifest, and leaves an admin-created namesake alone', async () => {
    const manual = await call('POST', '/integrations', { name: 'Shop Sync', resourceAccess: 'all' });
    expect(manual.status).toBe(201);
    const erp = {
      ...ERP,
      email: 'erp-ops@example.com',
      resources: ['Magento_Sales::sales_order', 'Magento_Customer::manage'],
    };
    const before = await eventCount();
    const running = await boot([erp, { name: 'shop sync', email: 'x@example.com', resourceAccess: 'all' }]);
    expect(running.manifest).toMatchObject({
      created: [],
      deleted: ['Catalog Feed'],
      conflicts: ['shop sync'],
      unchanged: ['ERP Connector'],
    });
    expect(await eventCount()).toBe(before + 1);
    expect((await call('GET', `/integrations/${ids['Catalog Feed']}`)).status).toBe(404);
    expect((await call('GET', `/integrations/${manual.body.id}`)).body).toMatchObject({
      name: 'Shop Sync',
      setupType: 'manual',
      email: null,
    });
    expect((await eventTypes(ids['Catalog Feed']!)).slice(-1)).toEqual(['IntegrationDeleted']);
  });

  it('refuses to start with an invalid manifest, naming file, entry and field, and writes nothing', async () => {
    await registry?.close();
    registry = undefined;
    const before = await eventCount();
    writeFileSync(
      manifestFile,
      JSON.stringify({
        integrations: [
          ERP,
          { name: 'Broken', email: 'nope', resourceAccess: 'custom', resources: ['Magento_Sales::nope'] },
        ],
      }),
    );
    await expect(
      startRegistry(
        {
          MONGO_URL: mongoUrl,
          KAFKA_BROKERS: kafkaBrokers,
          REGISTRY_PORT: 0,
          REGISTRY_DB: dbName,
          REGISTRY_TOPIC_PREFIX: topicPrefix,
          INTEGRATIONS_MANIFEST_FILE: manifestFile,
        },
        { logger },
      ),
    ).rejects.toThrow(
      `Integrations manifest ${manifestFile} (INTEGRATIONS_MANIFEST_FILE) is invalid; nothing was applied:\n` +
        '  - integrations[1] ("Broken").email: Email is not a valid address. Enter an address like name@example.com, or leave it empty.\n' +
        '  - integrations[1] ("Broken").resources: unknown ACL resource(s) "Magento_Sales::nope"; use ids from the ACL catalog (ACL_CATALOG_FILE).',
    );
    expect(await eventCount()).toBe(before);
  });
});
