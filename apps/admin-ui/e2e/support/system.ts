import { EventStore } from '@integrations/event-store';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import mongoose from 'mongoose';
// The launcher lives in tools/, which is no Nx project; end-to-end tests are its intended users.
import { launchSystem, type RunningSystem } from '../../../../tools/run-local/launch';
import { ensureAdminUiBuilt, REPO_ROOT, UI_DIST } from './build-ui';

export const ADMIN = { username: 'ui-admin', password: 'correct horse battery staple 42' };

export interface UiSystem {
  /** The gateway, e.g. http://127.0.0.1:41234 (the UI is at `${gateway}/admin/`). */
  gateway: string;
  system: RunningSystem;
  /** Admin API calls as the test admin (setup and checks, not what the tests prove). */
  api: AdminApiClient;
  stop(): Promise<void>;
}

const say = (line: string) => process.stdout.write(`[admin-ui e2e] ${line}\n`);

/**
 * The whole platform (gateway, registry, acl, config, oauth, commerce-api, partner app when present)
 * as child processes on free ports, with databases and topics of its own, serving the freshly built
 * admin UI.
 */
export async function startUiSystem(name: string, env: NodeJS.ProcessEnv = {}): Promise<UiSystem> {
  ensureAdminUiBuilt(say);
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const started = Date.now();
  const system = await launchSystem({
    ports: 'free',
    dbPrefix: `e2e_ui_${name}_${run}_`,
    env: {
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ADMIN_UI_DIR: UI_DIST,
      ...env,
    },
    readyTimeoutMs: 150_000,
  });
  say(`system up in ${((Date.now() - started) / 1000).toFixed(1)}s: ${Object.keys(system.urls).join(', ')}`);
  const gateway = system.urls.gateway;
  const api = new AdminApiClient(gateway);
  await api.signIn(ADMIN.username, ADMIN.password);
  return {
    gateway,
    system,
    api,
    stop: async () => {
      await system.stop();
      await dropDatabases(Object.values(system.databases));
      rmSync(system.stateDir, { recursive: true, force: true });
    },
  };
}

async function dropDatabases(names: string[]): Promise<void> {
  const connection = await mongoose.createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017').asPromise();
  try {
    for (const name of names)
      await connection
        .useDb(name)
        .dropDatabase()
        .catch(() => undefined);
  } finally {
    await connection.close();
  }
}

// Test code reads API answers ad hoc (reply.body.items[0].status); typing every shape buys nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiReply<T = Json> {
  status: number;
  body: T;
}

/** A thin client of the gateway's admin API, for arranging state and checking what the UI did. */
export class AdminApiClient {
  token = '';
  constructor(readonly base: string) {}

  async signIn(username: string, password: string): Promise<string> {
    const reply = await this.call('POST', '/admin/v1/auth/login', { username, password });
    if (reply.status !== 200)
      throw new Error(`sign-in as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    this.token = reply.body.accessToken;
    return this.token;
  }

  async call<T = Json>(method: string, path: string, body?: unknown, token = this.token): Promise<ApiReply<T>> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async createIntegration(
    fields: Record<string, unknown>,
  ): Promise<{ id: string; name: string; version: number; status: string }> {
    const reply = await this.call('POST', '/admin/v1/integrations', {
      resourceAccess: 'all',
      currentPassword: ADMIN.password,
      ...fields,
    });
    if (reply.status !== 201)
      throw new Error(`creating ${String(fields.name)} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    // The browser signs in with a session of its own, which has no read-your-writes claim on this
    // write: wait until the grid projection holds it, so the page under test sees what was arranged.
    await waitFor(async () => (await this.findByName(reply.body.name)) !== undefined, `${reply.body.name} in the grid`);
    return reply.body;
  }

  async getIntegration(id: string) {
    return this.call('GET', `/admin/v1/integrations/${id}`);
  }

  async findByName(name: string) {
    const reply = await this.call('GET', `/admin/v1/integrations?name=${encodeURIComponent(name)}`);
    return (
      reply.body.items as Array<{
        id: string;
        name: string;
        status: string;
        version: number;
        resources: string[];
        resourceAccess: string;
      }>
    ).find((item) => item.name === name);
  }
}

/**
 * A config-type integration (Magento's integration.xml), written to the registry's event store the
 * way the manifest loader would, then published and projected by the running registry like any
 * other event. A shortcut for tests of the grid's config-type behaviour (View, no Delete, "Reset"):
 * the real loader (INTEGRATIONS_MANIFEST_FILE, applied at registry start) is exercised by
 * declarative-integrations.int-spec.ts.
 */
export async function seedConfigIntegration(
  system: UiSystem,
  name: string,
  options: { reset?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  const connection = await mongoose
    .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', {
      dbName: system.system.databases.registry,
    })
    .asPromise();
  try {
    const store = new EventStore(connection, { collection: 'events' });
    const meta = () => ({ eventId: randomUUID(), correlationId: randomUUID(), actor: 'system' });
    await store.append(id, 0, [
      {
        type: 'IntegrationCreated',
        payload: {
          integrationId: id,
          name,
          email: 'extension@example.com',
          callbackUrl: null,
          identityLinkUrl: null,
          resourceAccess: 'custom',
          resources: ['Magento_Catalog::catalog', 'Magento_Catalog::catalog_inventory', 'Magento_Catalog::products'],
          setupType: 'config',
          insecure: false,
        },
        metadata: meta(),
        timestamp: new Date(),
      },
    ]);
    if (options.reset) {
      await store.append(id, 1, [
        { type: 'IntegrationReset', payload: { integrationId: id }, metadata: meta(), timestamp: new Date() },
      ]);
    }
  } finally {
    await connection.close();
  }
  const expected = options.reset ? 'reset' : 'inactive';
  await waitFor(
    async () => (await system.api.findByName(name))?.status === expected,
    `${name} to be in the grid as ${expected}`,
  );
  return id;
}

/** `npm run admin:add -- <username> --role <role>`, as an operator would add a second admin. */
export function addAdmin(
  s: UiSystem,
  username: string,
  password: string,
  role: 'administrator' | 'integrations-manager' | 'viewer' = 'administrator',
): void {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/gateway/src/cli/add-admin.ts', username, '--role', role],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        MONGO_URL: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
        GATEWAY_DB: s.system.databases.gateway,
        ADMIN_NEW_PASSWORD: password,
      },
    },
  );
  if (result.status !== 0) throw new Error(`admin:add failed: ${result.stderr}`);
}

/**
 * Marks an admin's password as one to replace at the next sign-in: the state the gateway gives the
 * admin it generates at its first start (a whole system without ADMIN_USERNAME for one case is slow).
 */
export async function requirePasswordChange(s: UiSystem, username: string): Promise<void> {
  const connection = await mongoose
    .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: s.system.databases.gateway })
    .asPromise();
  try {
    const result = await connection
      .collection('admin_users')
      .updateOne({ _id: username as never }, { $set: { mustChangePassword: true } });
    if (result.matchedCount !== 1) throw new Error(`no admin ${username} in ${s.system.databases.gateway}`);
  } finally {
    await connection.close();
  }
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
