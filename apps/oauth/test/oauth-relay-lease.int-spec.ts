import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Topics } from '@integrations/contracts';
import {
  connectMongo,
  EventStore,
  OutboxRelay,
  RELAY_LEASES_COLLECTION,
  type RelayLeaseDocument,
} from '@integrations/event-store';
import { collectMessages, getTestInfra, uniqueName, waitFor, type TopicCollector } from '@integrations/testing';
import type mongoose from 'mongoose';
import pino from 'pino';
import { EVENTS_COLLECTION } from '../src/oauth.module';
import { startOauth, type OauthOverrides, type RunningOauth } from '../src/start';
import { RegistryStub } from './support/oauth-harness';
import { testEncryptionKeys } from './support/oauth-test-env';

/**
 * The outbox relay with N replicas (docs/adr/0006 §4): replica A runs as a process and holds the
 * relay lease, replica B runs in this process on the same database and topics. Both append events;
 * A is SIGKILLed; B takes the lease and publishes what A left and what B appends afterwards, within
 * 10 s of the kill, with nothing lost and each stream's events first delivered in order.
 */

const REPO = path.resolve(__dirname, '../../..');

let registry: RegistryStub;
let overrides: OauthOverrides;
let a: { process: ChildProcess; url: string } | undefined;
let b: RunningOauth | undefined;
let collector: TopicCollector | undefined;
let connection: mongoose.Connection;

beforeAll(async () => {
  const { mongoUrl, kafkaBrokers } = await getTestInfra();
  registry = await RegistryStub.start();
  overrides = {
    MONGO_URL: mongoUrl,
    KAFKA_BROKERS: kafkaBrokers,
    OAUTH_PORT: 0,
    OAUTH_DB: uniqueName('oauth_lease'),
    OAUTH_TOPIC_PREFIX: `${uniqueName('oauth_lease')}.`,
    OAUTH_ENCRYPTION_KEYS: testEncryptionKeys(),
    REGISTRY_URL: registry.url,
  };
  connection = await connectMongo(mongoUrl, overrides.OAUTH_DB as string);
  a = await startProcess(overrides);
  const child = a.process;
  await waitFor(async () => (await newestLease())?.holder.includes(`:${child.pid}:`), {
    message: 'replica A holds the relay lease',
    timeoutMs: 15_000,
  });
  b = await startOauth(overrides, { logger: pino({ level: 'warn' }) });
  collector = await collectMessages({
    brokers: kafkaBrokers,
    topic: `${overrides.OAUTH_TOPIC_PREFIX as string}${Topics.oauth}`,
  });
});

afterAll(async () => {
  a?.process.kill('SIGKILL');
  await b?.close();
  await collector?.stop();
  await registry?.close();
  await connection?.db?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

async function newestLease(): Promise<RelayLeaseDocument | undefined> {
  const leases = await connection
    .db!.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION)
    .find({ name: 'oauth' })
    .toArray();
  return leases.sort((x, y) => y.epoch - x.epoch)[0];
}

/** `node apps/oauth/src/main.ts` with the overrides as its environment; resolves once it listens. */
function startProcess(env: OauthOverrides): Promise<{ process: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/oauth/src/main.ts'], {
      cwd: REPO,
      env: { ...process.env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"oauth listening"/.exec(output)?.[1];
      if (url) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ process: child, url });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`oauth process exited (${code}) before listening:\n${output}`)));
  });
}

/** Tokens issued for a new integration through `url`: ConsumerCreated + CredentialsIssued appended. */
async function issueThrough(url: string): Promise<string> {
  const id = randomUUID();
  const response = await fetch(`${url}/integrations/${id}/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'tokens', reauthorize: false }),
  });
  expect(response.status).toBe(200);
  return id;
}

async function storedEvents() {
  const store = new EventStore(connection, { collection: EVENTS_COLLECTION });
  const events = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

it('the lease holder is SIGKILLed: the other replica publishes within 10 s, nothing lost, streams in order', async () => {
  const before = [];
  for (let i = 0; i < 3; i++) before.push(await issueThrough(a!.url), await issueThrough(b!.url));
  // Two more through A, the last answered just before the kill: some may still be in its outbox.
  before.push(await issueThrough(a!.url), await issueThrough(a!.url));
  // One publisher: B's relay waits while A holds the lease.
  const relayOfB = b!.app.get(OutboxRelay);
  expect(relayOfB.isActive()).toBe(false);
  const killedEpoch = (await newestLease())!.epoch;
  a!.process.kill('SIGKILL');
  const killedAt = Date.now();

  const after = [await issueThrough(b!.url), await issueThrough(b!.url), await issueThrough(b!.url)];
  const stored = await storedEvents();
  expect(new Set(stored.map((event) => event.streamId))).toEqual(new Set([...before, ...after]));

  const published = () => new Set(collector!.messages.map((message) => JSON.parse(message.value ?? '{}').id));
  await waitFor(() => stored.every((event) => published().has(event.metadata.eventId)), {
    message: () =>
      `every stored event on the topic (${stored.filter((e) => !published().has(e.metadata.eventId)).length} missing)`,
    timeoutMs: 20_000,
  });

  const lease = (await newestLease())!;
  expect(lease.epoch).toBeGreaterThan(killedEpoch);
  expect(lease.holder).not.toContain(`:${a!.process.pid}:`);
  expect(relayOfB.isActive()).toBe(true);
  const firstAfterKill = Math.min(
    ...collector!.messages.filter((message) => after.includes(message.key ?? '')).map((message) => message.receivedAt),
  );
  const takeoverMs = firstAfterKill - killedAt;
  process.stdout.write(`relay lease takeover: first event published ${takeoverMs} ms after the SIGKILL\n`);
  expect(takeoverMs).toBeLessThanOrEqual(10_000);

  // Per stream, first deliveries in version order (a duplicate may follow, never precede).
  const firstSeen = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const message of collector!.messages) {
    const event = JSON.parse(message.value ?? '{}');
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    firstSeen.set(event.subject, [...(firstSeen.get(event.subject) ?? []), Number(event.sequence)]);
  }
  for (const [stream, versions] of firstSeen)
    expect({ stream, versions }).toEqual({ stream, versions: [...versions].sort((x, y) => x - y) });
});
