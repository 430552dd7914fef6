import { randomUUID } from 'node:crypto';
import { CONFIG_STREAM_ID } from '@integrations/config-client';
import {
  DecideBatchReplySchema,
  toCloudEvent,
  type AclDecision,
  type DecisionRequest,
  type IntegrationAccess,
} from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName, waitFor } from '@integrations/testing';
import type mongoose from 'mongoose';
import { ADMIN_ROOT, AclCatalog, type AclResourceNode } from '../catalog/acl-catalog';
import { ANONYMOUS, SELF, loadRouteMap, type Route } from '../routes/route-map';
import { startAcl, type RunningAcl } from '../start';

/**
 * The whole shipped route table through the real decision path: two acl replicas on the shared
 * Kafka and FerretDB, access pushed through `PUT /access/:id/snapshots/:version` on one, decisions
 * asked of both with `POST /decisions/batch`. For every route: an integration granted exactly its
 * resource passes, one granted a sibling resource gets 403, "All" passes, an anonymous caller gets
 * 401; anonymous routes are open to all; `self` routes (customer tokens) refuse every integration;
 * guest routes are open to anyone while "Allow Anonymous Guest Access" is Yes, and only then.
 */
jest.setTimeout(120_000);

const run = uniqueName('acl_routes_it');
const logger = createLogger('acl-test', process.env.TEST_LOG_LEVEL ?? 'warn');
const catalog = AclCatalog.load('config/acl-resources.json');
const { routes } = loadRouteMap('config/routes.json', catalog, {});

let a: RunningAcl;
let b: RunningAcl;
let bus: MessageBus;
let mongo: mongoose.Connection;

type Caller = 'anonymous' | 'exact' | 'sibling' | 'all';
const CALLERS: readonly Caller[] = ['anonymous', 'exact', 'sibling', 'all'];

/** Every id of the tree with its siblings, to find "a sibling resource" of a route's resource. */
const siblingsOf = new Map<string, string[]>();
const treeIds: string[] = [];
(function index(nodes: readonly AclResourceNode[]) {
  for (const node of nodes) {
    siblingsOf.set(
      node.id,
      nodes.filter((n) => n.id !== node.id).map((n) => n.id),
    );
    treeIds.push(node.id);
    index(node.children);
  }
})(catalog.tree);

/**
 * A resource beside `resource` that does not grant it: a sibling, else a sibling of the nearest
 * ancestor that has one (a Custom grant adds ancestors, never descendants or siblings).
 */
function beside(resource: string): string {
  for (const id of [resource, ...catalog.ancestors(resource)]) {
    const sibling = siblingsOf.get(id)?.[0];
    if (sibling) return sibling;
  }
  throw new Error(`${resource} has nothing beside it`);
}

/** The access of the two integrations each route resource gets. */
function accessFor(
  resource: string,
): Record<'exact' | 'sibling', Pick<IntegrationAccess, 'resourceAccess' | 'resources'>> {
  const custom = (resources: string[]) => ({ resourceAccess: 'custom' as const, resources });
  if (resource === SELF) return { exact: custom([SELF]), sibling: custom([beside('Magento_Customer::manage')]) };
  // Every Custom selection holds the admin root; only an empty one does not.
  if (resource === ADMIN_ROOT) return { exact: custom([ADMIN_ROOT]), sibling: custom([]) };
  // Declared by no acl.xml: only "All" has it, as in Magento; every id of the tree is not enough.
  if (!catalog.has(resource)) return { exact: { resourceAccess: 'all', resources: [] }, sibling: custom(treeIds) };
  return { exact: custom([resource]), sibling: custom([beside(resource)]) };
}

const resourceOf = (route: Route) => route.resources[0];
const resources = [...new Set(routes.map(resourceOf).filter((r) => r !== ANONYMOUS))];
const integrationId = (caller: Exclude<Caller, 'anonymous'>, resource?: string) =>
  caller === 'all' ? `${run}-all` : `${run}-${caller}-${resources.indexOf(resource!)}`;

/** A request for the route: parameters filled in, a store code (or none), sometimes a trailing slash. */
function targetOf(route: Route, index: number): string {
  const store = ['', '/default', '/all', '/fr_store'][index % 4];
  const path = route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => `v-${name}`);
  return `/rest${store}${path}${index % 5 === 4 ? '/' : ''}`;
}

type Expected = Pick<AclDecision, 'status' | 'reason'>;
function expected(route: Route, caller: Caller, guestAccess: boolean): Expected {
  const resource = resourceOf(route);
  if (resource === ANONYMOUS) return { status: 200, reason: 'anonymous-route' };
  if (route.guest && guestAccess) return { status: 200, reason: 'guest-access' };
  if (caller === 'anonymous') return { status: 401, reason: 'anonymous-caller' };
  // A customer's own data: no integration has a customer token.
  if (resource === SELF || caller === 'sibling') return { status: 403, reason: 'resource-not-granted' };
  return { status: 200, reason: 'granted' };
}

async function call(url: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function publishGuestAccess(value: boolean, version: number) {
  const event = toCloudEvent(
    {
      streamId: CONFIG_STREAM_ID,
      version,
      type: 'ConfigChanged',
      payload: { changes: [{ path: 'webapi/webapisecurity/allow_insecure', value, previous: !value }] },
      timestamp: new Date(),
      metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'admin' },
    },
    '/integrations/test',
  );
  await bus.publish(a.topics.config, [{ key: CONFIG_STREAM_ID, value: JSON.stringify(event) }]);
}

/**
 * Every route x every caller, in batches of 1,000 alternating between the replicas. Returns the
 * decisions that differ from what Magento answers (none, when all is well) and how many were made.
 */
async function walk(guestAccess: boolean): Promise<{ decisions: number; wrong: unknown[] }> {
  const cases = routes.flatMap((route, index) =>
    CALLERS.map((caller) => ({
      route,
      caller,
      request: {
        method: route.method,
        path: targetOf(route, index),
        integrationId: caller === 'anonymous' ? null : integrationId(caller, resourceOf(route)),
      } satisfies DecisionRequest,
    })),
  );
  const wrong: unknown[] = [];
  for (let start = 0; start < cases.length; start += 1_000) {
    const batch = cases.slice(start, start + 1_000);
    const url = (start / 1_000) % 2 === 0 ? a.url : b.url;
    const reply = await call(url, 'POST', '/decisions/batch', { requests: batch.map((c) => c.request) });
    expect(reply.status).toBe(200);
    DecideBatchReplySchema.parse(reply.body).decisions.forEach((decision, i) => {
      const { route, caller, request } = batch[i];
      const want = expected(route, caller, guestAccess);
      const got = {
        status: decision.status,
        reason: decision.reason,
        routeId: decision.routeId,
        ...(decision.decision === 'allow'
          ? { upstreamPath: decision.upstreamPath }
          : { body: decision.body, missing: decision.missing }),
      };
      const resource = resourceOf(route);
      const wanted = {
        ...want,
        routeId: route.id,
        ...(want.status === 200
          ? { upstreamPath: request.path }
          : {
              body: {
                message: "The consumer isn't authorized to access %resources.",
                parameters: { resources: resource },
              },
              missing: want.status === 403 ? [resource] : undefined,
            }),
      };
      if (JSON.stringify(got) !== JSON.stringify(wanted)) wrong.push({ request, caller, got, wanted });
    });
  }
  return { decisions: cases.length, wrong };
}

beforeAll(async () => {
  const infra = await getTestInfra();
  const replica = {
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGO_URL: infra.mongoUrl,
    ACL_DB: run,
    ACL_TOPIC_PREFIX: `${run}.`,
    ACL_PORT: 0,
    // No registry here: the sweeper must leave this file alone (it places no holds anyway).
    ACL_HOLD_RESOLVE_AFTER_MS: 3_600_000,
    REGISTRY_URL: 'http://127.0.0.1:9',
    logger,
  };
  a = await startAcl(replica);
  b = await startAcl(replica);
  bus = createKafkaMessageBus({ brokers: infra.kafkaBrokers, clientId: `acl-routes-it-${run}`, logLevel: 'error' });
  await bus.connect();
  mongo = await connectMongo(infra.mongoUrl, run);

  const push = async (id: string, access: Pick<IntegrationAccess, 'resourceAccess' | 'resources'>) => {
    const snapshot: IntegrationAccess = { integrationId: id, version: 1, status: 'active', ...access };
    const reply = await call(a.url, 'PUT', `/access/${id}/snapshots/1`, { access: snapshot });
    expect(reply.status).toBe(204);
  };
  await push(integrationId('all'), { resourceAccess: 'all', resources: [] });
  for (const resource of resources) {
    const access = accessFor(resource);
    await push(integrationId('exact', resource), access.exact);
    await push(integrationId('sibling', resource), access.sibling);
  }
});

afterAll(async () => {
  await b?.close();
  await a?.close();
  await bus?.disconnect();
  await mongo?.db?.dropDatabase().catch(() => undefined);
  await mongo?.close();
});

describe('the whole route table through the acl decision path', () => {
  it('has every route of the shipped map: 413, of which 59 anonymous, 37 self, 31 guest', () => {
    expect(routes).toHaveLength(413);
    expect(routes.filter((r) => resourceOf(r) === ANONYMOUS)).toHaveLength(59);
    expect(routes.filter((r) => resourceOf(r) === SELF)).toHaveLength(37);
    expect(routes.filter((r) => r.guest)).toHaveLength(31);
  });

  it('serves the whole tree the admin UI shows: the 255 ids under Magento_Backend::admin', async () => {
    const reply = await fetch(`${b.url}/resources`);
    expect(reply.status).toBe(200);
    const { resources: tree } = (await reply.json()) as { resources: AclResourceNode[] };
    const count = (nodes: AclResourceNode[]): number => nodes.reduce((n, node) => n + 1 + count(node.children), 0);
    expect(count(tree)).toBe(255);
    expect(tree.map((n) => n.title)).toEqual([
      'Dashboard',
      'Analytics',
      'Sales',
      'Catalog',
      'Customers',
      'Carts',
      'My Account',
      'Marketing',
      'Content',
      'Reports',
      'Stores',
      'System',
      'Global Search',
    ]);
  });

  it('answers every route as Magento does with guest access off, then on', async () => {
    const started = Date.now();
    const off = await walk(false);
    expect(off.wrong.slice(0, 5)).toEqual([]);

    await publishGuestAccess(true, 1);
    const guestRoute = routes.findIndex((r) => r.guest);
    for (const url of [a.url, b.url]) {
      await waitFor(
        async () => {
          const reply = await call(url, 'POST', '/decisions', {
            method: 'GET',
            path: targetOf(routes[guestRoute], guestRoute),
            integrationId: null,
          });
          return (reply.body as AclDecision).status === 200;
        },
        { timeoutMs: 10_000, intervalMs: 20 },
      );
    }
    const on = await walk(true);
    expect(on.wrong.slice(0, 5)).toEqual([]);

    logger.warn(
      {
        routes: routes.length,
        decisions: off.decisions + on.decisions,
        wrong: off.wrong.length + on.wrong.length,
        ms: Date.now() - started,
      },
      `route table walk: ${routes.length} routes x ${CALLERS.length} callers x guest access off/on, all as Magento answers`,
    );
  });
});
