import { Topics } from '@integrations/contracts';
import { collectMessages, getTestInfra, type TestInfra, type TopicCollector } from '@integrations/testing';
import { rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { launchSystem, type RunningSystem } from '@integrations/run-local';
import { type CallRecord, type OutageWindow, windowOf } from './support/call-log';
import {
  commandsInStore,
  type Databases,
  deletedHaveNoConsumers,
  projectionsBehind,
  projectionsVersusRebuild,
  readStore,
  storeVersusTopic,
  type TopicEvent,
} from './support/consistency';
import { AdminTraffic, type IntegrationCredentials, SignedTraffic, signedGet } from './support/traffic';

/**
 * The fault suite (issue 7, docs/operations.md "The fault suite"): the whole system runs, admin
 * commands and signed API calls flow, and meanwhile each service in turn is killed with SIGKILL and
 * restarted, then the broker is restarted. Afterwards no event is lost, every projection equals its
 * rebuild, and no call failed outside an outage window.
 */
const SERVICES_TO_KILL = ['registry', 'oauth', 'acl', 'config', 'gateway', 'commerce-api'];
/** After "ready", connections are re-established and caches refilled: calls may still fail this long. */
const GRACE_MS = Number(process.env.FAULT_GRACE_MS ?? 3_000);
/** Traffic without faults before, between and after the faults (calls outside every window). */
const STEADY_MS = 4_000;
const SETTLE_TIMEOUT_MS = 150_000;
const ADMIN = { username: 'fault-admin', password: 'correct horse battery staple 7' };

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const prefix = `fault_${run}_`;
const t0 = Date.now();
// Straight to stdout: jest holds console output back until a test file ends, and a CI log should
// show where the minutes go while they pass.
const log = (line: string) =>
  process.stdout.write(`[faults ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// The admin API's JSON is read ad hoc.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('fault suite: SIGKILL every service and restart the broker under load', () => {
  let infra: TestInfra;
  let system: RunningSystem | undefined;
  let dbs: Databases | undefined;
  let passed = false;
  const unexpectedExits: string[] = [];
  /** Stopped in afterAll too: loops left running after a failed assertion would keep jest from exiting. */
  let traffic: Array<AdminTraffic | SignedTraffic> = [];

  beforeAll(async () => {
    infra = await getTestInfra();
    if (!infra.kafkaControl) {
      throw new Error(
        'The fault suite restarts the broker, and this run may not: set KAFKA_CONTROL=local-script when ' +
          'KAFKA_BROKERS is a broker run by tools/infra/infra.sh that nobody else uses, or run `npm run test:faults` ' +
          'without KAFKA_BROKERS where no local broker runs yet (tools/run-tests.sh then starts one and allows it). ' +
          'See docs/operations.md "The fault suite".',
      );
    }
    log(`launching the system (prefix ${prefix}) on ${infra.kafkaBrokers.join(',')} + ${infra.mongoUrl}`);
    system = await launchSystem({
      ports: 'free',
      dbPrefix: prefix,
      services: SERVICES_TO_KILL,
      mongoUrl: infra.mongoUrl,
      kafkaBrokers: infra.kafkaBrokers.join(','),
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
      readyTimeoutMs: 180_000,
      onProgress: (line) => log(`launch: ${line}`),
      onUnexpectedExit: (exit, lastLines) => {
        const line = `${exit.service} exited on its own (${exit.signal ?? `code ${exit.code}`}): ${lastLines.slice(-5).join(' | ')}`;
        unexpectedExits.push(line);
        log(`UNEXPECTED EXIT ${line}`);
      },
    });
    const connect = (dbName: string) => mongoose.createConnection(infra.mongoUrl, { dbName }).asPromise();
    dbs = {
      registry: await connect(system.databases.registry!),
      acl: await connect(system.databases.acl!),
      oauth: await connect(system.databases.oauth!),
      scratch: await connect(`${prefix}scratch`),
    };
  }, 300_000);

  afterAll(async () => {
    await Promise.all(traffic.map((loop) => loop.stop()));
    await system?.stop();
    if (dbs) {
      for (const connection of Object.values(dbs) as Connection[]) {
        if (passed || connection === dbs.scratch) await connection.dropDatabase().catch(() => undefined);
        await connection.close();
      }
    }
    if (!system) return;
    if (passed) {
      const cleanup = await mongoose.createConnection(infra.mongoUrl).asPromise();
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
    } else {
      log(`failed: service logs kept in ${system.stateDir}/logs, databases ${prefix}*`);
    }
  }, 120_000);

  it('loses no event, keeps every projection equal to its rebuild, and fails calls only inside outage windows', async () => {
    const running = system!;
    const gateway = running.urls.gateway!;
    const token = await login(gateway);

    log('arranging three active integrations for the signed traffic');
    const integrations: IntegrationCredentials[] = [];
    for (let i = 0; i < 3; i++) integrations.push(await activeIntegration(gateway, token, `${prefix}signer-${i}`));
    for (const credentials of integrations) {
      await until(
        async () => (await signedGet(gateway, '/rest/V1/products', credentials)).status === 200,
        'a signed call to succeed',
        60_000,
      );
    }

    const admin = new AdminTraffic(gateway, token, ADMIN.password, `${prefix}cmd`);
    const signed = new SignedTraffic(gateway, integrations);
    traffic = [admin, signed];
    admin.start();
    signed.start();
    log('traffic flowing');
    await sleep(STEADY_MS);

    const windows: OutageWindow[] = [];
    for (const service of SERVICES_TO_KILL) {
      const start = Date.now();
      const exit = await running.kill(service, 'SIGKILL');
      log(`${service}: killed (${exit.signal})`);
      await sleep(1_000);
      await running.restart(service);
      const readyAt = Date.now();
      windows.push({ fault: `SIGKILL ${service}`, start, readyAt, end: readyAt + GRACE_MS });
      log(`${service}: ready again after ${((readyAt - start) / 1000).toFixed(1)}s`);
      await sleep(GRACE_MS + STEADY_MS);
    }

    const control = infra.kafkaControl!;
    const brokerStart = Date.now();
    log(`broker: stopping (${control.kind})`);
    await control.stop().catch(async (error: Error) => {
      // Half stopped is worse than up: leave the broker running for whoever comes next.
      await control.start().catch(() => undefined);
      throw error;
    });
    log(`broker: stopped after ${((Date.now() - brokerStart) / 1000).toFixed(1)}s; starting`);
    await sleep(1_000);
    await control.start();
    const brokerReady = Date.now();
    windows.push({ fault: 'broker restart', start: brokerStart, readyAt: brokerReady, end: brokerReady + GRACE_MS });
    log(`broker: ready again after ${((brokerReady - brokerStart) / 1000).toFixed(1)}s`);
    await sleep(GRACE_MS + 2 * STEADY_MS);

    await Promise.all([admin.stop(), signed.stop()]);
    log(
      `traffic stopped: ${admin.calls.length} admin commands (accepted: ${(['create', 'update', 'delete'] as const).map((kind) => `${admin.accepted.filter((c) => c.kind === kind).length} ${kind}`).join(', ')}), ${signed.calls.length} signed calls`,
    );

    // --- calls ---
    const calls: CallRecord[] = [...admin.calls, ...signed.calls];
    const ok = (record: CallRecord) => record.outcome === 'http' && record.status! < 300 && record.status! >= 200;
    const timeouts = calls.filter((record) => record.outcome === 'timeout');
    const failedOutside = calls.filter((record) => !ok(record) && !windowOf(record, windows));
    const uncleanInside = calls.filter(
      (record) => !ok(record) && windowOf(record, windows) && record.outcome === 'http' && !record.cleanError,
    );
    printSummary(windows, calls, ok);

    // --- events and projections, once the consumers caught up (bounded) ---
    log('settling: waiting for the topic and the projections to catch up with the event store');
    const topic = `${prefix}${Topics.integration}`;
    const settleStartAll = Date.now();
    const topicEvents = new Map<string, TopicEvent>();
    const collector: TopicCollector = await collectMessages({
      brokers: infra.kafkaBrokers,
      topic,
      onMessage: (message) => {
        const event = JSON.parse(message.value ?? '{}') as Json;
        topicEvents.set(`${event.subject}@${event.sequence}`, {
          id: event.id,
          subject: event.subject,
          sequence: Number(event.sequence),
          type: event.type,
        });
      },
    });
    log(`topic consumer joined after ${seconds(Date.now() - settleStartAll)}`);
    let problems: string[] = [];
    const settleStart = Date.now();
    try {
      while (true) {
        const checkStart = Date.now();
        const events = await readStore(dbs!.registry);
        problems = [...commandsInStore(admin.accepted, events), ...storeVersusTopic(events, [...topicEvents.values()])];
        if (problems.length === 0) problems = await projectionsBehind(dbs!, events);
        if (problems.length === 0) problems = await projectionsVersusRebuild(dbs!, events);
        if (problems.length === 0) problems = await deletedHaveNoConsumers(dbs!, events);
        if (problems.length === 0) {
          log(
            `consistent after ${seconds(Date.now() - settleStartAll)}: ${events.length} events in the store and on the topic, every projection equals its rebuild (last check ${seconds(Date.now() - checkStart)})`,
          );
          break;
        }
        if (Date.now() - settleStart > SETTLE_TIMEOUT_MS) break;
        log(
          `not consistent yet after a ${seconds(Date.now() - checkStart)} check (${problems.length} differences, e.g. ${problems[0]!.split('\n')[0]})`,
        );
        await sleep(3_000);
      }
    } finally {
      await collector.stop();
    }

    expect(unexpectedExits).toEqual([]);
    expect(timeouts.map(describeCall)).toEqual([]);
    expect(failedOutside.map(describeCall)).toEqual([]);
    expect(uncleanInside.map(describeCall)).toEqual([]);
    expect(problems).toEqual([]);
    // The suite proves something only if traffic flowed throughout.
    expect(admin.accepted.length).toBeGreaterThanOrEqual(20);
    expect(signed.calls.filter(ok).length).toBeGreaterThanOrEqual(50);
    passed = true;
  }, 540_000);
});

async function login(gateway: string): Promise<string> {
  const response = await fetch(`${gateway}/admin/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as Json).accessToken;
}

async function adminCall(
  gateway: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Created with access to everything and activated without exchange: Magento's "tokens" popup. */
async function activeIntegration(gateway: string, token: string, name: string): Promise<IntegrationCredentials> {
  const created = await adminCall(gateway, token, 'POST', '/admin/v1/integrations', {
    name,
    resourceAccess: 'all',
    currentPassword: ADMIN.password,
  });
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  let activated: { status: number; body: Json } | undefined;
  // The oauth service learns about the integration from its event: a moment after the create.
  await until(
    async () => {
      activated = await adminCall(gateway, token, 'POST', `/admin/v1/integrations/${created.body.id}/activate`, {
        currentPassword: ADMIN.password,
      });
      return activated.status === 200;
    },
    `${name} to activate`,
    60_000,
  ).catch(() => {
    throw new Error(`activating ${name}: ${activated?.status} ${JSON.stringify(activated?.body)}`);
  });
  return activated!.body.credentials;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function describeCall(record: CallRecord): string {
  const at = new Date(record.startedAt).toISOString().slice(11, 23);
  return `${at} +${record.endedAt - record.startedAt}ms ${record.what}: ${record.outcome === 'http' ? record.status : record.outcome} ${record.detail ?? ''}`.trim();
}

function printSummary(windows: OutageWindow[], calls: CallRecord[], ok: (record: CallRecord) => boolean) {
  const lines = ['fault                  to ready  window   failed/calls inside   last failure   how they failed'];
  for (const window of windows) {
    const inside = calls.filter((record) => windowOf(record, [window]));
    const failures = inside.filter((record) => !ok(record));
    const failed = (stream: CallRecord['stream']) =>
      `${failures.filter((r) => r.stream === stream).length}/${inside.filter((r) => r.stream === stream).length}`;
    // How long after "ready" calls still failed: what the grace period has to cover.
    const lastFailure = failures.length ? Math.max(...failures.map((r) => r.startedAt)) - window.readyAt : undefined;
    const kinds = new Map<string, number>();
    for (const record of failures) kinds.set(failureKind(record), (kinds.get(failureKind(record)) ?? 0) + 1);
    lines.push(
      `${window.fault.padEnd(22)} ${seconds(window.readyAt - window.start).padStart(7)} ${seconds(window.end - window.start).padStart(7)}` +
        `   admin ${failed('admin').padStart(7)} signed ${failed('signed').padStart(7)}` +
        `   ${lastFailure === undefined ? '-' : `ready${lastFailure >= 0 ? '+' : ''}${seconds(lastFailure)}`}`.padEnd(
          16,
        ) +
        [...kinds].map(([kind, count]) => `${kind} x${count}`).join(', '),
    );
  }
  const outside = calls.filter((record) => !windowOf(record, windows));
  const failedOutside = (stream: CallRecord['stream']) =>
    `${outside.filter((r) => r.stream === stream && !ok(r)).length}/${outside.filter((r) => r.stream === stream).length}`;
  lines.push(
    `${'outside every window'.padEnd(38)}   admin ${failedOutside('admin').padStart(7)} signed ${failedOutside('signed').padStart(7)}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** `admin 503 REGISTRY.UNAVAILABLE`, `network ECONNREFUSED`: one label per way of failing. */
function failureKind(record: CallRecord): string {
  if (record.outcome !== 'http') return `${record.outcome} ${record.detail?.replace(/^\w+: /, '') ?? ''}`.trim();
  return `${record.stream} ${record.status} ${record.errorCode ?? (record.cleanError ? 'JSON body' : 'no JSON error body')}`;
}

async function deleteTopics(brokers: string[], topicPrefix: string) {
  const kafkaAdmin = new Kafka({ brokers, clientId: 'fault-suite-cleanup', logLevel: logLevel.NOTHING }).admin();
  await kafkaAdmin.connect();
  try {
    const topics = (await kafkaAdmin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    if (topics.length) await kafkaAdmin.deleteTopics({ topics });
  } finally {
    await kafkaAdmin.disconnect();
  }
}
