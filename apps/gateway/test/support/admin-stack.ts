import mongoose, { type Connection } from 'mongoose';
import { startRegistry, type RunningRegistry } from '../../../registry/src/start';
import { getTestInfra, uniqueName } from '@integrations/testing';
import { ADMIN, startTestGateway, testLogger, type TestGateway } from './gateway-harness';
import type { AdminApi } from './http-client';

/**
 * Registry + gateway in this process, each on a free port with its own database, talking real HTTP;
 * the registry on real Kafka (unique topic prefix) and FerretDB.
 */
export interface AdminStack {
  api: AdminApi;
  gateway: TestGateway;
  registry: RunningRegistry;
  /** The registry's database, to prove that a refused command stored nothing. */
  registryDb: Connection;
  token: string;
  close(): Promise<void>;
}

export async function startAdminStack(name: string): Promise<AdminStack> {
  const { mongoUrl, kafkaBrokers } = await getTestInfra();
  const tag = uniqueName(name);
  const registry = await startRegistry(
    {
      REGISTRY_PORT: 0,
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      REGISTRY_DB: `${tag}_reg`,
      REGISTRY_TOPIC_PREFIX: `${tag}.`,
      // No acl in this stack: its integrations are never active, so no command narrows access;
      // snapshots go nowhere rather than to a locally running system's acl.
      ACL_URL: 'http://127.0.0.1:9',
    },
    { logger: testLogger('registry') },
  );
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
