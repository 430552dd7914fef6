import { Topics } from '@integrations/contracts';
import { collectMessages, type TopicCollector, waitFor } from '@integrations/testing';
import { AdminClient } from '../system/support/admin-client';
import { given } from '../system/support/given-when-then';
import { bootPlatform, type Platform } from '../system/support/platform';
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// The admin API's JSON is read ad hoc.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('fault suite: SIGKILL every service and restart the broker under load', () => {
  let platform: Platform | undefined;
  let dbs: Databases | undefined;
  let passed = false;
  /** Stopped in afterAll too: loops left running after a failed assertion would keep jest from exiting. */
  let traffic: Array<AdminTraffic | SignedTraffic> = [];
  let log: (line: string) => void = () => undefined;

  beforeAll(async () => {
    platform = await bootPlatform({ tag: 'fault', replicas: 1, services: SERVICES_TO_KILL });
    log = platform.log;
    if (!platform.infra.kafkaControl) {
      throw new Error(
        'The fault suite restarts the broker, and this run may not: set KAFKA_CONTROL=local-script when ' +
          'KAFKA_BROKERS is a broker run by tools/infra/infra.sh that nobody else uses, or run `npm run test:faults` ' +
          'without KAFKA_BROKERS where no local broker runs yet (tools/run-tests.sh then starts one and allows it). ' +
          'See docs/operations.md "The fault suite".',
      );
    }
    dbs = {
      registry: await platform.database('registry'),
      acl: await platform.database('acl'),
      oauth: await platform.database('oauth'),
      scratch: await platform.scratchDatabase(),
    };
  }, 300_000);

  afterAll(async () => {
    await Promise.all(traffic.map((loop) => loop.stop()));
    await platform?.shutDown(passed && platform.unexpectedExits.length === 0);
  }, 120_000);

  it('loses no event, keeps every projection equal to its rebuild, and fails calls only inside outage windows', async () => {
    const running = platform!.system;
    const { infra, prefix } = platform!;
    const gateway = platform!.gateway;
    const client = await AdminClient.signIn(gateway, platform!.admin);

    log('arranging three active integrations for the signed traffic');
    const integrations: IntegrationCredentials[] = [];
    for (let i = 0; i < 3; i++)
      integrations.push((await given.anActiveIntegration(client, { name: `${prefix}signer-${i}` })).credentials!);
    for (const credentials of integrations) {
      await waitFor(async () => (await signedGet(gateway, '/rest/V1/products', credentials)).status === 200, {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: 'a signed call to succeed',
      });
    }

    const admin = new AdminTraffic(gateway, client.bearer, client.password, `${prefix}cmd`);
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

    expect(platform!.unexpectedExits).toEqual([]);
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
