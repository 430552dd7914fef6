import { Topics } from '@integrations/contracts';
import { RELAY_LEASES_COLLECTION, type RelayLeaseDocument } from '@integrations/event-store';
import { createLogger } from '@integrations/service-kit';
import { collectMessages, getTestInfra, type TopicCollector, uniqueName, waitFor } from '@integrations/testing';
import mongoose from 'mongoose';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RELAY_LEASE_NAME } from '../src/registry.module';
import { type RunningRegistry, startRegistry } from '../src/start';
import { type AclStandIn, startAclStandIn } from './acl-stand-in';
import { dropDatabase, type Json, partsOf, registryClient } from './registry-test-env';
import { type RegistryProcess, startRegistryProcess } from './registry-process';

/**
 * Two registry replicas on one database (docs/adr/0006 §4, §6): replica A in a process of its own
 * (so that it can be SIGKILLed), replica B in this one. Real Kafka and FerretDB.
 */
jest.setTimeout(180_000);

const tag = uniqueName('regrep');
const prefix = `${tag}.`;
let mongoUrl: string;
let acl: AclStandIn;
let a: RegistryProcess;
let b: RunningRegistry;
let inspect: mongoose.Connection;
let topic: TopicCollector;
const callA = registryClient(() => a.url);
const callB = registryClient(() => b.url);

beforeAll(async () => {
  const infra = await getTestInfra();
  mongoUrl = infra.mongoUrl;
  acl = await startAclStandIn();
  const env = {
    MONGO_URL: infra.mongoUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    REGISTRY_DB: tag,
    REGISTRY_TOPIC_PREFIX: prefix,
    ACL_URL: acl.url,
  };
  inspect = await mongoose.createConnection(mongoUrl, { dbName: tag }).asPromise();
  // A first, so that it holds the relay lease when B joins.
  a = await startRegistryProcess(env);
  await waitFor(async () => (await newestLease())?.holder.startsWith(`${hostname()}:${a.pid}:`), {
    message: () => `replica A (pid ${a.pid}) holding the relay lease`,
  });
  b = await startRegistry(
    { ...env, KAFKA_BROKERS: infra.kafkaBrokers, REGISTRY_PORT: 0 },
    { logger: createLogger('registry', process.env.LOG_LEVEL ?? 'silent') },
  );
  topic = await collectMessages({ brokers: infra.kafkaBrokers, topic: `${prefix}${Topics.integration}` });
});

afterAll(async () => {
  await topic?.stop();
  await b?.close();
  await a?.kill();
  await acl?.close();
  await inspect?.close();
  await dropDatabase(mongoUrl, tag).catch(() => undefined);
});

async function newestLease(): Promise<RelayLeaseDocument | undefined> {
  const leases = await inspect
    .db!.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION)
    .find({ name: RELAY_LEASE_NAME })
    .toArray();
  return leases.sort((x, y) => y.epoch - x.epoch)[0];
}

/** `event_relay_published_events_total` of one replica, from its /metrics. */
async function publishedBy(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('event_relay_published_events_total{'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const integration = (name: string) => ({ name, resourceAccess: 'custom', resources: ['Magento_Sales::sales'] });

/** Every event of the store, as `streamId@version`. */
async function storedEvents(): Promise<string[]> {
  const events: string[] = [];
  for await (const event of partsOf(b).store.readAll()) events.push(`${event.streamId}@${event.version}`);
  return events;
}

function delivered(): Array<{ key: string; streamId: string; version: number; receivedAt: number }> {
  return topic.messages.map((message) => {
    const event = JSON.parse(message.value ?? '{}') as { subject: string; sequence: string };
    return {
      key: `${event.subject}@${event.sequence}`,
      streamId: event.subject,
      version: Number(event.sequence),
      receivedAt: message.receivedAt,
    };
  });
}

async function allDelivered(timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const seen = new Set(delivered().map((d) => d.key));
      return (await storedEvents()).every((key) => seen.has(key));
    },
    { timeoutMs, message: 'every stored event on the topic' },
  );
}

describe('two registry replicas on one database', () => {
  it('honours minVersion on either replica: a write through A is read back through B', async () => {
    const created = await callA('POST', '/integrations', integration(`Ryw ${randomUUID().slice(0, 8)}`));
    expect(created.status).toBe(201);
    const renamed = await callA('PUT', `/integrations/${created.body.id}`, integration(`${created.body.name} v2`));
    const mark = `minVersionId=${created.body.id}&minVersion=${renamed.body.version}`;
    const list = await callB('GET', `/integrations?name=${encodeURIComponent(created.body.name)}&${mark}`);
    expect(list.body.items).toMatchObject([{ id: created.body.id, name: `${created.body.name} v2`, version: 2 }]);
    expect(list.headers.get('x-read-your-writes')).toBeNull();
    const one = await callB('GET', `/integrations/${created.body.id}?minVersion=2`);
    expect(one.body).toMatchObject({ version: 2, name: `${created.body.name} v2` });
  });

  it('publishes only from the lease holder, whichever replica stored the events', async () => {
    const ids: string[] = [];
    for (const [call, label] of [
      [callA, 'A'],
      [callB, 'B'],
    ] as const) {
      for (let i = 0; i < 3; i++)
        ids.push((await call('POST', '/integrations', integration(`${label}${i} ${randomUUID()}`))).body.id);
    }
    // Each stream written by both replicas.
    for (const [i, id] of ids.entries()) {
      const call = i % 2 === 0 ? callB : callA;
      const current = (await call('GET', `/integrations/${id}`)).body as Json;
      expect(
        (await call('PUT', `/integrations/${id}`, { ...integration(current.name), email: 'ops@example.com' })).status,
      ).toBe(200);
    }
    await allDelivered();
    expect(partsOf(b).relay.isActive()).toBe(false);
    expect(await publishedBy(b.url)).toBe(0);
    expect(await publishedBy(a.url)).toBeGreaterThanOrEqual((await storedEvents()).length);
  });

  it('lets B publish within 10 s of A being SIGKILLed, losing nothing and keeping each stream in order', async () => {
    const epochOfA = (await newestLease())!.epoch;
    const killedAt = Date.now();
    await a.kill();
    // Written while nobody publishes: they wait in the outbox for B to take the lease over.
    const during: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await callB('POST', '/integrations', integration(`After ${i} ${randomUUID()}`));
      expect(created.status).toBe(201);
      during.push(created.body.id);
      await callB('PUT', `/integrations/${created.body.id}`, {
        ...integration(created.body.name),
        email: 'x@example.com',
      });
    }
    await allDelivered(30_000);
    const firstAfterKill = Math.min(
      ...delivered()
        .filter((d) => during.includes(d.streamId))
        .map((d) => d.receivedAt),
    );
    const takeoverMs = firstAfterKill - killedAt;
    process.stdout.write(`relay takeover after SIGKILL: ${takeoverMs} ms\n`);
    expect(takeoverMs).toBeLessThan(10_000);
    expect(partsOf(b).relay.isActive()).toBe(true);
    expect((await newestLease())!).toMatchObject({
      epoch: epochOfA + 1,
      holder: expect.stringContaining(`:${process.pid}:`),
    });
    expect(await publishedBy(b.url)).toBeGreaterThanOrEqual(during.length * 2);

    // Per stream, first deliveries in version order (duplicates, at-least-once, may follow).
    const firstSeen = new Map<string, number[]>();
    const seenKeys = new Set<string>();
    for (const d of delivered()) {
      if (seenKeys.has(d.key)) continue;
      seenKeys.add(d.key);
      firstSeen.set(d.streamId, [...(firstSeen.get(d.streamId) ?? []), d.version]);
    }
    for (const [streamId, versions] of firstSeen)
      expect([streamId, versions]).toEqual([streamId, versions.map((_, i) => i + 1)]);
  });
});
