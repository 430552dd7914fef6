import { randomUUID } from 'node:crypto';
import { CONFIG_STREAM_ID } from '@integrations/config-client';
import { toCloudEvent, type ContractEvent } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName, waitFor, type TestInfra } from '@integrations/testing';
import type mongoose from 'mongoose';
import { startAcl, type RunningAcl } from '../start';

jest.setTimeout(120_000);

let infra: TestInfra;
const run = uniqueName('acl_it');
const prefix = `${run}.`;
const database = run;
const logger = createLogger('acl-test', process.env.TEST_LOG_LEVEL ?? 'warn');

let acl: RunningAcl;
let replica: RunningAcl;
let bus: MessageBus;
let mongo: mongoose.Connection;
const versions = new Map<string, number>();
const published: Record<string, { stream: string; version: number; event: string }> = {};

type Decided = {
  decision: string;
  status: number;
  reason: string;
  routeId: string | null;
  upstreamUrl: string | null;
  upstreamPath: string | null;
  body?: unknown;
};

async function decide(method: string, path: string, integrationId: string | null, url = acl.url): Promise<Decided> {
  const response = await fetch(`${url}/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method, path, integrationId }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Decided;
}

/** Publishes the next event of a stream, as the registry's / config service's relay would. */
async function publish(
  topic: string,
  streamId: string,
  event: ContractEvent,
  version = (versions.get(streamId) ?? 0) + 1,
) {
  versions.set(streamId, Math.max(version, versions.get(streamId) ?? 0));
  const message = JSON.stringify(
    toCloudEvent(
      {
        streamId,
        version,
        type: event.type,
        payload: event.payload,
        timestamp: new Date(),
        metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'admin' },
      },
      '/integrations/test',
    ),
  );
  await bus.publish(topic, [{ key: streamId, value: message }]);
  published[`${streamId}@${version}`] = { stream: streamId, version, event: message };
  return Date.now();
}

const integrationTopic = () => acl.topics.integration;
const created = (integrationId: string, resourceAccess: 'all' | 'custom', resources: string[]): ContractEvent => ({
  type: 'IntegrationCreated',
  payload: {
    integrationId,
    name: `n-${integrationId}`,
    email: null,
    callbackUrl: null,
    identityLinkUrl: null,
    resourceAccess,
    resources,
    setupType: 'manual',
    insecure: false,
  },
});
const activated = (integrationId: string): ContractEvent => ({
  type: 'IntegrationActivated',
  payload: { integrationId, mode: 'tokens' },
});
const guestAccess = (value: boolean): ContractEvent => ({
  type: 'ConfigChanged',
  payload: { changes: [{ path: 'webapi/webapisecurity/allow_insecure', value, previous: !value }] },
});

/** Polls until `check` passes; returns how long it took after `since` (ms). */
async function within(since: number, check: () => Promise<boolean>): Promise<number> {
  await waitFor(check, { timeoutMs: 5_000, intervalMs: 10 });
  return Date.now() - since;
}

const grantsDoc = (id: string) => mongo.db!.collection('grants').findOne({ _id: id as never });
const signalToken = async () =>
  (await mongo.db!.collection('change_signals').findOne({ _id: 'access' as never }))?.token as string | undefined;

beforeAll(async () => {
  infra = await getTestInfra();
  const base = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGO_URL: infra.mongoUrl,
    ACL_DB: database,
    ACL_TOPIC_PREFIX: prefix,
    ACL_PORT: 0,
    logger,
  };
  acl = await startAcl(base);
  // A second replica of the same deployment (same database and consumer group): it consumes only
  // some partitions, and learns of the others' changes through the access change signal.
  replica = await startAcl(base);
  bus = createKafkaMessageBus({ brokers: infra.kafkaBrokers, clientId: `acl-it-${run}`, logLevel: 'error' });
  await bus.connect();
  mongo = await connectMongo(infra.mongoUrl, database);
});

afterAll(async () => {
  await replica?.close();
  await acl?.close();
  await bus?.disconnect();
  await mongo?.db?.dropDatabase().catch(() => undefined);
  await mongo?.close();
});

describe('acl service against real Kafka and FerretDB', () => {
  const productsOnly = `int-products-${run}`;
  const everything = `int-all-${run}`;
  const inactive = `int-inactive-${run}`;

  it('reports ready and serves the resource tree sorted by sortOrder', async () => {
    const ready = await fetch(`${acl.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'up', checks: { mongo: 'up', kafka: 'up' } });

    const { resources } = (await (await fetch(`${acl.url}/resources`)).json()) as {
      resources: Array<{ id: string; title: string; sortOrder: number; children: unknown[] }>;
    };
    expect(resources[0]).toMatchObject({ id: 'Magento_Backend::dashboard', title: 'Dashboard' });
    const orders = resources.map((r) => r.sortOrder);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(resources.find((r) => r.id === 'Magento_Catalog::catalog')?.children).toEqual([
      expect.objectContaining({
        id: 'Magento_Catalog::catalog_inventory',
        children: [
          expect.objectContaining({ id: 'Magento_Catalog::products' }),
          expect.objectContaining({ id: 'Magento_Catalog::categories' }),
        ],
      }),
    ]);
  });

  it('Custom Magento_Catalog::products, activated: GET products allowed, GET orders 403 with Magento body', async () => {
    await publish(integrationTopic(), productsOnly, created(productsOnly, 'custom', ['Magento_Catalog::products']));
    const sent = await publish(integrationTopic(), productsOnly, activated(productsOnly));
    const ms = await within(
      sent,
      async () => (await decide('GET', '/rest/V1/products', productsOnly)).decision === 'allow',
    );

    const products = await decide('GET', '/rest/default/V1/products/ABC%2F10?fields=sku', productsOnly);
    expect(products).toMatchObject({
      decision: 'allow',
      status: 200,
      routeId: 'GET /V1/products/:sku',
      upstreamUrl: 'http://127.0.0.1:3010',
      upstreamPath: '/rest/default/V1/products/ABC%2F10?fields=sku',
    });
    expect(await decide('GET', '/rest/V1/orders', productsOnly)).toMatchObject({
      decision: 'deny',
      status: 403,
      upstreamPath: null,
      body: {
        message: "The consumer isn't authorized to access %resources.",
        parameters: { resources: 'Magento_Sales::actions_view' },
      },
    });
    expect(await decide('GET', '/rest/V1/no-such-route', productsOnly)).toMatchObject({
      status: 404,
      body: { message: 'Request does not match any route.' },
    });
    logger.warn({ ms }, 'activation visible to decisions');
  });

  it('an "all" integration may GET products and orders', async () => {
    await publish(integrationTopic(), everything, created(everything, 'all', []));
    const sent = await publish(integrationTopic(), everything, activated(everything));
    await within(sent, async () => (await decide('GET', '/rest/V1/orders', everything)).decision === 'allow');
    expect((await decide('GET', '/rest/V1/products', everything)).status).toBe(200);
    expect((await decide('DELETE', '/rest/V1/cmsPage/7', everything)).status).toBe(200);
  });

  it('an integration that is not activated (or unknown) gets 401', async () => {
    await publish(integrationTopic(), inactive, created(inactive, 'all', []));
    await waitFor(async () => (await fetch(`${acl.url}/integrations/${inactive}/grants`)).status === 200, {
      timeoutMs: 5_000,
    });
    expect(await decide('GET', '/rest/V1/products', inactive)).toMatchObject({
      status: 401,
      reason: 'integration-not-active',
      body: { parameters: { resources: 'Magento_Catalog::products' } },
    });
    expect(await decide('GET', '/rest/V1/products', `nobody-${run}`)).toMatchObject({
      status: 401,
      reason: 'integration-unknown',
    });
  });

  it('a narrowing update from Kafka is projected and moves the change signal; both replicas enforce it', async () => {
    // Both replicas have the old grants cached.
    for (const url of [acl.url, replica.url])
      expect((await decide('GET', '/rest/V1/products', productsOnly, url)).status).toBe(200);
    const before = await signalToken();
    const sent = await publish(integrationTopic(), productsOnly, {
      type: 'IntegrationUpdated',
      payload: { integrationId: productsOnly, changes: { resources: ['Magento_Sales::actions_view'] } },
    });
    const signalled = await within(
      sent,
      async () => (await grantsDoc(productsOnly))?.version === 3 && (await signalToken()) !== before,
    );
    const [first, second] = await Promise.all(
      [acl.url, replica.url].map((url) =>
        within(sent, async () => (await decide('GET', '/rest/V1/products', productsOnly, url)).status === 403),
      ),
    );
    logger.warn({ signalledMs: signalled, primaryMs: first, replicaMs: second }, 'narrowing visible to decisions');
    expect(Math.max(first, second)).toBeLessThan(1_000);
    expect((await decide('GET', '/rest/V1/orders', productsOnly)).status).toBe(200);
  });

  it('an event applied twice changes nothing', async () => {
    const before = await grantsDoc(productsOnly);
    expect(before).toMatchObject({ version: 3, status: 'active', resources: ['Magento_Sales::actions_view'] });
    // Redeliver v1 (Created, with the old products-only selection) and v2: a non-idempotent
    // projection would give products back.
    for (const key of [`${productsOnly}@1`, `${productsOnly}@2`]) {
      await bus.publish(integrationTopic(), [{ key: published[key].stream, value: published[key].event }]);
    }
    // A marker event on the same partition (same key) proves the redeliveries were consumed.
    const sent = await publish(integrationTopic(), productsOnly, {
      type: 'IntegrationUpdated',
      payload: { integrationId: productsOnly, changes: { name: 'renamed' } },
    });
    await within(sent, async () => (await grantsDoc(productsOnly))?.version === 4);
    const after = await grantsDoc(productsOnly);
    expect({ ...after, version: 3, updatedAt: null }).toEqual({ ...before, updatedAt: null });
    expect((await decide('GET', '/rest/V1/products', productsOnly)).status).toBe(403);
  });

  it('deleting an integration takes its grants away', async () => {
    const sent = await publish(integrationTopic(), everything, {
      type: 'IntegrationDeleted',
      payload: { integrationId: everything, name: `n-${everything}` },
    });
    const ms = await within(sent, async () => (await decide('GET', '/rest/V1/orders', everything)).status === 401);
    expect(ms).toBeLessThan(1_000);
  });

  it('guest access: Yes opens guest routes to anonymous callers within 1 s (orders stay 401), No closes them again', async () => {
    const configTopic = acl.topics.config;
    expect(await decide('GET', '/rest/V1/products', null)).toMatchObject({ status: 401, reason: 'anonymous-caller' });

    const opened = await publish(configTopic, CONFIG_STREAM_ID, guestAccess(true));
    const [openMs, openReplicaMs] = await Promise.all(
      [acl.url, replica.url].map((url) =>
        within(opened, async () => (await decide('GET', '/rest/default/V1/products', null, url)).status === 200),
      ),
    );
    expect(await decide('GET', '/rest/V1/products', null)).toMatchObject({
      decision: 'allow',
      reason: 'guest-access',
      upstreamPath: '/rest/V1/products',
    });
    expect(await decide('GET', '/rest/V1/orders', null)).toMatchObject({ status: 401 });
    expect(await decide('POST', '/rest/V1/products', null)).toMatchObject({ status: 401 });

    const closed = await publish(configTopic, CONFIG_STREAM_ID, guestAccess(false));
    const closeMs = await within(closed, async () => (await decide('GET', '/rest/V1/products', null)).status === 401);
    logger.warn({ openMs, openReplicaMs, closeMs }, 'guest access changes visible to decisions');
    expect(Math.max(openMs, openReplicaMs, closeMs)).toBeLessThan(1_000);
  });
});
