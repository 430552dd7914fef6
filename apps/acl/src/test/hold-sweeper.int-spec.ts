import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DecideBatchReplySchema, type IntegrationAccess } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName, waitFor } from '@integrations/testing';
import type mongoose from 'mongoose';
import { startAcl, type RunningAcl } from '../start';

/**
 * A hold whose command died before it published its snapshot is resolved by asking the registry
 * (`GET /integrations/:id/access`), played here by a real node:http server. Two acl replicas sweep
 * the same database at once.
 */
jest.setTimeout(120_000);

const RESOLVE_AFTER_MS = 400;
const run = uniqueName('acl_sweep_it');
interface LogEntry {
  msg?: string;
  level?: string;
  integrationId?: string;
  problem?: string;
  [field: string]: unknown;
}
const warnings: LogEntry[] = [];
const logger = createLogger('acl-test', 'warn', {
  write: (line: string) => {
    const entry = JSON.parse(line) as LogEntry;
    if (entry.msg?.startsWith('Stale access holds')) warnings.push(entry);
    else if (process.env.TEST_LOG_LEVEL) process.stdout.write(line);
  },
});

/** What the stand-in registry answers, by integration id; and what it was asked. */
const answers = new Map<string, { status: number; body: unknown }>();
const asked: string[] = [];
const firstAskedAt = new Map<string, number>();
let registry: Server;
let registryUrl: string;
let a: RunningAcl;
let b: RunningAcl;
let mongo: mongoose.Connection;

const access = (integrationId: string, version: number, over: Partial<IntegrationAccess> = {}): IntegrationAccess => ({
  integrationId,
  version,
  status: 'active',
  resourceAccess: 'all',
  resources: [],
  ...over,
});

async function call(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
const readAccess = async (integrationId: string) =>
  (await call(a.url, 'GET', `/access/${integrationId}`)).body as {
    effective: IntegrationAccess | null;
    holds: Array<{ commandId: string; version: number }>;
    snapshotVersion: number | null;
  };
const productsStatus = async (url: string, integrationId: string) => {
  const { body } = await call(url, 'POST', '/decisions/batch', {
    requests: [{ method: 'GET', path: '/rest/V1/products', integrationId }],
  });
  return DecideBatchReplySchema.parse(body).decisions[0].status;
};

/** An active integration at version 2 (snapshot), with a hold of a delete at version 3. */
async function heldDelete(integrationId: string): Promise<{ command: string; placedAt: number }> {
  expect(
    (await call(a.url, 'PUT', `/access/${integrationId}/snapshots/2`, { access: access(integrationId, 2) })).status,
  ).toBe(204);
  const command = randomUUID();
  const placedAt = Date.now();
  const held = access(integrationId, 3, { status: 'deleted' });
  expect((await call(b.url, 'PUT', `/access/${integrationId}/holds/${command}`, { access: held })).status).toBe(204);
  expect(await productsStatus(a.url, integrationId)).toBe(401);
  return { command, placedAt };
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  registry = createServer((request, response) => {
    const match = /^\/integrations\/([^/]+)\/access$/.exec(request.url ?? '');
    const integrationId = match ? decodeURIComponent(match[1]) : '';
    asked.push(integrationId);
    if (!firstAskedAt.has(integrationId)) firstAskedAt.set(integrationId, Date.now());
    const answer = answers.get(integrationId) ?? {
      status: 404,
      body: { error: { code: 'ROUTE.NOT_FOUND', message: 'no such route' } },
    };
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  registryUrl = `http://127.0.0.1:${await listen(registry)}`;

  const infra = await getTestInfra();
  const replica = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGO_URL: infra.mongoUrl,
    ACL_DB: run,
    ACL_TOPIC_PREFIX: `${run}.`,
    ACL_PORT: 0,
    REGISTRY_URL: registryUrl,
    ACL_HOLD_RESOLVE_AFTER_MS: RESOLVE_AFTER_MS,
    ACL_HOLD_SWEEP_EVERY_MS: 100,
    logger,
  };
  a = await startAcl(replica);
  b = await startAcl(replica);
  mongo = await connectMongo(infra.mongoUrl, run);
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  if (registry.listening) await new Promise((resolve) => registry.close(resolve));
  await mongo?.db?.dropDatabase().catch(() => undefined);
  await mongo?.close();
});

const resolved = (integrationId: string) =>
  waitFor(async () => (await readAccess(integrationId)).holds.length === 0, {
    timeoutMs: 10_000,
    intervalMs: 20,
    message: `the holds of ${integrationId} to be resolved`,
  });

describe('stale-hold sweeper', () => {
  it('drops a hold whose command never committed (the registry is still at the previous version)', async () => {
    const id = `never-committed-${run}`;
    answers.set(id, { status: 200, body: access(id, 2) });
    const { placedAt } = await heldDelete(id);
    await resolved(id);
    // Not before it was stale: a younger hold may belong to a command still in flight.
    expect(firstAskedAt.get(id)! - placedAt).toBeGreaterThanOrEqual(RESOLVE_AFTER_MS);
    expect(await readAccess(id)).toMatchObject({ effective: access(id, 2), snapshotVersion: 2 });
    expect(await productsStatus(b.url, id)).toBe(200);
    expect(await productsStatus(a.url, id)).toBe(200);
  });

  it('stores the snapshot of a command that committed but never published it, and drops its hold', async () => {
    const id = `committed-${run}`;
    answers.set(id, { status: 200, body: access(id, 3, { status: 'deleted' }) });
    await heldDelete(id);
    await resolved(id);
    expect(await readAccess(id)).toMatchObject({ effective: access(id, 3, { status: 'deleted' }), snapshotVersion: 3 });
    expect(await productsStatus(b.url, id)).toBe(401);
  });

  it('drops the holds of an integration the registry never heard of (404 INTEGRATION.NOT_FOUND)', async () => {
    const id = `unknown-${run}`;
    answers.set(id, { status: 404, body: { error: { code: 'INTEGRATION.NOT_FOUND', message: 'gone' } } });
    await heldDelete(id);
    await resolved(id);
    // Nothing is learnt about its access: the snapshot the test stored stays.
    expect((await readAccess(id)).snapshotVersion).toBe(2);
  });

  it.each([
    ['a 503', { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'down' } } }, /registry answered 503/],
    [
      'a 404 that is not the registry saying so (wrong URL, older registry)',
      { status: 404, body: { error: { code: 'ROUTE.NOT_FOUND', message: 'no' } } },
      /404 with code ROUTE\.NOT_FOUND/,
    ],
    ['a body that is not an access state', { status: 200, body: { integrationId: 'x' } }, /invalid access body/],
  ])('keeps the hold (fails closed) when the registry answers %s, until it answers', async (_what, answer, problem) => {
    const id = `kept-${randomUUID().slice(0, 8)}-${run}`;
    answers.set(id, answer);
    const { command } = await heldDelete(id);
    await waitFor(() => asked.filter((asked) => asked === id).length >= 3, { timeoutMs: 10_000, intervalMs: 20 });
    expect((await readAccess(id)).holds).toEqual([expect.objectContaining({ commandId: command, version: 3 })]);
    expect(await productsStatus(b.url, id)).toBe(401);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        integrationId: id,
        outcome: 'kept',
        kept: [command],
        problem: expect.stringMatching(problem),
      }),
    );

    answers.set(id, { status: 200, body: access(id, 2) });
    await resolved(id);
    expect(await productsStatus(b.url, id)).toBe(200);
  });

  it('keeps the hold when the registry cannot be reached, and logs a warning', async () => {
    const id = `unreachable-${run}`;
    answers.set(id, { status: 200, body: access(id, 2) });
    await new Promise((resolve) => registry.close(resolve));
    const { command } = await heldDelete(id);
    const warned = () => warnings.filter((w) => w.integrationId === id && /registry unreachable/.test(w.problem ?? ''));
    await waitFor(() => warned().length >= 3, { timeoutMs: 10_000, intervalMs: 20 });
    expect(warned()[0]).toMatchObject({
      msg: 'Stale access holds kept (access stays narrowed): they could not be resolved',
      kept: [command],
    });
    expect((await readAccess(id)).holds).toEqual([expect.objectContaining({ commandId: command })]);
    expect(await productsStatus(a.url, id)).toBe(401);
    expect(await productsStatus(b.url, id)).toBe(401);

    // Back on the same address: resolved at the next sweep.
    await listen(registry, Number(new URL(registryUrl).port));
    await resolved(id);
    expect(await productsStatus(a.url, id)).toBe(200);
  });
});
