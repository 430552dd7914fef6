import { toCloudEvent, Topics } from '@integrations/contracts';
import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { waitFor } from '@integrations/testing';
import { randomUUID } from 'node:crypto';
import { type AclStandIn, startAclStandIn } from '../../../test/acl-stand-in';
import { dropDatabase, partsOf, testInfra, uniqueName } from '../../../test/registry-test-env';
import { type RunningRegistry, startRegistry } from '../../start';

/**
 * Activation through the registry's HTTP API, and its completion by the oauth service's
 * AccessTokenGranted over real Kafka, stored in FerretDB.
 */
const GRACE_MS = 1_500;
const dbName = uniqueName('registry_activation');
let registry: RunningRegistry;
let acl: AclStandIn;
const logLines: string[] = [];
let bus: MessageBus;
let oauthTopic: string;

beforeAll(async () => {
  const { mongoUrl, kafkaBrokers } = testInfra();
  const prefix = `${uniqueName('regact')}.`;
  oauthTopic = `${prefix}${Topics.oauth}`;
  acl = await startAclStandIn();
  registry = await startRegistry(
    {
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      REGISTRY_PORT: 0,
      REGISTRY_DB: dbName,
      REGISTRY_TOPIC_PREFIX: prefix,
      ACTIVATION_GRACE_MS: GRACE_MS,
      ACL_URL: acl.url,
    },
    // Debug lines are kept to see what the Kafka path did with a grant (the logs say it, nothing else does).
    { logger: createLogger('registry', 'debug', { write: (line: string) => void logLines.push(line) }) },
  );
  bus = createKafkaMessageBus({
    brokers: kafkaBrokers,
    clientId: `regact-test-${randomUUID().slice(0, 8)}`,
    logLevel: 'error',
  });
  await bus.connect();
});

afterAll(async () => {
  await bus?.disconnect();
  await registry?.close();
  await acl?.close();
  await dropDatabase(testInfra().mongoUrl, dbName);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${registry.url}${path}`, {
    method,
    headers: { 'x-actor': 'alice', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const bothUrls = { callbackUrl: 'https://erp.example.com/cb', identityLinkUrl: 'https://erp.example.com/login' };

async function create(extra: Record<string, unknown> = {}): Promise<Json> {
  const reply = await call('POST', '/integrations', {
    name: `Act ${randomUUID().slice(0, 8)}`,
    resourceAccess: 'all',
    ...extra,
  });
  expect(reply.status).toBe(201);
  return reply.body;
}

const activate = (id: string, body: Record<string, unknown>) => call('POST', `/integrations/${id}/activation`, body);

/** What the oauth service publishes when a partner completed /oauth/token/access. */
async function grantAccessToken(integrationId: string, eventId: string = randomUUID()): Promise<string> {
  const event = toCloudEvent(
    {
      streamId: integrationId,
      version: 1,
      type: 'AccessTokenGranted',
      payload: { integrationId, consumerId: `consumer-${integrationId.slice(0, 8)}`, accessTokenFingerprint: 'ab12' },
      timestamp: new Date(),
      metadata: { eventId, correlationId: `corr-${eventId}`, actor: integrationId },
    },
    '/integrations/oauth',
  );
  await bus.publish(oauthTopic, [{ key: integrationId, value: JSON.stringify(event) }]);
  return eventId;
}

const streamOf = (id: string) => partsOf(registry).store.readStream(id);

async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('POST /integrations/:id/activation', () => {
  it('activates at once in tokens mode, then refuses a second Activate and allows Reauthorize', async () => {
    const created = await create({ callbackUrl: 'https://erp.example.com/cb' });
    const activated = await activate(created.id, { reauthorize: false, mode: 'tokens' });
    expect(activated).toMatchObject({ status: 200, body: { id: created.id, status: 'active', version: 2 } });

    const again = await activate(created.id, { reauthorize: false, mode: 'tokens' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'INTEGRATION.ALREADY_ACTIVE' } } });

    const reauthorized = await activate(created.id, { reauthorize: true, mode: 'tokens' });
    expect(reauthorized).toMatchObject({ status: 200, body: { status: 'active', version: 3 } });
    const stream = await streamOf(created.id);
    expect(stream.map((e) => [e.type, e.metadata.actor])).toEqual([
      ['IntegrationCreated', 'alice'],
      ['IntegrationActivated', 'alice'],
      ['IntegrationReauthorized', 'alice'],
    ]);
    // The grid catches up from Kafka.
    await eventually(
      () => call('GET', `/integrations?name=${encodeURIComponent(created.name)}`),
      (reply) => reply.body.items[0]?.status === 'active' && reply.body.items[0]?.version === 3,
    );
  });

  it.each([
    ['an unknown field', { reauthorize: false, mode: 'tokens', force: true }, 'REQUEST.UNKNOWN_FIELD'],
    ['no mode', { reauthorize: false }, 'REQUEST.FIELD_REQUIRED'],
    ['a bad mode', { reauthorize: false, mode: 'magic' }, 'REQUEST.INVALID_VALUE'],
    ['reauthorize as a string', { reauthorize: 'yes', mode: 'tokens' }, 'REQUEST.INVALID_VALUE'],
  ])('refuses a body with %s and stores nothing', async (_label, body, detailCode) => {
    const created = await create();
    const reply = await activate(created.id, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('REQUEST.INVALID');
    expect(reply.body.error.details.map((d: Json) => d.code)).toContain(detailCode);
    expect(await streamOf(created.id)).toHaveLength(1);
  });

  it('refuses credentials prepared for another mode, an unknown id and a deleted integration', async () => {
    const exchange = await create(bothUrls);
    expect(await activate(exchange.id, { reauthorize: false, mode: 'tokens' })).toMatchObject({
      status: 409,
      body: { error: { code: 'INTEGRATION.ACTIVATION_MODE_CHANGED' } },
    });
    expect((await activate(randomUUID(), { reauthorize: false, mode: 'tokens' })).status).toBe(404);
    const gone = await create();
    expect((await call('DELETE', `/integrations/${gone.id}`)).status).toBe(200);
    expect(await activate(gone.id, { reauthorize: false, mode: 'tokens' })).toMatchObject({
      status: 404,
      body: { error: { code: 'INTEGRATION.NOT_FOUND' } },
    });
  });
});

describe('exchange mode, completed by AccessTokenGranted', () => {
  it('waits inactive, then becomes active once; a redelivered grant changes nothing', async () => {
    const created = await create(bothUrls);
    const started = await activate(created.id, { reauthorize: false, mode: 'exchange' });
    expect(started).toMatchObject({ status: 200, body: { status: 'inactive', version: 2 } });

    const eventId = await grantAccessToken(created.id);
    await grantAccessToken(created.id, eventId); // at-least-once delivery: the same event twice
    const stream = await eventually(
      () => streamOf(created.id),
      (events) => events.length >= 3,
    );
    expect((await call('GET', `/integrations/${created.id}`)).body).toMatchObject({ status: 'active', version: 3 });
    expect(stream[2]).toMatchObject({
      type: 'IntegrationActivated',
      payload: { mode: 'exchange' },
      metadata: { causationId: eventId, actor: created.id },
    });

    // Give the duplicate time to be consumed, then prove it appended nothing.
    const marker = await create(bothUrls);
    await activate(marker.id, { reauthorize: false, mode: 'exchange' });
    await grantAccessToken(marker.id);
    await eventually(
      () => streamOf(marker.id),
      (events) => events.length === 3,
    );
    expect(await streamOf(created.id)).toHaveLength(3);
    await eventually(
      () => call('GET', `/integrations?name=${encodeURIComponent(created.name)}`),
      (reply) => reply.body.items[0]?.status === 'active',
    );
  });

  it('records a reauthorization when the exchange was started by Reauthorize', async () => {
    const created = await create(bothUrls);
    await activate(created.id, { reauthorize: false, mode: 'exchange' });
    await grantAccessToken(created.id);
    await eventually(
      () => call('GET', `/integrations/${created.id}`),
      (reply) => reply.body.status === 'active',
    );

    const restarted = await activate(created.id, { reauthorize: true, mode: 'exchange' });
    expect(restarted).toMatchObject({ status: 200, body: { status: 'inactive', version: 4 } });
    await grantAccessToken(created.id);
    const stream = await eventually(
      () => streamOf(created.id),
      (events) => events.length === 5,
    );
    expect(stream.map((e) => e.type)).toEqual([
      'IntegrationCreated',
      'IntegrationActivationStarted',
      'IntegrationActivated',
      'IntegrationActivationStarted',
      'IntegrationReauthorized',
    ]);
  });

  it('completes an activation whose grant arrived a moment before it was recorded (partner exchanged from its callback)', async () => {
    const created = await create(bothUrls);
    await grantAccessToken(created.id);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await activate(created.id, { reauthorize: false, mode: 'exchange' })).toMatchObject({
      status: 200,
      body: { status: 'inactive' },
    });
    await eventually(
      () => call('GET', `/integrations/${created.id}`),
      (reply) => reply.body.status === 'active',
      GRACE_MS + 5_000,
    );
    expect((await streamOf(created.id)).map((e) => e.type)).toEqual([
      'IntegrationCreated',
      'IntegrationActivationStarted',
      'IntegrationActivated',
    ]);
  });

  it('ignores a grant for an integration that waits for no exchange, or that was deleted', async () => {
    const active = await create();
    await activate(active.id, { reauthorize: false, mode: 'tokens' });
    const idle = await create(bothUrls);
    const deleted = await create(bothUrls);
    await activate(deleted.id, { reauthorize: false, mode: 'exchange' });
    await call('DELETE', `/integrations/${deleted.id}`);

    const sent = Date.now();
    for (const id of [active.id, idle.id, deleted.id]) await grantAccessToken(id);
    // After the grace period plus a marker on each partition, every grant has been consumed.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, GRACE_MS - (Date.now() - sent)) + 500));
    const markers = await Promise.all([0, 1, 2, 3, 4, 5].map(() => create(bothUrls)));
    for (const marker of markers) {
      await activate(marker.id, { reauthorize: false, mode: 'exchange' });
      await grantAccessToken(marker.id);
    }
    for (const marker of markers)
      await eventually(
        () => streamOf(marker.id),
        (events) => events.length === 3,
      );

    expect((await streamOf(active.id)).map((e) => e.type)).toEqual(['IntegrationCreated', 'IntegrationActivated']);
    expect((await streamOf(idle.id)).map((e) => e.type)).toEqual(['IntegrationCreated']);
    expect((await streamOf(deleted.id)).map((e) => e.type)).toEqual([
      'IntegrationCreated',
      'IntegrationActivationStarted',
      'IntegrationDeleted',
    ]);
  });
});

describe('POST /integrations/:id/activation/completion (the oauth service, before it answers the partner)', () => {
  const complete = (id: string, body: unknown) => call('POST', `/integrations/${id}/activation/completion`, body);
  const snapshotsAt = (id: string, version: number) =>
    acl.calls.filter((c) => c.method === 'PUT' && c.path === `/access/${id}/snapshots/${version}`);
  /** The Kafka path's own account of a grant it found already applied. */
  const kafkaSawDuplicate = (grantId: string) =>
    waitFor(
      () =>
        logLines.some(
          (line) => line.includes('AccessTokenGranted already applied') && line.includes(`"causationId":"${grantId}"`),
        ),
      { message: `the Kafka path handling grant ${grantId}`, timeoutMs: 15_000 },
    );

  it('completes at once with the snapshot at the acl; the same grant from Kafka then changes nothing', async () => {
    const created = await create(bothUrls);
    await activate(created.id, { reauthorize: false, mode: 'exchange' });
    const grantId = randomUUID();
    const reply = await complete(created.id, { grantId });
    expect(reply).toEqual({ status: 200, body: { outcome: 'completed', version: 3 } });
    expect(snapshotsAt(created.id, 3).map((c) => c.body)).toEqual([
      {
        access: { integrationId: created.id, version: 3, status: 'active', resourceAccess: 'all', resources: [] },
      },
    ]);
    const stream = await streamOf(created.id);
    expect(stream[2]).toMatchObject({
      type: 'IntegrationActivated',
      metadata: { causationId: grantId, actor: created.id },
    });

    await grantAccessToken(created.id, grantId);
    await kafkaSawDuplicate(grantId);
    expect(await streamOf(created.id)).toHaveLength(3);
    expect(await complete(created.id, { grantId })).toEqual({ status: 200, body: { outcome: 'duplicate' } });
  });

  it('answers duplicate after the Kafka path, publishing the current snapshot again before replying', async () => {
    const created = await create(bothUrls);
    await activate(created.id, { reauthorize: false, mode: 'exchange' });
    const grantId = await grantAccessToken(created.id);
    await eventually(
      () => streamOf(created.id),
      (events) => events.length === 3,
    );
    // The Kafka path published its snapshot too.
    await waitFor(() => snapshotsAt(created.id, 3).length === 1, { message: 'the Kafka path snapshot' });
    expect(await complete(created.id, { grantId })).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect(snapshotsAt(created.id, 3)).toHaveLength(2);
    expect(await streamOf(created.id)).toHaveLength(3);
  });

  it('answers not-pending and gone without changing anything', async () => {
    const idle = await create(bothUrls);
    expect(await complete(idle.id, { grantId: randomUUID() })).toEqual({
      status: 200,
      body: { outcome: 'not-pending' },
    });
    expect(await streamOf(idle.id)).toHaveLength(1);
    expect(await complete(randomUUID(), { grantId: randomUUID() })).toEqual({ status: 200, body: { outcome: 'gone' } });
  });

  it.each([
    ['a grant id that is not a UUID', { grantId: 'grant-1' }, 'REQUEST.INVALID_VALUE'],
    ['no grant id', {}, 'REQUEST.FIELD_REQUIRED'],
    ['an unknown field', { grantId: randomUUID(), force: true }, 'REQUEST.UNKNOWN_FIELD'],
  ])('refuses %s with 400 and stores nothing', async (_label, body, code) => {
    const created = await create(bothUrls);
    await activate(created.id, { reauthorize: false, mode: 'exchange' });
    const reply = await complete(created.id, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('REQUEST.INVALID');
    expect(reply.body.error.details.map((d: Json) => d.code)).toContain(code);
    expect(await streamOf(created.id)).toHaveLength(2);
  });
});
