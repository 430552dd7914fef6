import { getTestInfra, type TestInfra } from '@integrations/testing';
import { rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { type LaunchOptions, launchSystem, type RunningSystem } from '@integrations/run-local';

/**
 * The one way system and fault tests boot the platform: every service as a process through
 * tools/run-local (as `npm start` does), on free ports, with databases and topics of its own
 * (`<tag>_<run>_…`), on the test infrastructure. With `replicas` ≥ 2 each platform service runs that
 * many processes behind NGINX.
 */
export interface PlatformOptions {
  /** A few letters naming the test in database and topic names (`fault`, `roll`, `revoke`). */
  tag: string;
  /** Processes per platform service (gateway, oauth, acl, registry, config). Default 2. */
  replicas?: number;
  /** Services to start (default: the platform services and the example commerce API). */
  services?: string[];
  /** Extra variables for every service. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (launch steps). Default: stdout with the test's clock. */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export const PLATFORM_SERVICES = ['config', 'acl', 'registry', 'oauth', 'gateway', 'commerce-api'];

export const TEST_ADMIN = { username: 'system-admin', password: 'correct horse battery staple 11' };

export interface Platform {
  system: RunningSystem;
  infra: TestInfra;
  /** `<tag>_<run>_`: the prefix of this platform's databases and topics. */
  prefix: string;
  admin: typeof TEST_ADMIN;
  /** The gateway as clients reach it (NGINX with replicas). */
  gateway: string;
  /** Each gateway process's own URL, to address every replica directly. */
  gatewayReplicas(): string[];
  /** A connection to a service's database (closed by `shutDown`). */
  database(service: string): Promise<Connection>;
  /** A database of the test's own (`<prefix>scratch`, e.g. rebuilt projections), dropped by `shutDown`. */
  scratchDatabase(): Promise<Connection>;
  /** The prefixed name of a topic of the catalogue. */
  topic(name: string): string;
  /** Services that exited without being asked: a test that saw one must fail. */
  unexpectedExits: string[];
  log: (line: string) => void;
  /**
   * Stops everything. `passed`: databases, topics and state are deleted; otherwise they are kept
   * and their place is printed, for the post-mortem.
   */
  shutDown(passed: boolean): Promise<void>;
}

export async function bootPlatform(options: PlatformOptions): Promise<Platform> {
  const t0 = Date.now();
  // Straight to stdout: jest holds console output back until a test file ends.
  const log =
    options.log ??
    ((line: string) =>
      process.stdout.write(`[${options.tag} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`));
  const infra = await getTestInfra();
  const prefix = `${options.tag}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e3)}_`;
  const unexpectedExits: string[] = [];
  const launch: LaunchOptions = {
    ports: 'free',
    dbPrefix: prefix,
    services: options.services ?? PLATFORM_SERVICES,
    replicas: options.replicas ?? 2,
    mongoUrl: infra.mongoUrl,
    kafkaBrokers: infra.kafkaBrokers.join(','),
    env: {
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    readyTimeoutMs: options.readyTimeoutMs ?? 180_000,
    onProgress: (line) => log(`launch: ${line}`),
    onUnexpectedExit: (exit, lastLines) => {
      const line = `${exit.service} exited on its own (${exit.signal ?? `code ${exit.code}`}): ${lastLines.slice(-5).join(' | ')}`;
      unexpectedExits.push(line);
      log(`UNEXPECTED EXIT ${line}`);
    },
  };
  log(
    `launching the platform (prefix ${prefix}, ${launch.replicas} replicas) on ${infra.kafkaBrokers.join(',')} + ${infra.mongoUrl}`,
  );
  const system = await launchSystem(launch);
  const connections: Connection[] = [];
  const connect = async (dbName: string) => {
    const connection = await mongoose.createConnection(infra.mongoUrl, { dbName }).asPromise();
    connections.push(connection);
    return connection;
  };
  const scratch = `${prefix}scratch`;

  return {
    system,
    infra,
    prefix,
    admin: TEST_ADMIN,
    gateway: system.urls.gateway!,
    gatewayReplicas: () => system.instances('gateway').map((instance) => instance.url),
    database: async (service) => {
      const name = system.databases[service];
      if (!name) throw new Error(`${service} keeps no database here (${Object.keys(system.databases).join(', ')})`);
      return connect(name);
    },
    scratchDatabase: () => connect(scratch),
    topic: (name) => `${prefix}${name}`,
    unexpectedExits,
    log,
    shutDown: async (passed) => {
      await system.stop();
      for (const connection of connections) await connection.close().catch(() => undefined);
      const cleanup = await mongoose.createConnection(infra.mongoUrl).asPromise();
      // Scratch data is never evidence: dropped whatever happened.
      await cleanup
        .useDb(scratch)
        .dropDatabase()
        .catch(() => undefined);
      if (!passed) {
        await cleanup.close();
        log(`kept for the post-mortem: service and NGINX logs in ${system.stateDir}/logs, databases ${prefix}*`);
        return;
      }
      for (const name of Object.values(system.databases))
        await cleanup
          .useDb(name)
          .dropDatabase()
          .catch(() => undefined);
      await cleanup.close();
      await deleteTopics(infra.kafkaBrokers, prefix).catch((error: Error) =>
        log(`could not delete the topics: ${error.message}`),
      );
      rmSync(system.stateDir, { recursive: true, force: true });
    },
  };
}

export async function deleteTopics(brokers: string[], topicPrefix: string): Promise<void> {
  const admin = new Kafka({ brokers, clientId: 'system-test-cleanup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
