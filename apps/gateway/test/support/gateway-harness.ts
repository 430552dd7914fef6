import { createLogger } from '@integrations/service-kit';
import { uniqueName } from '@integrations/testing';
import mongoose, { type Connection } from 'mongoose';
import { AdminAccountsStore } from '../../src/admin-auth/admin-accounts.store';
import { adminAuthModels } from '../../src/admin-auth/admin-auth.models';
import type { AdminRole } from '../../src/admin-auth/admin-roles';
import type { RateLimitSettings } from '../../src/rate-limit/rate-limit.config';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../../src/start';
import { AdminApi } from './http-client';

export const ADMIN = { username: 'operator', password: 'correct horse battery staple' };

/**
 * Rate limits far above what a test sends, so suites that sign in often from 127.0.0.1 test what
 * they are about; tests/security/ passes the production defaults (`loadGatewayEnv`) or its own.
 */
export const GENEROUS_RATE_LIMITS: RateLimitSettings = {
  windowSeconds: 60,
  loginPerAddress: 100_000,
  loginPerAccount: 100_000,
  tokenExchangePerAddress: 100_000,
  anonymousRestPerAddress: 1_000_000,
  trustedProxies: [],
};

export function testLogger(name: string) {
  return createLogger(name, process.env.TEST_LOG_LEVEL ?? 'silent');
}

export interface TestGateway {
  gateway: RunningGateway;
  api: AdminApi;
  /** The gateway's database, for assertions on what is (not) stored. */
  db: Connection;
  /** Another admin account, as `npm run admin:add` would create it (an administrator unless told). */
  createAdmin(username: string, password?: string, role?: AdminRole): Promise<void>;
  /** Stops the gateway but keeps its database (restart scenarios). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** A gateway on a free port with its own database and the test admin. */
export async function startTestGateway(mongoUrl: string, options: StartGatewayOptions = {}): Promise<TestGateway> {
  const database = options.database ?? uniqueName('gw_test');
  const gateway = await startGateway({
    port: 0,
    mongoUrl,
    database,
    // Port 9 (discard) answers nothing: tests that need the registry pass its URL.
    registryUrl: 'http://127.0.0.1:9',
    // The production default: a registry slowed by a loaded test machine is not an outage.
    registryTimeoutMs: 10_000,
    bootstrapAdmin: ADMIN,
    credentialsFile: `tmp/${database}/admin-credentials.json`,
    logger: testLogger('gateway'),
    env: {},
    rateLimits: GENEROUS_RATE_LIMITS,
    ...options,
  });
  const db = await mongoose.createConnection(mongoUrl, { dbName: database }).asPromise();
  const accounts = new AdminAccountsStore(adminAuthModels(db).accounts);
  return {
    gateway,
    api: new AdminApi(gateway.url),
    db,
    createAdmin: async (username, password = ADMIN.password, role: AdminRole = 'administrator') => {
      if ((await accounts.create(username, password, new Date(), { role })) !== 'created')
        throw new Error(`admin ${username} exists`);
    },
    stop: async () => {
      await gateway.close();
      await db.close();
    },
    close: async () => {
      await gateway.close();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
