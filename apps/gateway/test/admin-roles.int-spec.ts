import { getTestInfra, uniqueName } from '@integrations/testing';
import openapi from '../src/openapi/openapi.json';
import type { AdminRole } from '../src/admin-auth/admin-roles';
import { ADMIN, startTestGateway, type TestGateway } from './support/gateway-harness';

/**
 * The role matrix over real HTTP: every admin API route (as the published OpenAPI document lists
 * them, which `openapi.spec.ts` keeps equal to the controllers) × every role → allowed or 403
 * ADMIN.FORBIDDEN. The expectations are written out here, not read from the guard's metadata, so a
 * route classified differently from what this table says fails the test, and so does a new route
 * nobody added to it. No registry or config service runs: an allowed call goes on to its absent
 * upstream (503) or stops at its own validation (400); a refused one answers 403 before either.
 * Bodies are empty or invalid on purpose, so that an allowed call changes nothing and spends no
 * password attempt.
 */
jest.setTimeout(120_000);

const ROLES: readonly AdminRole[] = ['administrator', 'integrations-manager', 'viewer'];
const EVERYONE = ROLES;
const ADMINISTRATORS: readonly AdminRole[] = ['administrator'];
const MANAGERS: readonly AdminRole[] = ['administrator', 'integrations-manager'];

interface Probe {
  /** `METHOD /path/{param}` as in the OpenAPI document. */
  route: string;
  /** What the request sends, when the route's answer depends on it. */
  body?: unknown;
  /** A second probe of the same route (e.g. a security setting): told apart in the report. */
  variant?: string;
  allowed: readonly AdminRole[];
}

// A well-formed id nobody created: an allowed call reaches the (absent) registry.
const ID = '3f2b7c1e-9a4d-4e6b-8c2f-1d5e7a9b0c3d';
const PROBES: readonly Probe[] = [
  { route: 'POST /admin/v1/auth/logout', allowed: EVERYONE },
  { route: 'GET /admin/v1/auth/me', allowed: EVERYONE },
  { route: 'PATCH /admin/v1/auth/me', body: { interfaceLocale: 'xx-XX' }, allowed: EVERYONE },
  { route: 'GET /admin/v1/integrations', allowed: EVERYONE },
  { route: 'POST /admin/v1/integrations', body: {}, allowed: MANAGERS },
  { route: 'GET /admin/v1/integrations/{id}', allowed: EVERYONE },
  { route: 'PUT /admin/v1/integrations/{id}', body: {}, allowed: MANAGERS },
  { route: 'DELETE /admin/v1/integrations/{id}', body: {}, allowed: MANAGERS },
  { route: 'GET /admin/v1/integrations/{id}/history', allowed: EVERYONE },
  { route: 'GET /admin/v1/integrations/{id}/usage', allowed: EVERYONE },
  { route: 'GET /admin/v1/integrations/{id}/details', allowed: EVERYONE },
  { route: 'POST /admin/v1/integrations/{id}/consumer-secret/rotate', body: {}, allowed: MANAGERS },
  { route: 'POST /admin/v1/integrations/{id}/activate', body: {}, allowed: MANAGERS },
  { route: 'POST /admin/v1/integrations/{id}/reauthorize', body: {}, allowed: MANAGERS },
  { route: 'POST /admin/v1/integrations/{id}/suspend', body: {}, allowed: MANAGERS },
  { route: 'POST /admin/v1/integrations/{id}/resume', body: {}, allowed: MANAGERS },
  { route: 'GET /admin/v1/acl/resources', allowed: EVERYONE },
  { route: 'GET /admin/v1/config', allowed: MANAGERS },
  { route: 'PUT /admin/v1/config', body: { values: { 'oauth/cleanup/expiration_period': 'x' } }, allowed: MANAGERS },
  {
    route: 'PUT /admin/v1/config',
    variant: 'a security setting',
    body: { values: { 'webapi/webapisecurity/allow_insecure': true } },
    allowed: ADMINISTRATORS,
  },
  { route: 'GET /admin/v1/admins', allowed: ADMINISTRATORS },
  { route: 'GET /admin/v1/admins/audit', allowed: ADMINISTRATORS },
  { route: 'PATCH /admin/v1/admins/{username}', body: {}, allowed: ADMINISTRATORS },
];

/** Signing in needs no session, so no role: it is outside the matrix. */
const PUBLIC_ROUTES = ['POST /admin/v1/auth/login'];

function documentedRoutes(): string[] {
  const paths = (openapi as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/admin/v1/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
}

describe('admin role matrix: every admin route × every role, over HTTP', () => {
  let gw: TestGateway;
  const tokens = new Map<AdminRole, string>();
  const usernames: Record<AdminRole, string> = {
    administrator: ADMIN.username,
    'integrations-manager': 'matrix-manager',
    viewer: 'matrix-viewer',
  };

  beforeAll(async () => {
    gw = await startTestGateway((await getTestInfra()).mongoUrl, { database: uniqueName('gw_matrix') });
    await gw.createAdmin(usernames['integrations-manager'], ADMIN.password, 'integrations-manager');
    await gw.createAdmin(usernames.viewer, ADMIN.password, 'viewer');
    for (const role of ROLES) tokens.set(role, await gw.api.login(usernames[role], ADMIN.password));
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('the table covers exactly the documented admin routes', () => {
    const probed = new Set(PROBES.map((probe) => probe.route));
    expect([...probed].sort()).toEqual(
      documentedRoutes()
        .filter((route) => !PUBLIC_ROUTES.includes(route))
        .sort(),
    );
  });

  it('answers each role as the table says; a refusal is 403 ADMIN.FORBIDDEN naming the role, anything else gets past the role check', async () => {
    const outcomes: string[] = [];
    let allowed = 0;
    let refused = 0;
    for (const probe of PROBES) {
      const [method, template] = probe.route.split(' ');
      const path = template.replace('{id}', ID).replace('{username}', usernames.viewer);
      for (const role of ROLES) {
        const response = await gw.api.request(method, path, { token: tokens.get(role), body: probe.body });
        const forbidden = response.status === 403 && response.body?.error?.code === 'ADMIN.FORBIDDEN';
        const expected = probe.allowed.includes(role);
        outcomes.push(
          `${probe.route}${probe.variant ? ` (${probe.variant})` : ''} as ${role}: ${response.status} ${
            expected ? 'allowed' : 'refused'
          }${expected === !forbidden ? '' : '  <-- WRONG'}`,
        );
        if (forbidden) {
          refused += 1;
          expect(response.body.error.message).toContain(role.replace('-', ' '));
        } else {
          allowed += 1;
          // Past the role check: never "who are you" (the session held) and never the role's refusal.
          expect(response.status).not.toBe(401);
        }
        // The logout just ended this role's session: the next probes need a fresh one.
        if (probe.route.endsWith('/auth/logout')) tokens.set(role, await gw.api.login(usernames[role], ADMIN.password));
      }
    }
    // The whole matrix in the test output: the lead's "Must show".
    process.stdout.write(
      `admin role matrix: ${PROBES.length} probes over ${new Set(PROBES.map((p) => p.route)).size} routes × ${
        ROLES.length
      } roles = ${outcomes.length} calls, ${allowed} allowed, ${refused} refused (403)\n${outcomes.join('\n')}\n`,
    );
    expect(outcomes.filter((line) => line.endsWith('<-- WRONG'))).toEqual([]);
    expect(outcomes).toHaveLength(PROBES.length * ROLES.length);
  });
});
