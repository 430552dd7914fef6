import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName, waitFor } from '@integrations/testing';
import { randomUUID } from 'node:crypto';
import { AccessUnavailableError } from '../src/integration/acl-access.client';
import { CreateIntegrationCommand } from '../src/integration/create-integration/create-integration.command';
import { ResetIntegrationCommand } from '../src/integration/reset-integration/reset-integration.command';
import { type RunningRegistry, startRegistry } from '../src/start';
import { type AclCall, type AclStandIn, startAclStandIn, unreachableUrl } from './acl-stand-in';
import { dropDatabase, type Json, partsOf, registryClient } from './registry-test-env';

/**
 * Access changes reach the acl before a command replies (docs/adr/0006 §2), against real Kafka and
 * FerretDB: one registry talks to a recording stand-in for the acl, another to an acl that is down.
 */
jest.setTimeout(60_000);

const SALES = 'Magento_Sales::sales';
const ORDERS = 'Magento_Sales::sales_order';
const logger = createLogger('registry', process.env.LOG_LEVEL ?? 'silent');
let mongoUrl: string;
const databases: string[] = [];
const running: RunningRegistry[] = [];

async function boot(aclUrl: string, timeoutMs = 2_000): Promise<RunningRegistry> {
  const infra = await getTestInfra();
  mongoUrl = infra.mongoUrl;
  const tag = uniqueName('regacl');
  databases.push(tag);
  const registry = await startRegistry(
    {
      MONGO_URL: infra.mongoUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
      REGISTRY_PORT: 0,
      REGISTRY_DB: tag,
      REGISTRY_TOPIC_PREFIX: `${tag}.`,
      ACL_URL: aclUrl,
      ACCESS_SYNC_TIMEOUT_MS: timeoutMs,
    },
    { logger },
  );
  running.push(registry);
  return registry;
}

afterAll(async () => {
  for (const registry of running) await registry.close();
  for (const db of databases) await dropDatabase(mongoUrl, db).catch(() => undefined);
});

const custom = (resources: string[], extra: Record<string, unknown> = {}) => ({
  name: `Acl ${randomUUID().slice(0, 8)}`,
  resourceAccess: 'custom',
  resources,
  ...extra,
});
const bothUrls = { callbackUrl: 'https://erp.example.com/cb', identityLinkUrl: 'https://erp.example.com/login' };

describe('with the acl down', () => {
  let registry: RunningRegistry;
  const call = registryClient(() => registry.url);
  const streamOf = (id: string) => partsOf(registry).store.readStream(id);

  beforeAll(async () => {
    registry = await boot(await unreachableUrl());
  });

  /** Widening commands still succeed: their snapshot is only late (Kafka or the sweeper bring it). */
  async function activeIntegration(body: Json = custom([SALES, ORDERS])): Promise<Json> {
    const created = await call('POST', '/integrations', body);
    expect(created.status).toBe(201);
    const activated = await call('POST', `/integrations/${created.body.id}/activation`, {
      reauthorize: false,
      mode: 'tokens',
    });
    expect(activated).toMatchObject({ status: 200, body: { status: 'active', version: 2 } });
    return activated.body;
  }

  /** The stream, the grid row (once it shows `version`) and the history, to compare before and after. */
  async function everythingAbout(id: string, version: number) {
    const { grid, history } = partsOf(registry);
    await waitFor(async () => (await grid.versionOf(id)) >= version && (await history.versionOf(id)) >= version, {
      message: `grid and history of ${id} at ${version}`,
    });
    return {
      stream: (await streamOf(id)).map((event) => [event.version, event.type]),
      grid: await grid.collection.findOne({ _id: id }),
      history: (await history.list(id, 1, 50)).items,
    };
  }

  it('refuses a delete with 503 ACCESS.UNAVAILABLE and changes nothing', async () => {
    const integration = await activeIntegration();
    const before = await everythingAbout(integration.id, 2);
    const reply = await call('DELETE', `/integrations/${integration.id}`);
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('ACCESS.UNAVAILABLE');
    expect(reply.body.error.message).toMatch(/^Nothing was changed: .*acl.*ACL_URL/);
    expect(await everythingAbout(integration.id, 2)).toEqual(before);
    expect((await call('GET', `/integrations/${integration.id}`)).body).toMatchObject({ status: 'active', version: 2 });
  });

  it('refuses an update that removes a resource, and frees the new name it had reserved', async () => {
    const integration = await activeIntegration();
    const renamed = `${integration.name} renamed`;
    const reply = await call('PUT', `/integrations/${integration.id}`, {
      ...custom([SALES]),
      name: renamed,
    });
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'ACCESS.UNAVAILABLE' } } });
    expect((await streamOf(integration.id)).map((event) => event.type)).toEqual([
      'IntegrationCreated',
      'IntegrationActivated',
    ]);
    expect((await call('POST', '/integrations', custom([SALES], { name: renamed }))).status).toBe(201);
  });

  it('refuses an exchange Reauthorize (active -> inactive until the partner exchanges)', async () => {
    const created = (await call('POST', '/integrations', custom([SALES], bothUrls))).body;
    await call('POST', `/integrations/${created.id}/activation`, { reauthorize: false, mode: 'exchange' });
    const completed = await call('POST', `/integrations/${created.id}/activation/completion`, {
      grantId: randomUUID(),
    });
    expect(completed.body).toEqual({ outcome: 'completed', version: 3 });
    const reply = await call('POST', `/integrations/${created.id}/activation`, { reauthorize: true, mode: 'exchange' });
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'ACCESS.UNAVAILABLE' } } });
    expect(await streamOf(created.id)).toHaveLength(3);
  });

  it('refuses a Reset of a config integration (the manifest retries it)', async () => {
    const { commandBus } = partsOf(registry);
    const id = randomUUID();
    const meta = { now: new Date(), actor: 'manifest', correlationId: randomUUID() };
    await commandBus.execute(new CreateIntegrationCommand(id, toFields(custom([SALES])), 'config', meta));
    await call('POST', `/integrations/${id}/activation`, { reauthorize: false, mode: 'tokens' });
    await expect(commandBus.execute(new ResetIntegrationCommand(id, 2, meta))).rejects.toBeInstanceOf(
      AccessUnavailableError,
    );
    expect((await streamOf(id)).map((event) => event.type)).toEqual(['IntegrationCreated', 'IntegrationActivated']);
  });

  it('still deletes an integration that grants nothing (inactive): nothing to take away', async () => {
    const created = (await call('POST', '/integrations', custom([SALES]))).body;
    expect(await call('DELETE', `/integrations/${created.id}`)).toMatchObject({
      status: 200,
      body: { deleted: true, version: 2 },
    });
  });
});

describe('with the acl answering (a recording stand-in)', () => {
  let registry: RunningRegistry;
  let acl: AclStandIn;
  const call = registryClient(() => registry.url);
  const store = () => partsOf(registry).store;
  const callsFor = (id: string) => acl.calls.filter((c) => c.path.startsWith(`/access/${id}/`));
  const holdIdOf = (call: AclCall) => call.path.split('/').at(-1)!;

  beforeAll(async () => {
    acl = await startAclStandIn();
    registry = await boot(acl.url, 1_000);
  });
  afterAll(() => acl?.close());
  afterEach(() => {
    acl.respond = () => 204;
  });

  /**
   * Answers every acl call only after a pause, noting the stream's version on arrival and whether
   * the registry had replied meanwhile: a registry that did not wait for the acl would show it.
   */
  function observeEachCall(id: string, replied: () => boolean) {
    const seen: Array<{ call: AclCall; streamVersion: number; repliedBeforeAnswer: boolean }> = [];
    acl.respond = async (call) => {
      const streamVersion = await store().streamVersion(id);
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen.push({ call, streamVersion, repliedBeforeAnswer: replied() });
      return 204;
    };
    return seen;
  }

  async function activeIntegration(resources = [SALES, ORDERS]): Promise<Json> {
    const created = await call('POST', '/integrations', custom(resources));
    const activated = await call('POST', `/integrations/${created.body.id}/activation`, {
      reauthorize: false,
      mode: 'tokens',
    });
    expect(activated.body).toMatchObject({ status: 'active', version: 2 });
    return activated.body;
  }

  it('publishes the snapshot of a create and an activation before replying, without a hold', async () => {
    let replied = false;
    const created = (await call('POST', '/integrations', custom([SALES]))).body;
    const seen = observeEachCall(created.id, () => replied);
    const activated = await call('POST', `/integrations/${created.id}/activation`, {
      reauthorize: false,
      mode: 'tokens',
    });
    replied = true;
    expect(activated.status).toBe(200);
    expect(callsFor(created.id).map((c) => [c.method, c.path, c.body])).toEqual([
      [
        'PUT',
        `/access/${created.id}/snapshots/1`,
        {
          access: {
            integrationId: created.id,
            version: 1,
            status: 'inactive',
            resourceAccess: 'custom',
            resources: [SALES],
          },
        },
      ],
      [
        'PUT',
        `/access/${created.id}/snapshots/2`,
        {
          access: {
            integrationId: created.id,
            version: 2,
            status: 'active',
            resourceAccess: 'custom',
            resources: [SALES],
          },
        },
      ],
    ]);
    expect(seen).toEqual([expect.objectContaining({ streamVersion: 2, repliedBeforeAnswer: false })]);
  });

  it('holds a delete before storing it and publishes the snapshot before replying', async () => {
    const integration = await activeIntegration();
    let replied = false;
    const seen = observeEachCall(integration.id, () => replied);
    const reply = await call('DELETE', `/integrations/${integration.id}`, undefined, {
      'x-correlation-id': 'corr-delete-1',
    });
    replied = true;
    expect(reply).toMatchObject({ status: 200, body: { deleted: true, version: 3 } });

    const [hold, snapshot] = seen;
    expect(seen).toHaveLength(2);
    expect(hold!.call).toMatchObject({
      method: 'PUT',
      path: expect.stringMatching(new RegExp(`^/access/${integration.id}/holds/[0-9a-f-]{36}$`)),
      correlationId: 'corr-delete-1',
    });
    expect(hold!.call.body).toEqual({
      access: { integrationId: integration.id, version: 3, status: 'deleted', resourceAccess: 'custom', resources: [] },
    });
    // Held while the stream was still at 2: the delete was stored only after the acl confirmed.
    expect(hold!.streamVersion).toBe(2);
    expect(snapshot!.call).toMatchObject({ method: 'PUT', path: `/access/${integration.id}/snapshots/3` });
    expect(snapshot!.call.body).toEqual({ ...(hold!.call.body as object), releaseHold: holdIdOf(hold!.call) });
    expect(snapshot!.streamVersion).toBe(3);
    expect(snapshot!.repliedBeforeAnswer).toBe(false);
  });

  it('holds an update that removes a resource; one that only adds does not hold', async () => {
    const integration = await activeIntegration([SALES, ORDERS]);
    const narrowed = await call('PUT', `/integrations/${integration.id}`, {
      ...custom([ORDERS]),
      name: integration.name,
    });
    expect(narrowed.body).toMatchObject({ version: 3, resources: [ORDERS] });
    const widened = await call('PUT', `/integrations/${integration.id}`, {
      ...custom([ORDERS, 'Magento_Catalog::catalog']),
      name: integration.name,
    });
    expect(widened.body.version).toBe(4);
    const emailOnly = await call('PUT', `/integrations/${integration.id}`, {
      ...custom([ORDERS, 'Magento_Catalog::catalog']),
      name: integration.name,
      email: 'ops@example.com',
    });
    expect(emailOnly.body.version).toBe(5);
    const paths = callsFor(integration.id).map((c) => `${c.method} ${c.path.replace(/holds\/.*/, 'holds/<id>')}`);
    expect(paths).toEqual([
      `PUT /access/${integration.id}/snapshots/1`,
      `PUT /access/${integration.id}/snapshots/2`,
      `PUT /access/${integration.id}/holds/<id>`,
      `PUT /access/${integration.id}/snapshots/3`,
      `PUT /access/${integration.id}/snapshots/4`,
    ]);
    expect((callsFor(integration.id)[2]!.body as Json).access).toMatchObject({ version: 3, resources: [ORDERS] });
  });

  it('releases the hold when the append loses to a concurrent command, and answers 409', async () => {
    const integration = await activeIntegration();
    acl.respond = async (call) => {
      // Another replica commits while our delete waits for its hold.
      if (call.path.includes('/holds/') && call.method === 'PUT')
        await partsOf(registry).repository.append(
          integration.id,
          2,
          [
            {
              type: 'IntegrationUpdated',
              payload: { integrationId: integration.id, changes: { email: 'x@example.com' } },
            },
          ],
          { now: new Date(), actor: 'bob', correlationId: randomUUID() },
        );
      return 204;
    };
    const reply = await call('DELETE', `/integrations/${integration.id}`);
    expect(reply).toMatchObject({ status: 409, body: { error: { code: 'INTEGRATION.CONFLICT' } } });
    const [hold, release, ...rest] = callsFor(integration.id).slice(2);
    expect(hold).toMatchObject({ method: 'PUT', path: expect.stringContaining('/holds/') });
    expect(release).toMatchObject({ method: 'DELETE', path: hold!.path, body: undefined });
    expect(rest).toEqual([]);
    expect((await store().readStream(integration.id)).map((e) => e.type)).toEqual([
      'IntegrationCreated',
      'IntegrationActivated',
      'IntegrationUpdated',
    ]);
  });

  it('succeeds when only the snapshot fails after the commit (the hold keeps the change in force)', async () => {
    const integration = await activeIntegration();
    acl.respond = (call) => (call.path.includes('/snapshots/') ? 500 : 204);
    const reply = await call('DELETE', `/integrations/${integration.id}`);
    expect(reply).toMatchObject({ status: 200, body: { deleted: true, version: 3 } });
    expect(
      callsFor(integration.id)
        .slice(2)
        .map((c) => c.method + c.path.replace(/[0-9a-f-]{36}$/, '<id>')),
    ).toEqual([`PUT/access/${integration.id}/holds/<id>`, `PUT/access/${integration.id}/snapshots/3`]);
  });

  it('fails with 503 when the hold is not confirmed within ACCESS_SYNC_TIMEOUT_MS, storing nothing', async () => {
    const integration = await activeIntegration();
    // Confirms long after the registry gave up (unref: the test run need not wait for it).
    acl.respond = () => new Promise((resolve) => setTimeout(() => resolve(204), 3_000).unref());
    const started = Date.now();
    const reply = await call('DELETE', `/integrations/${integration.id}`);
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'ACCESS.UNAVAILABLE' } } });
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(await store().readStream(integration.id)).toHaveLength(2);
  });

  it('answers GET /integrations/:id/access from the event store', async () => {
    const integration = await activeIntegration([SALES]);
    expect(await call('GET', `/integrations/${integration.id}/access`)).toMatchObject({
      status: 200,
      body: {
        integrationId: integration.id,
        version: 2,
        status: 'active',
        resourceAccess: 'custom',
        resources: [SALES],
      },
    });
    await call('DELETE', `/integrations/${integration.id}`);
    expect((await call('GET', `/integrations/${integration.id}/access`)).body).toEqual({
      integrationId: integration.id,
      version: 3,
      status: 'deleted',
      resourceAccess: 'custom',
      resources: [],
    });
    const all = (await call('POST', '/integrations', { name: `All ${randomUUID()}`, resourceAccess: 'all' })).body;
    expect((await call('GET', `/integrations/${all.id}/access`)).body).toMatchObject({
      status: 'inactive',
      resourceAccess: 'all',
      resources: [],
    });
    for (const id of [randomUUID(), 'no such id!']) {
      expect(await call('GET', `/integrations/${encodeURIComponent(id)}/access`)).toMatchObject({
        status: 404,
        body: { error: { code: 'INTEGRATION.NOT_FOUND' } },
      });
    }
  });
});

function toFields(body: Json) {
  return {
    name: body.name,
    email: null,
    callbackUrl: null,
    identityLinkUrl: null,
    resourceAccess: body.resourceAccess,
    resources: body.resources,
    expiresAt: null,
    ipAllowList: [],
    rateLimit: null,
  };
}
