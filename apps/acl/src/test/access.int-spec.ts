import { randomUUID } from 'node:crypto';
import { DecideBatchReplySchema, type DecisionRequest, type IntegrationAccess } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName } from '@integrations/testing';
import type mongoose from 'mongoose';
import { startAcl, type RunningAcl } from '../start';

/**
 * Two acl instances on one database are two replicas of one deployment. Access reaches them only
 * through the registry's synchronous calls (holds and snapshots): nothing is published on Kafka for
 * the integrations of this file, so whatever a decision shows came from those calls.
 */
jest.setTimeout(120_000);

const run = uniqueName('acl_access_it');
const logger = createLogger('acl-test', process.env.TEST_LOG_LEVEL ?? 'warn');
let a: RunningAcl;
let b: RunningAcl;
let mongo: mongoose.Connection;

const PRODUCTS = 'Magento_Catalog::products';
const ORDERS = 'Magento_Sales::actions_view';

const access = (integrationId: string, version: number, over: Partial<IntegrationAccess> = {}): IntegrationAccess => ({
  integrationId,
  version,
  status: 'active',
  resourceAccess: 'custom',
  resources: [PRODUCTS, ORDERS],
  ...over,
});

/** A JSON reply: an error body, or what the endpoint answers (checked with its contract where it has one). */
type ReplyBody = { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;

async function call(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as ReplyBody) : null };
}

const placeHold = (url: string, commandId: string, held: IntegrationAccess) =>
  call(url, 'PUT', `/access/${held.integrationId}/holds/${commandId}`, { access: held });
const releaseHold = (url: string, integrationId: string, commandId: string) =>
  call(url, 'DELETE', `/access/${integrationId}/holds/${commandId}`);
const publishSnapshot = (url: string, snapshot: IntegrationAccess, releaseHold?: string) =>
  call(url, 'PUT', `/access/${snapshot.integrationId}/snapshots/${snapshot.version}`, {
    access: snapshot,
    ...(releaseHold ? { releaseHold } : {}),
  });
const readAccess = async (url: string, integrationId: string) =>
  (await call(url, 'GET', `/access/${integrationId}`)).body as unknown as {
    effective: IntegrationAccess | null;
    holds: Array<{ commandId: string; version: number; access: IntegrationAccess; placedAt: string }>;
    snapshotVersion: number | null;
    projectionVersion: number | null;
  };

async function decide(url: string, method: string, path: string, integrationId: string | null) {
  const { status, body } = await call(url, 'POST', '/decisions/batch', { requests: [{ method, path, integrationId }] });
  expect(status).toBe(200);
  return DecideBatchReplySchema.parse(body).decisions[0];
}
/** Status of GET products and GET orders for the integration, on one replica. */
const statuses = async (url: string, integrationId: string) => [
  (await decide(url, 'GET', '/rest/V1/products', integrationId)).status,
  (await decide(url, 'GET', '/rest/V1/orders', integrationId)).status,
];

beforeAll(async () => {
  const infra = await getTestInfra();
  const replica = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGO_URL: infra.mongoUrl,
    ACL_DB: run,
    ACL_TOPIC_PREFIX: `${run}.`,
    ACL_PORT: 0,
    // The sweeper must not resolve this file's holds: there is no registry here.
    ACL_HOLD_RESOLVE_AFTER_MS: 3_600_000,
    REGISTRY_URL: 'http://127.0.0.1:9',
    logger,
  };
  a = await startAcl(replica);
  b = await startAcl(replica);
  mongo = await connectMongo(infra.mongoUrl, run);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await mongo?.db?.dropDatabase().catch(() => undefined);
  await mongo?.close();
});

describe('access changes through holds and snapshots, on two replicas', () => {
  const id = `int-${run}`;

  it('a published snapshot allows at once on both replicas', async () => {
    // Both replicas have "unknown" cached.
    for (const url of [a.url, b.url])
      expect(await decide(url, 'GET', '/rest/V1/products', id)).toMatchObject({
        status: 401,
        reason: 'integration-unknown',
      });

    expect((await publishSnapshot(a.url, access(id, 2))).status).toBe(204);
    expect(await statuses(b.url, id)).toEqual([200, 200]);
    expect(await statuses(a.url, id)).toEqual([200, 200]);
    expect(await readAccess(b.url, id)).toEqual({
      effective: access(id, 2),
      holds: [],
      snapshotVersion: 2,
      projectionVersion: null,
    });
  });

  it('a hold placed through A makes the very next decision on B refuse; releasing it restores, every time', async () => {
    for (let round = 0; round < 5; round++) {
      expect(await statuses(b.url, id)).toEqual([200, 200]); // cached on B
      const command = randomUUID();
      expect((await placeHold(a.url, command, access(id, 3, { status: 'deleted', resources: [] }))).status).toBe(204);
      expect(await decide(b.url, 'GET', '/rest/V1/products', id)).toMatchObject({
        decision: 'deny',
        status: 401,
        reason: 'integration-not-active',
        body: {
          message: "The consumer isn't authorized to access %resources.",
          parameters: { resources: PRODUCTS },
        },
      });
      expect(await statuses(a.url, id)).toEqual([401, 401]);

      expect((await releaseHold(b.url, id, command)).status).toBe(204);
      expect(await statuses(a.url, id)).toEqual([200, 200]);
      expect(await statuses(b.url, id)).toEqual([200, 200]);
    }
    expect((await readAccess(a.url, id)).holds).toEqual([]);
  });

  it('no call that starts after the hold is acknowledged is allowed, on either replica, under load', async () => {
    let acknowledged = false;
    let stop = false;
    const afterAck: number[] = [];
    let beforeAck = 0;
    const worker = async (url: string) => {
      while (!stop) {
        const startedAfterAck = acknowledged;
        const decision = await decide(url, 'GET', '/rest/V1/products', id);
        if (startedAfterAck) afterAck.push(decision.status);
        else beforeAck += 1;
      }
    };
    const workers = [a.url, b.url, a.url, b.url].map(worker);
    while (beforeAck < 40) await new Promise((resolve) => setImmediate(resolve));
    const command = randomUUID();
    const placed = await placeHold(a.url, command, access(id, 3, { status: 'reset', resources: [] }));
    acknowledged = true;
    expect(placed.status).toBe(204);
    while (afterAck.length < 40) await new Promise((resolve) => setImmediate(resolve));
    stop = true;
    await Promise.all(workers);
    logger.warn({ beforeAck, afterAck: afterAck.length }, 'decisions around a hold');
    expect(new Set(afterAck)).toEqual(new Set([401]));
    expect((await releaseHold(a.url, id, command)).status).toBe(204);
  });

  it('a narrowing update holds the intersection until its snapshot releases the hold', async () => {
    const command = randomUUID();
    // The command keeps orders and adds CMS pages: only orders stay allowed while it is held.
    const narrowed = access(id, 3, { resources: [ORDERS, 'Magento_Cms::page'] });
    expect((await placeHold(b.url, command, narrowed)).status).toBe(204);
    expect(await statuses(a.url, id)).toEqual([403, 200]);
    expect(await statuses(b.url, id)).toEqual([403, 200]);
    expect((await readAccess(a.url, id)).effective).toEqual(access(id, 3, { resources: [ORDERS] }));
    expect(await decide(a.url, 'GET', '/rest/V1/cmsPage/7', id)).toMatchObject({ status: 403 });

    // The command committed: its snapshot (with the new page) releases the hold.
    expect((await publishSnapshot(a.url, narrowed, command)).status).toBe(204);
    expect(await readAccess(b.url, id)).toEqual({
      effective: narrowed,
      holds: [],
      snapshotVersion: 3,
      projectionVersion: null,
    });
    expect(await statuses(b.url, id)).toEqual([403, 200]);
    expect(await decide(b.url, 'GET', '/rest/V1/cmsPage/7', id)).toMatchObject({ status: 200 });
    // Only the newest snapshot is kept.
    expect(await mongo.db!.collection('access_snapshots').countDocuments({ integrationId: id })).toBe(1);
  });

  it('ignores an older snapshot arriving late, and a hold at or below the known version', async () => {
    expect((await publishSnapshot(b.url, access(id, 2))).status).toBe(204);
    expect((await readAccess(a.url, id)).snapshotVersion).toBe(3);
    const stale = randomUUID();
    expect((await placeHold(a.url, stale, access(id, 3, { status: 'deleted', resources: [] }))).status).toBe(204);
    expect(await statuses(b.url, id)).toEqual([403, 200]);
    expect((await releaseHold(a.url, id, stale)).status).toBe(204);
  });

  it('placing a hold again is a no-op; the same command id for another version is 409; DELETE is idempotent', async () => {
    const command = randomUUID();
    const held = access(id, 4, { status: 'deleted', resources: [] });
    expect((await placeHold(a.url, command, held)).status).toBe(204);
    expect((await placeHold(b.url, command, held)).status).toBe(204);
    expect(await placeHold(a.url, command, access(id, 5, { status: 'deleted', resources: [] }))).toMatchObject({
      status: 409,
      body: { error: { code: 'ACL.HOLD_CONFLICT' } },
    });
    expect((await readAccess(a.url, id)).holds).toEqual([
      expect.objectContaining({ commandId: command, version: 4, access: held }),
    ]);
    for (let i = 0; i < 2; i++) expect((await releaseHold(b.url, id, command)).status).toBe(204);
    expect((await releaseHold(b.url, id, randomUUID())).status).toBe(204);
    expect((await readAccess(a.url, id)).holds).toEqual([]);
  });

  describe('refuses bad input with 400 and a stable code, storing nothing', () => {
    const other = `int-other-${run}`;
    const command = randomUUID();
    it.each([
      [
        'a command id that is not a UUID',
        'PUT',
        `/access/${other}/holds/cmd-1`,
        { access: access(other, 2) },
        'ACL.INVALID_COMMAND_ID',
      ],
      [
        'a hold body for another integration',
        'PUT',
        `/access/${other}/holds/${command}`,
        { access: access(id, 2) },
        'ACL.PATH_MISMATCH',
      ],
      [
        'a hold with an unknown status',
        'PUT',
        `/access/${other}/holds/${command}`,
        { access: { ...access(other, 2), status: 'gone' } },
        'ACL.INVALID_ACCESS_REQUEST',
      ],
      [
        'a hold with an extra field',
        'PUT',
        `/access/${other}/holds/${command}`,
        { access: access(other, 2), force: true },
        'ACL.INVALID_ACCESS_REQUEST',
      ],
      ['a hold without a body', 'PUT', `/access/${other}/holds/${command}`, undefined, 'ACL.INVALID_ACCESS_REQUEST'],
      [
        'a snapshot whose version differs from the path',
        'PUT',
        `/access/${other}/snapshots/3`,
        { access: access(other, 2) },
        'ACL.PATH_MISMATCH',
      ],
      [
        'a snapshot for another integration',
        'PUT',
        `/access/${other}/snapshots/2`,
        { access: access(id, 2) },
        'ACL.PATH_MISMATCH',
      ],
      [
        'a snapshot version that is not a number',
        'PUT',
        `/access/${other}/snapshots/two`,
        { access: access(other, 2) },
        'ACL.INVALID_ACCESS_REQUEST',
      ],
      [
        'a snapshot at version 0',
        'PUT',
        `/access/${other}/snapshots/0`,
        { access: access(other, 0) },
        'ACL.INVALID_ACCESS_REQUEST',
      ],
      [
        'a release of a command id that is not a UUID',
        'DELETE',
        `/access/${other}/holds/nope`,
        undefined,
        'ACL.INVALID_COMMAND_ID',
      ],
    ] as const)('%s', async (_what, method, path, body, code) => {
      const response = await call(a.url, method, path, body);
      expect(response.status).toBe(400);
      expect(response.body?.error).toMatchObject({ code, message: expect.any(String) });
      expect(await readAccess(b.url, other)).toEqual({
        effective: null,
        holds: [],
        snapshotVersion: null,
        projectionVersion: null,
      });
    });
  });

  it('never heard of these integrations on Kafka', async () => {
    expect((await call(a.url, 'GET', `/integrations/${id}/grants`)).status).toBe(404);
    expect(await mongo.db!.collection('grants').countDocuments()).toBe(0);
  });
});

describe('POST /decisions/batch', () => {
  const all = `int-all-${run}`;
  const products = `int-products-${run}`;

  beforeAll(async () => {
    await publishSnapshot(a.url, access(all, 2, { resourceAccess: 'all', resources: [] }));
    await publishSnapshot(a.url, access(products, 2, { resources: [PRODUCTS] }));
  });

  it('answers every call, in order, with the contract shape', async () => {
    const requests: DecisionRequest[] = [
      { method: 'GET', path: '/rest/V1/orders', integrationId: all },
      { method: 'GET', path: '/rest/V1/orders', integrationId: products },
      { method: 'GET', path: '/rest/default/V1/products/ABC%2F10?fields=sku', integrationId: products },
      { method: 'GET', path: '/rest/V1/products', integrationId: null },
      { method: 'GET', path: '/rest/V1/no-such-route', integrationId: all },
      { method: 'delete', path: '/rest/V1/cmsPage/7', integrationId: all },
      { method: 'GET', path: '/rest/V1/products', integrationId: `nobody-${run}` },
      { method: 'GET', path: '/rest/V1/orders', integrationId: all },
    ];
    const { status, body } = await call(b.url, 'POST', '/decisions/batch', { requests });
    expect(status).toBe(200);
    const { decisions } = DecideBatchReplySchema.parse(body);
    expect(decisions.map((d) => [d.status, d.reason])).toEqual([
      [200, 'granted'],
      [403, 'resource-not-granted'],
      [200, 'granted'],
      [401, 'anonymous-caller'],
      [404, 'route-not-found'],
      [200, 'granted'],
      [401, 'integration-unknown'],
      [200, 'granted'],
    ]);
    expect(decisions[2]).toMatchObject({
      routeId: 'GET /V1/products/:sku',
      upstreamUrl: 'http://127.0.0.1:3010',
      upstreamPath: '/rest/default/V1/products/ABC%2F10?fields=sku',
    });
    // The single form gives the same answers.
    for (const [i, request] of requests.entries()) {
      const single = await call(a.url, 'POST', '/decisions', request);
      expect(single).toEqual({ status: 200, body: decisions[i] });
    }
  });

  it.each([
    ['no body', undefined, undefined],
    ['no requests', { requests: [] }, 'requests'],
    [
      'a request without integrationId (null is anonymous)',
      { requests: [{ method: 'GET', path: '/rest/V1/orders' }] },
      'requests.0.integrationId',
    ],
    [
      'a method that is not one',
      { requests: [{ method: 'G E T', path: '/rest/V1/orders', integrationId: null }] },
      'requests.0.method',
    ],
    ['an empty path', { requests: [{ method: 'GET', path: '', integrationId: null }] }, 'requests.0.path'],
    [
      'an extra field',
      { requests: [{ method: 'GET', path: '/rest/V1/orders', integrationId: null, admin: true }] },
      'requests.0',
    ],
    [
      'more than 1,000 requests',
      {
        requests: Array.from({ length: 1_001 }, () => ({
          method: 'GET',
          path: '/rest/V1/orders',
          integrationId: null,
        })),
      },
      'requests',
    ],
    ['a bare array', [{ method: 'GET', path: '/rest/V1/orders', integrationId: null }], undefined],
  ])('refuses %s with 400 ACL.INVALID_DECISION_REQUEST', async (_what, body, field) => {
    const { status, body: reply } = await call(a.url, 'POST', '/decisions/batch', body);
    expect(status).toBe(400);
    expect(reply?.error).toMatchObject({
      code: 'ACL.INVALID_DECISION_REQUEST',
      message: expect.stringMatching(/^The request is invalid: /),
    });
    if (field) expect(reply?.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('echoes the correlation id, and refuses another content type (415) or a body over 2 MiB (413)', async () => {
    const requests = [{ method: 'GET', path: '/rest/V1/orders', integrationId: null }];
    const ok = await fetch(`${a.url}/decisions/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': `it-${run}` },
      body: JSON.stringify({ requests }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-correlation-id')).toBe(`it-${run}`);

    const form = await fetch(`${a.url}/decisions/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ requests }),
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' } });

    const huge = {
      requests: [{ method: 'GET', path: `/rest/V1/orders?${'x'.repeat(3 * 1024 * 1024)}`, integrationId: null }],
    };
    expect(await call(a.url, 'POST', '/decisions/batch', huge)).toMatchObject({
      status: 413,
      body: { error: { code: 'REQUEST.TOO_LARGE' } },
    });
    // Counted like any other route.
    const metrics = await (await fetch(`${a.url}/metrics`)).text();
    expect(metrics).toMatch(
      /http_server_request_duration_seconds_count\{[^}]*route="\/decisions\/batch"[^}]*status="200"[^}]*\} [1-9]/,
    );
  });

  it('refuses invalid JSON with 400 REQUEST.INVALID_JSON', async () => {
    expect(await call(a.url, 'POST', '/decisions/batch', '{"requests": [')).toMatchObject({
      status: 400,
      body: { error: { code: 'REQUEST.INVALID_JSON' } },
    });
  });
});
