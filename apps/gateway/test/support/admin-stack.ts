import mongoose, { type Connection } from 'mongoose';
import { getTestInfra, startServiceProcess, uniqueName } from '@integrations/testing';
import { ADMIN, startTestGateway, type TestGateway } from './gateway-harness';
import type { AdminApi } from './http-client';

/** The registry, run as in production: its own process, started from its entry point. */
export interface RegistryProcess {
  url: string;
  config: { REGISTRY_TOPIC_PREFIX: string };
  close(): Promise<void>;
}

/**
 * The registry as its own process (configured by its environment), the gateway in this process;
 * each on a free port with its own database, talking real HTTP; the registry on real Kafka (unique
 * topic prefix) and FerretDB.
 */
export interface AdminStack {
  api: AdminApi;
  gateway: TestGateway;
  registry: RegistryProcess;
  /** The registry's database, to prove that a refused command stored nothing. */
  registryDb: Connection;
  token: string;
  close(): Promise<void>;
}

export async function startAdminStack(name: string): Promise<AdminStack> {
  const { mongoUrl, kafkaBrokers } = await getTestInfra();
  const tag = uniqueName(name);
  const config = { REGISTRY_TOPIC_PREFIX: `${tag}.` };
  const child = await startServiceProcess({
    entry: 'apps/registry/src/main.ts',
    portVariable: 'REGISTRY_PORT',
    env: {
      ...config,
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      REGISTRY_DB: `${tag}_reg`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      // No acl in this stack: its integrations are never active, so no command narrows access;
      // snapshots go nowhere rather than to a locally running system's acl.
      ACL_URL: 'http://127.0.0.1:9',
    },
  });
  const registry: RegistryProcess = { url: child.url, config, close: child.stop };
  let gateway: TestGateway | undefined;
  try {
    gateway = await startTestGateway(mongoUrl, { database: `${tag}_gw`, registryUrl: registry.url });
    const registryDb = await mongoose.createConnection(mongoUrl, { dbName: `${tag}_reg` }).asPromise();
    const token = await gateway.api.login(ADMIN.username, ADMIN.password);
    const started = gateway;
    return {
      api: gateway.api,
      gateway,
      registry,
      registryDb,
      token,
      close: async () => {
        await started.close();
        await registry.close();
        await registryDb.dropDatabase().catch(() => undefined);
        await registryDb.close();
      },
    };
  } catch (error) {
    await gateway?.close();
    await registry.close();
    throw error;
  }
}
