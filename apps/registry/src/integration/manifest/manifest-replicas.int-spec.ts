import { createLogger } from '@integrations/service-kit';
import { startTcpProxy, waitFor } from '@integrations/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AclStandIn, startAclStandIn } from '../../../test/acl-stand-in';
import { dropDatabase, partsOf, registryClient, testInfra, uniqueName } from '../../../test/registry-test-env';
import { freePort } from '../../../test/registry-process';
import { type RunningRegistry, startRegistry } from '../../start';

/**
 * The integrations manifest with several replicas and with the acl or the broker in the way, against
 * real Kafka and FerretDB: replicas that start together on one database converge on one set of
 * integrations, a Reset waits (not ready) until the acl can hold it, and a broker that is down at
 * boot stops neither the boot nor a Reset (ready, degraded; the events go out once it is back).
 */
jest.setTimeout(120_000);

const { mongoUrl, kafkaBrokers } = testInfra();
const dir = mkdtempSync(join(tmpdir(), 'manifest-replicas-'));
const databases: string[] = [];
const started: RunningRegistry[] = [];
let acl: AclStandIn;

const ERP = {
  name: 'ERP Connector',
  email: 'erp@example.com',
  resourceAccess: 'custom',
  resources: ['Magento_Sales::sales_order'],
};
const FEED = { name: 'Catalog Feed', resourceAccess: 'all' };
const CRM = { name: 'CRM Sync', resourceAccess: 'custom', resources: ['Magento_Customer::manage'] };
const PIM = { name: 'PIM Bridge', resourceAccess: 'custom', resources: ['Magento_Catalog::products'] };

beforeAll(async () => {
  acl = await startAclStandIn();
});

afterAll(async () => {
  for (const registry of started) await registry.close().catch(() => undefined);
  await acl?.close();
  for (const db of databases) await dropDatabase(mongoUrl, db).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function writeManifest(name: string, integrations: unknown[]): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ integrations }));
  return file;
}

function boot(
  dbName: string,
  file: string,
  options: { port?: number; log?: (line: string) => void; kafkaBrokers?: string[] } = {},
): Promise<RunningRegistry> {
  const sink = options.log;
  return startRegistry(
    {
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: options.kafkaBrokers ?? kafkaBrokers,
      REGISTRY_PORT: options.port ?? 0,
      REGISTRY_DB: dbName,
      REGISTRY_TOPIC_PREFIX: `${dbName}.`,
      INTEGRATIONS_MANIFEST_FILE: file,
      ACL_URL: acl.url,
    },
    {
      logger: sink
        ? createLogger('registry', 'info', { write: (line: string) => void sink(line) })
        : createLogger('registry', process.env.LOG_LEVEL ?? 'silent'),
    },
  ).then((registry) => {
    started.push(registry);
    return registry;
  });
}

/** Id and event types per integration name, from the event store. */
async function streamsByName(registry: RunningRegistry): Promise<Record<string, { id: string; types: string[] }>> {
  const byId = new Map<string, { name?: string; types: string[] }>();
  for await (const event of partsOf(registry).store.readAll()) {
    const entry = byId.get(event.streamId) ?? { types: [] };
    if (event.type === 'IntegrationCreated') entry.name = (event.payload as { name: string }).name;
    entry.types.push(event.type);
    byId.set(event.streamId, entry);
  }
  return Object.fromEntries([...byId].map(([id, entry]) => [entry.name!, { id, types: entry.types }]));
}

const typesByName = async (registry: RunningRegistry) =>
  Object.fromEntries(Object.entries(await streamsByName(registry)).map(([name, { types }]) => [name, types]));

/** Each name once across the two reports' `kind` lists. */
const once = (a: RunningRegistry, b: RunningRegistry, kind: 'created' | 'updated' | 'reset' | 'deleted') =>
  [...a.manifest![kind], ...b.manifest![kind]].sort();

describe('two replicas starting together with the same manifest', () => {
  const dbName = uniqueName('regman2');
  databases.push(dbName);

  it('create each integration once, whichever replica wins, and report no failure', async () => {
    const file = writeManifest('first', [ERP, FEED, CRM]);
    const [a, b] = await Promise.all([boot(dbName, file), boot(dbName, file)]);
    for (const report of [a.manifest!, b.manifest!]) expect(report).toMatchObject({ failed: [], conflicts: [] });
    expect(once(a, b, 'created')).toEqual(['CRM Sync', 'Catalog Feed', 'ERP Connector']);
    // What one created, the other found done.
    expect([...a.manifest!.unchanged].sort()).toEqual([...b.manifest!.created].sort());
    expect([...b.manifest!.unchanged].sort()).toEqual([...a.manifest!.created].sort());
    expect(await typesByName(a)).toEqual({
      'ERP Connector': ['IntegrationCreated'],
      'Catalog Feed': ['IntegrationCreated'],
      'CRM Sync': ['IntegrationCreated'],
    });
    await Promise.all([a.close(), b.close()]);
  });

  it('reset, update, delete and create once when both start with a changed file', async () => {
    const one = await boot(dbName, writeManifest('first', [ERP, FEED, CRM]));
    const erpId = (await streamsByName(one))['ERP Connector']!.id;
    const activated = await registryClient(() => one.url)('POST', `/integrations/${erpId}/activation`, {
      reauthorize: false,
      mode: 'tokens',
    });
    expect(activated.body).toMatchObject({ status: 'active', version: 2 });
    await one.close();

    // ERP's resources change while it is active: it is reset (held at the acl) before the update.
    const erp = { ...ERP, resources: ['Magento_Sales::sales_order', 'Magento_Customer::manage'] };
    const file = writeManifest('second', [erp, { ...FEED, email: 'feed@example.com' }, PIM]);
    const [a, b] = await Promise.all([boot(dbName, file), boot(dbName, file)]);
    for (const report of [a.manifest!, b.manifest!]) expect(report).toMatchObject({ failed: [], conflicts: [] });
    expect(once(a, b, 'created')).toEqual(['PIM Bridge']);
    expect(once(a, b, 'reset')).toEqual(['ERP Connector']);
    expect(once(a, b, 'updated')).toEqual(['Catalog Feed', 'ERP Connector']);
    expect(once(a, b, 'deleted')).toEqual(['CRM Sync']);
    expect(await typesByName(a)).toEqual({
      'ERP Connector': ['IntegrationCreated', 'IntegrationActivated', 'IntegrationReset', 'IntegrationUpdated'],
      'Catalog Feed': ['IntegrationCreated', 'IntegrationUpdated'],
      'CRM Sync': ['IntegrationCreated', 'IntegrationDeleted'],
      'PIM Bridge': ['IntegrationCreated'],
    });
    const snapshots = acl.calls.filter((c) => c.method === 'PUT' && c.path === `/access/${erpId}/snapshots/3`);
    expect(snapshots.map((c) => (c.body as { access: { status: string } }).access.status)).toEqual(['reset']);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('a manifest Reset while the acl cannot hold it', () => {
  const dbName = uniqueName('regmanacl');
  databases.push(dbName);

  it('waits, not ready and saying what for, then applies it once the acl answers', async () => {
    const first = await boot(dbName, writeManifest('acl-first', [ERP]));
    const erpId = (await streamsByName(first))['ERP Connector']!.id;
    await registryClient(() => first.url)('POST', `/integrations/${erpId}/activation`, {
      reauthorize: false,
      mode: 'tokens',
    });
    await first.close();

    acl.respond = (call) => (call.path.includes('/holds/') ? 503 : 204);
    const lines: string[] = [];
    const port = await freePort();
    const changed = { ...ERP, resources: ['Magento_Customer::manage'] };
    const starting = boot(dbName, writeManifest('acl-second', [changed]), { port, log: (line) => lines.push(line) });
    let outcome: 'pending' | 'resolved' | 'rejected' = 'pending';
    starting.then(
      () => (outcome = 'resolved'),
      () => (outcome = 'rejected'),
    );

    const url = `http://127.0.0.1:${port}`;
    const ready = await waitFor(
      async () => {
        const response = await fetch(`${url}/health/ready`).catch(() => undefined);
        return response ? { status: response.status, body: await response.json() } : undefined;
      },
      { message: 'the registry answering its readiness probe' },
    );
    expect(ready).toEqual({
      status: 503,
      body: { status: 'down', checks: { mongo: 'up', kafka: 'up', manifest: 'down' } },
    });
    await waitFor(() => lines.filter((line) => line.includes('waiting for the acl service')).length >= 2, {
      message: 'two attempts logged',
    });
    const waiting = JSON.parse(lines.find((line) => line.includes('waiting for the acl service'))!);
    expect(waiting.msg).toContain(
      `waiting for the acl service at ${acl.url} (ACL_URL) to confirm update of integrations[0] "ERP Connector"`,
    );
    expect(waiting.msg).toContain('not ready until it is applied');
    expect(outcome).toBe('pending');
    const reader = registryClient(() => url);
    expect((await reader('GET', `/integrations/${erpId}`)).body).toMatchObject({ status: 'active', version: 2 });

    acl.respond = () => 204;
    const registry = await starting;
    expect(registry.manifest).toMatchObject({ reset: ['ERP Connector'], updated: ['ERP Connector'], failed: [] });
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect((await typesByName(registry))['ERP Connector']).toEqual([
      'IntegrationCreated',
      'IntegrationActivated',
      'IntegrationReset',
      'IntegrationUpdated',
    ]);
  });
});

describe('a manifest Reset while the broker is down', () => {
  const dbName = uniqueName('regmankafka');
  databases.push(dbName);

  it('boots, applies the Reset through the acl and is ready (degraded); publishes once the broker is back', async () => {
    // The bootstrap broker is a proxy to the real one: cut, the registry cannot reach Kafka at all.
    const [host, port] = kafkaBrokers[0]!.split(':');
    const proxy = await startTcpProxy({ host: host!, port: Number(port) });
    const viaProxy = [`127.0.0.1:${proxy.port}`];
    try {
      const first = await boot(dbName, writeManifest('kafka-first', [ERP]), { kafkaBrokers: viaProxy });
      await first.kafka;
      const erpId = (await streamsByName(first))['ERP Connector']!.id;
      await registryClient(() => first.url)('POST', `/integrations/${erpId}/activation`, {
        reauthorize: false,
        mode: 'tokens',
      });
      await first.close();

      await proxy.cut();
      acl.respond = () => 204;
      const lines: string[] = [];
      const changed = { ...ERP, resources: ['Magento_Customer::manage'] };
      const registry = await boot(dbName, writeManifest('kafka-second', [changed]), {
        kafkaBrokers: viaProxy,
        log: (line) => lines.push(line),
      });
      let kafka: 'pending' | 'started' | 'failed' = 'pending';
      registry.kafka.then(
        () => (kafka = 'started'),
        () => (kafka = 'failed'),
      );

      expect(registry.manifest).toMatchObject({ reset: ['ERP Connector'], updated: ['ERP Connector'], failed: [] });
      const holds = acl.calls.filter((c) => c.method === 'PUT' && c.path.startsWith(`/access/${erpId}/holds/`));
      expect(holds.map((c) => (c.body as { access: { status: string } }).access.status)).toEqual(['reset']);
      const ready = await fetch(`${registry.url}/health/ready`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({
        status: 200,
        body: { status: 'degraded', checks: { mongo: 'up', kafka: 'down', manifest: 'up' } },
      });
      await waitFor(() => lines.some((line) => line.includes('is not available (topics')), {
        message: 'a failed Kafka attempt logged',
      });
      const attempt = JSON.parse(lines.find((line) => line.includes('is not available (topics'))!);
      expect(attempt.msg).toContain(`Kafka at ${viaProxy[0]} (KAFKA_BROKERS) is not available`);
      expect(attempt.msg).toContain('Next attempt in');
      const { store, relay } = partsOf(registry);
      expect({ kafka, unpublished: await relay.backlog() }).toEqual({ kafka: 'pending', unpublished: 2 });
      // The command path works too: the admin's writes wait in the outbox like the manifest's.
      const created = await registryClient(() => registry.url)('POST', '/integrations', {
        name: `Written while Kafka is down ${dbName}`,
        resourceAccess: 'all',
      });
      expect(created.status).toBe(201);

      await proxy.restore();
      await registry.kafka;
      await waitFor(async () => (await relay.backlog()) === 0, { message: 'the outbox published' });
      await waitFor(async () => (await partsOf(registry).grid.collection.findOne({ _id: erpId }))?.status === 'reset', {
        message: 'the grid (fed from the topic) showing the Reset',
      });
      expect(await store.countUnpublished()).toBe(0);
      expect(lines.some((line) => line.includes('is back: topics, producer, relay, projections'))).toBe(true);
    } finally {
      await proxy.stop();
    }
  });
});
