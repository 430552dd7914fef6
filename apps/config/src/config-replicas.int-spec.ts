import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCloudEvent, type KnownCloudEvent } from '@integrations/contracts';
import { connectMongo, RELAY_LEASES_COLLECTION, type RelayLeaseDocument } from '@integrations/event-store';
import { createKafkaMessageBus, type MessageBus, type Subscription } from '@integrations/messaging';
import { createLogger, metricsRegistry } from '@integrations/service-kit';
import { getTestInfra, uniqueName, waitFor } from '@integrations/testing';
import type mongoose from 'mongoose';
import { CONFIG_RELAY_LEASE } from './config.module';
import { startConfigService, type RunningConfigService } from './start';

/**
 * Two config replicas on one database (docs/adr/0006 §4): replica A is a real process, started
 * first so that it takes the relay lease; replica B runs in this process. Exactly one publishes;
 * when A is SIGKILLed (no chance to give the lease up), B publishes within 10 s, with nothing lost
 * and the stream's order kept.
 */
jest.setTimeout(120_000);

const run = uniqueName('config_replicas_it');
const CONFIG_DB = run;
const prefix = `${run}.`;
const logger = createLogger('config-it', process.env.TEST_LOG_LEVEL ?? 'warn');

let a: { process: ChildProcess; url: string };
let b: RunningConfigService;
let bus: MessageBus;
let collector: Subscription;
let mongo: mongoose.Connection;
/** Every ConfigChanged on the topic, in arrival order (duplicates included). */
const published: KnownCloudEvent[] = [];

/** Replica A: `node apps/config/src/main.ts`, as the launcher runs it; its URL from its log. */
async function startReplicaProcess(env: Record<string, string>): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/config/src/main.ts'], {
    cwd: resolve(__dirname, '../../..'),
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('exit', (code) => reject(new Error(`config replica exited with ${code} before it listened`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; level?: string };
      if (entry.msg === 'config listening' && entry.url) resolveUrl(entry.url);
      else if (entry.level === 'warn' || entry.level === 'error') process.stdout.write(`[replica A] ${line}\n`);
    });
  });
  return { process: child, url };
}

async function put(url: string, value: number): Promise<number> {
  const response = await fetch(`${url}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ values: { 'oauth/access/reauthorize_grace_period': value } }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { version: number }).version;
}

const leases = () => mongo.db!.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION);
const newestLease = async () => (await leases().find({ name: CONFIG_RELAY_LEASE }).sort({ epoch: -1 }).toArray())[0];
const publishedByB = async () =>
  (await metricsRegistry.getSingleMetric('event_relay_published_events_total')?.get())?.values.find(
    (value) => value.labels.service === 'config',
  )?.value ?? 0;
const sequences = () => published.map((event) => Number(event.sequence));
const hasVersion = (version: number) => sequences().includes(version);

beforeAll(async () => {
  const infra = await getTestInfra();
  const env = {
    MONGO_URL: infra.mongoUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    CONFIG_DB,
    CONFIG_TOPIC_PREFIX: prefix,
    CONFIG_PORT: '0',
  };
  mongo = await connectMongo(infra.mongoUrl, CONFIG_DB);
  a = await startReplicaProcess(env);
  await waitFor(async () => (await newestLease())?.holder.includes(`:${a.process.pid}:`), {
    timeoutMs: 10_000,
    message: 'replica A to take the relay lease',
  });
  b = await startConfigService(
    {
      CONFIG_PORT: 0,
      CONFIG_DB,
      CONFIG_TOPIC_PREFIX: prefix,
      MONGO_URL: infra.mongoUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
    },
    { logger },
  );
  bus = createKafkaMessageBus({ brokers: infra.kafkaBrokers, clientId: `it-${run}`, logLevel: 'error' });
  await bus.connect();
  collector = await bus.subscribe({
    groupId: `${run}-collector`,
    topics: [b.topic],
    fromBeginning: true,
    parse: (message) => parseCloudEvent(message.value),
    handle: async (parsed) => {
      if (parsed.kind === 'known') published.push(parsed.event);
    },
  });
});

afterAll(async () => {
  if (a?.process.exitCode === null && a.process.signalCode === null) a.process.kill('SIGKILL');
  await collector?.close();
  await bus?.disconnect();
  await b?.close();
  await mongo?.db?.dropDatabase().catch(() => undefined);
  await mongo?.close();
});

describe('config replicas sharing one event store', () => {
  it('publishes through exactly one relay: the lease holder, whichever replica took the change', async () => {
    const versions: number[] = [];
    for (let i = 0; i < 6; i++) versions.push(await put(i % 2 === 0 ? b.url : a.url, 100 + i));
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    await waitFor(() => versions.every(hasVersion), { timeoutMs: 10_000, message: 'the six changes on the topic' });

    expect(b.isPublishing()).toBe(false);
    expect(await publishedByB()).toBe(0);
    const lease = await newestLease();
    expect(lease).toMatchObject({ epoch: 1 });
    expect(lease.holder).toContain(`:${a.process.pid}:`);
    expect(await leases().countDocuments({ name: CONFIG_RELAY_LEASE })).toBe(1);
  });

  it('moves to the other replica within 10 s of the holder being SIGKILLed; nothing lost, order kept', async () => {
    a.process.kill('SIGKILL');
    const killedAt = Date.now();
    // Committed through B while nobody publishes.
    const pending: number[] = [];
    for (let i = 0; i < 3; i++) pending.push(await put(b.url, 200 + i));
    expect(pending).toEqual([7, 8, 9]);

    await waitFor(() => pending.every(hasVersion), {
      timeoutMs: 15_000,
      intervalMs: 20,
      message: 'the changes committed after the kill on the topic',
    });
    const takeoverMs = Date.now() - killedAt;
    logger.warn({ takeoverMs }, 'config relay takeover after SIGKILL');
    expect(takeoverMs).toBeLessThan(10_000);
    expect(b.isPublishing()).toBe(true);
    // B counts what it published once it flagged the batch, just after the messages went out.
    await waitFor(async () => (await publishedByB()) >= 3, {
      timeoutMs: 5_000,
      message: 'B to count what it published',
    });
    expect(await newestLease()).toMatchObject({ epoch: 2 });

    // Every version once at least (duplicates are allowed by at-least-once), first deliveries in order.
    const firsts = sequences().filter((version, index, all) => all.indexOf(version) === index);
    expect(firsts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(published.find((event) => event.sequence === '9')?.data).toEqual({
      changes: [{ path: 'oauth/access/reauthorize_grace_period', value: 202, previous: 201 }],
    });
  });
});
