import { rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { LaunchError, launchSystem, type RunningSystem } from './launch-system';

/**
 * The launcher as end-to-end tests use it: the whole system on free ports with its own databases and
 * topics, next to whatever else shares the broker and the database server.
 */
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const admin = { username: 'ops', password: 'correct horse battery staple' };

async function dropDatabases(names: string[]) {
  const connection = await mongoose.createConnection(mongoUrl).asPromise();
  try {
    for (const name of names) await connection.useDb(name).dropDatabase();
  } finally {
    await connection.close();
  }
}

/** The topics a prefixed system created (the services create them at boot). */
async function deleteTopics(prefix: string) {
  const admin = new Kafka({ brokers, clientId: 'launch-int-spec', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

describe('launchSystem', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await launchSystem({
      ports: 'free',
      dbPrefix: `e2e_launch_${run}_`,
      env: { ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'warn' },
    });
  }, 180_000);

  afterAll(async () => {
    if (!system) return;
    await system.stop();
    await dropDatabases(Object.values(system.databases));
    await deleteTopics(`e2e_launch_${run}_`);
    rmSync(system.stateDir, { recursive: true, force: true });
  });

  it('brings every service up on free ports with prefixed databases', async () => {
    expect(Object.keys(system.urls)).toEqual(
      expect.arrayContaining(['gateway', 'registry', 'config', 'commerce-api', 'admin', 'apiDocs']),
    );
    expect(system.ports.gateway).not.toBe(8080);
    expect(system.databases.registry).toBe(`e2e_launch_${run}_registry`);
    for (const [name, url] of Object.entries(system.urls)) {
      if (name === 'admin' || name === 'apiDocs' || name === 'commerce-api' || name === 'third-party-app') continue;
      const response = await fetch(`${url}/health/ready`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
  });

  it('creates the configured admin, who can sign in through the gateway', async () => {
    expect(system.admin).toEqual({ ...admin, source: 'env' });
    const response = await fetch(`${system.urls.gateway}/admin/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tokenType: 'Bearer' });
  });

  it('opens the OAuth outbound allow-list to loopback for the local partner app', async () => {
    const config = (await (await fetch(`${system.urls.config}/config`)).json()) as { values: Record<string, unknown> };
    expect(String(config.values['oauth/consumer/outbound_allowlist']).split(',')).toEqual(
      expect.arrayContaining(['127.0.0.1', 'localhost']),
    );
  });

  it('restarts a service killed with SIGKILL', async () => {
    const before = system.pids().registry!;
    const exit = await system.kill('registry');
    expect(exit).toMatchObject({ service: 'registry', signal: 'SIGKILL', expected: true });
    expect(system.pids().registry).toBeUndefined();
    await expect(fetch(`${system.urls.registry}/health/live`)).rejects.toThrow();

    await system.restart('registry');
    expect(system.pids().registry).not.toBe(before);
    expect((await fetch(`${system.urls.registry}/health/ready`)).status).toBe(200);
  });

  it('stops every process', async () => {
    const pids = Object.values(system.pids()).filter((pid): pid is number => pid !== undefined);
    await system.stop();
    expect(Object.values(system.pids()).every((pid) => pid === undefined)).toBe(true);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('launchSystem when a service cannot start', () => {
  it('rejects naming the service, with its last output lines', async () => {
    const failure = launchSystem({
      ports: 'free',
      dbPrefix: `e2e_launchfail_${run}_`,
      services: ['commerce-api', 'registry'],
      env: { KAFKA_BROKERS: '' },
      readyTimeoutMs: 60_000,
    });
    const error = (await failure.catch((e: unknown) => e)) as LaunchError;
    expect(error).toBeInstanceOf(LaunchError);
    expect(error.service).toBe('registry');
    expect(error.message).toMatch(/registry exited while starting \(exit code 1\)/);
    expect(error.lastLines.join('\n')).toMatch(/KAFKA_BROKERS/);
    rmSync(`${__dirname}/../../.local/systems/e2e_launchfail_${run}_`, { recursive: true, force: true });
    await deleteTopics(`e2e_launchfail_${run}_`);
  });
});
