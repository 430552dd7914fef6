import { Topics } from '@integrations/contracts';
import { collectMessages, type TopicCollector, waitFor } from '@integrations/testing';
import type { Connection } from 'mongoose';
import type { InstanceInfo } from '@integrations/run-local';
import { AdminClient } from '../system/support/admin-client';
import { given } from '../system/support/given-when-then';
import { bootPlatform, type Platform } from '../system/support/platform';
import { type CallRecord, timedFetch } from './support/call-log';
import { checkDeliveries, type Delivery, deliveriesOf } from './support/delivery-order';
import { readStore, storeVersusTopic } from './support/store-checks';
import { AdminTraffic } from './support/traffic';

/**
 * Relay leader kill (issue 11 item 1, ADR 0006 §4): with two replicas of each service, the replica
 * holding a relay's lease is SIGKILLed while events are being produced. Another replica must publish
 * within 10 s; every stored event reaches the topic; per stream the first copies arrive in version
 * order; a repeat is only of what the dead leader sent before it died (at-least-once).
 * Run for the registry (integration topic), config (config topic) and oauth (oauth topic).
 */
const TAKEOVER_LIMIT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Producer {
  calls: CallRecord[];
  start(): void;
  stop(): Promise<void>;
}

interface LeaseDocument {
  _id: string;
  name: string;
  epoch: number;
  holder: string;
  expiresAt: Date;
  takenAt: Date;
}

describe('relay leader SIGKILLed while events are produced', () => {
  let platform: Platform | undefined;
  let admin: AdminClient;
  const open: Array<Producer | TopicCollector> = [];
  let completed = 0;

  beforeAll(async () => {
    platform = await bootPlatform({ tag: 'leader', replicas: 2 });
    admin = await AdminClient.signIn(platform.gateway, platform.admin);
  }, 300_000);

  afterAll(async () => {
    for (const thing of open) await thing.stop().catch(() => undefined);
    await platform?.shutDown(completed === 3 && platform.unexpectedExits.length === 0);
  }, 120_000);

  it('registry: another replica publishes the integration events within 10 s, nothing lost, order kept', async () => {
    const commands = new AdminTraffic(
      platform!.gateway,
      admin.bearer,
      platform!.admin.password,
      `${platform!.prefix}cmd`,
    );
    await leaderKill(platform!, 'registry', Topics.integration, commands, open);
    completed++;
  }, 600_000);

  it('config: another replica publishes the settings changes within 10 s, nothing lost, order kept', async () => {
    await leaderKill(platform!, 'config', Topics.config, new SettingsTraffic(platform!.system.urls.config!), open);
    completed++;
  }, 600_000);

  it('oauth: another replica publishes the credential events within 10 s, nothing lost, order kept', async () => {
    const partners = [];
    for (let i = 0; i < 2; i++)
      partners.push(await given.anActiveIntegration(admin, { name: `${platform!.prefix}reauth-${i}` }));
    await leaderKill(
      platform!,
      'oauth',
      Topics.oauth,
      new ReauthorizeTraffic(
        admin,
        partners.map((p) => p.id),
      ),
      open,
    );
    completed++;
  }, 600_000);
});

async function leaderKill(
  platform: Platform,
  service: string,
  topicName: string,
  producer: Producer,
  open: Array<Producer | TopicCollector>,
): Promise<void> {
  const db = await platform.database(service);
  const collector = await collectMessages({ brokers: platform.infra.kafkaBrokers, topic: platform.topic(topicName) });
  open.push(collector, producer);
  try {
    await killAndCheck(platform, service, topicName, producer, collector, db);
  } finally {
    await producer.stop();
    await collector.stop();
  }
}

async function killAndCheck(
  platform: Platform,
  service: string,
  topicName: string,
  producer: Producer,
  collector: TopicCollector,
  db: Connection,
): Promise<void> {
  const { system, log } = platform;
  const before = collector.messages.length;
  producer.start();
  // Events flow, published by the current leader.
  await waitFor(() => collector.messages.length >= before + 10, {
    timeoutMs: 60_000,
    message: () => `10 new events on ${topicName} (got ${collector.messages.length - before})`,
  });

  const lease = await currentLease(db, service);
  const leader = holderOf(lease, system.instances(service));
  log(`${service}: lease ${lease.name} epoch ${lease.epoch} held by ${leader.id} (pid ${leader.pid}); SIGKILL`);
  const killAt = Date.now();
  await system.kill(leader.id, 'SIGKILL');
  const deadAt = Date.now();

  // The first event decided after the leader died can only have been published by another replica.
  const afterDeath = () => deliveriesOf(collector.messages).filter((delivery) => delivery.time > deadAt);
  const firstPublished = await waitFor(() => afterDeath().sort((a, b) => a.receivedAt - b.receivedAt)[0], {
    timeoutMs: 60_000,
    intervalMs: 20,
    message: `an event decided after the kill to reach ${topicName}`,
  });
  const takeoverMs = firstPublished.receivedAt - deadAt;
  const next = await currentLease(db, service);
  const successor = holderOf(next, system.instances(service));
  log(
    `${service}: epoch ${next.epoch} taken by ${successor.id} ${next.takenAt.getTime() - deadAt} ms after the kill; first event published ${takeoverMs} ms after the kill`,
  );

  await sleep(3_000);
  await producer.stop();
  await system.restart(leader.id);

  // Nothing lost: every stored event is on the topic, with its id; nothing on the topic the store lacks.
  let problems: string[] = [];
  await waitFor(
    async () => {
      const events = await readStore(db);
      problems = storeVersusTopic(events, deliveriesOf(collector.messages));
      return problems.length === 0;
    },
    { timeoutMs: 90_000, intervalMs: 1_000 },
  ).catch(() => undefined);

  const deliveries = deliveriesOf(collector.messages);
  const verdict = checkDeliveries(deliveries);
  // At-least-once, and only that: a repeat is of a record the dead leader produced before it died.
  const unexplained = verdict.duplicates.filter(({ first }) => first.timestamp > deadAt);
  const failed = producer.calls.filter(
    (call) => !(call.outcome === 'http' && call.status! >= 200 && call.status! < 300),
  );
  // Requests in flight on the killed replica may fail; anything that started after it died must not.
  const failedAfterDeath = failed.filter((call) => call.startedAt > deadAt);
  log(
    `${service}: takeover ${takeoverMs} ms (limit ${TAKEOVER_LIMIT_MS}); ${deliveries.length} records on ${topicName}, ${verdict.duplicates.length} repeats (${describeRepeats(verdict.duplicates)}); ${producer.calls.length} requests, ${failed.length} failed (${failed.filter((c) => c.startedAt <= deadAt).length} in flight at the kill)`,
  );

  expect(platform.unexpectedExits).toEqual([]);
  expect(successor.id).not.toBe(leader.id);
  expect(next.epoch).toBeGreaterThan(lease.epoch);
  expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
  expect(problems).toEqual([]);
  expect(verdict.problems).toEqual([]);
  expect(unexplained.map(({ again }) => `${again.subject}@${again.sequence}`)).toEqual([]);
  expect(failedAfterDeath.map((call) => `${call.what}: ${call.status ?? call.outcome} ${call.detail ?? ''}`)).toEqual(
    [],
  );
  expect(killAt).toBeLessThanOrEqual(deadAt);
}

/** The newest epoch of the service's relay lease (a service with several relays: the first by name). */
async function currentLease(db: Connection, service: string): Promise<LeaseDocument> {
  const documents = await db.db!.collection<LeaseDocument>('relay_leases').find({}).toArray();
  if (!documents.length)
    throw new Error(
      `${service} keeps no relay lease (relay_leases is empty): its replicas do not elect one publisher yet (ADR 0006 §4)`,
    );
  const names = [...new Set(documents.map((d) => d.name))].sort();
  return documents.filter((d) => d.name === names[0]).reduce((a, b) => (b.epoch > a.epoch ? b : a));
}

/** The replica whose pid appears in the lease holder (`<host>:<pid>:<random>` by default). */
function holderOf(lease: LeaseDocument, replicas: InstanceInfo[]): InstanceInfo {
  const tokens = lease.holder.split(':');
  const holder = replicas.find((replica) => replica.pid !== undefined && tokens.includes(String(replica.pid)));
  if (!holder)
    throw new Error(
      `lease ${lease.name}#${lease.epoch} is held by "${lease.holder}", none of ${replicas.map((r) => `${r.id} (pid ${r.pid})`).join(', ')}`,
    );
  return holder;
}

function describeRepeats(repeats: Array<{ first: Delivery; again: Delivery }>): string {
  if (!repeats.length) return 'none';
  return repeats
    .slice(0, 5)
    .map(
      ({ first, again }) =>
        `${again.subject}@${again.sequence} first at offset ${first.offset}, again at ${again.offset}`,
    )
    .join('; ');
}

/** Settings changes through NGINX: each PUT is one event on the config stream. */
class SettingsTraffic implements Producer {
  readonly calls: CallRecord[] = [];
  private stopped = false;
  private done?: Promise<void>;

  constructor(private readonly configUrl: string) {}

  start(): void {
    this.done = (async () => {
      for (let i = 0; !this.stopped; i++) {
        const { record } = await timedFetch(
          'admin',
          'PUT /config',
          `${this.configUrl}/config`,
          {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-actor': 'leader-kill-test' },
            // Launch cleanup in X OAuth requests: harmless to change, a new value (an event) each time.
            body: JSON.stringify({ values: { 'oauth/cleanup/cleanup_probability': 100 + (i % 2) } }),
          },
          (status) => status === 200,
        );
        this.calls.push(record);
        await sleep(100);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** Reauthorize in turn (tokens mode): each issues new credentials, events of the oauth service. */
class ReauthorizeTraffic implements Producer {
  readonly calls: CallRecord[] = [];
  private stopped = false;
  private done?: Promise<void>;

  constructor(
    private readonly admin: AdminClient,
    private readonly ids: string[],
  ) {}

  start(): void {
    this.done = (async () => {
      for (let i = 0; !this.stopped; i++) {
        const id = this.ids[i % this.ids.length]!;
        const { record } = await timedFetch(
          'admin',
          'POST /admin/v1/integrations/:id/reauthorize',
          `${this.admin.baseUrl}/admin/v1/integrations/${id}/reauthorize`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${this.admin.bearer}`,
            },
            body: JSON.stringify({ currentPassword: this.admin.password }),
          },
          (status) => status === 200,
        );
        this.calls.push(record);
        await sleep(100);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}
