import { Topics } from '@integrations/contracts';
import { collectMessages, type TopicCollector, waitFor } from '@integrations/testing';
import type { RollingRestartTimings } from '@integrations/run-local';
import { AdminClient } from '../system/support/admin-client';
import { given } from '../system/support/given-when-then';
import { bootPlatform, type Platform } from '../system/support/platform';
import type { CallRecord } from './support/call-log';
import { deliveriesOf } from './support/delivery-order';
import { commandsInStore, readStore, storeVersusTopic } from './support/store-checks';
import { AdminTraffic, type IntegrationCredentials, SignedTraffic } from './support/traffic';

/**
 * Rolling restart (issue 11, docs/operations.md "Replicas and rolling restarts"): two replicas of
 * every platform service behind NGINX; under steady admin commands (create, update, delete) and
 * signed calls, every replica of every service is restarted one at a time the way an orchestrator
 * does it (out of the rotation, SIGTERM: drain, start, ready, back). Not one request may fail, and
 * every answered command's event is stored and published.
 */
const ORDER = ['config', 'acl', 'registry', 'oauth', 'gateway'];
/** Traffic without a restart before, between and after the restarts. */
const STEADY_MS = 2_000;
const DRAIN_MS = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rolling restart of every replica of every service under load', () => {
  let platform: Platform | undefined;
  let traffic: Array<AdminTraffic | SignedTraffic> = [];
  let collector: TopicCollector | undefined;
  let passed = false;

  beforeAll(async () => {
    platform = await bootPlatform({ tag: 'roll', replicas: 2, env: { SHUTDOWN_DRAIN_MS: String(DRAIN_MS) } });
  }, 300_000);

  afterAll(async () => {
    await Promise.all(traffic.map((loop) => loop.stop()));
    await collector?.stop();
    await platform?.shutDown(passed);
  }, 120_000);

  it('fails no request while each replica is drained, restarted and put back', async () => {
    const { system, log } = platform!;
    const admin = await AdminClient.signIn(platform!.gateway, platform!.admin);
    log('arranging three active integrations for the signed traffic');
    const signers: IntegrationCredentials[] = [];
    for (let i = 0; i < 3; i++) {
      const partner = await given.anActiveIntegration(admin, { name: `${platform!.prefix}signer-${i}` });
      await given.acceptedEverywhere(platform!, partner.credentials!);
      signers.push(partner.credentials!);
    }
    collector = await collectMessages({
      brokers: platform!.infra.kafkaBrokers,
      topic: platform!.topic(Topics.integration),
    });

    const commands = new AdminTraffic(
      platform!.gateway,
      admin.bearer,
      platform!.admin.password,
      `${platform!.prefix}cmd`,
    );
    const signed = new SignedTraffic(platform!.gateway, signers);
    traffic = [commands, signed];
    commands.start();
    signed.start();
    log('traffic flowing through NGINX');
    await sleep(STEADY_MS);

    const restarts: Array<RollingRestartTimings & { start: number; end: number }> = [];
    for (const service of ORDER) {
      for (const replica of system.instances(service)) {
        const start = Date.now();
        const timings = await system.rollingRestart(replica.id);
        restarts.push({ ...timings, start, end: Date.now() });
        log(
          `${replica.id}: out of rotation in ${timings.outOfRotationMs} ms, drained and stopped in ${timings.stopMs} ms, ready in ${timings.readyMs} ms, back after ${timings.totalMs} ms`,
        );
        await sleep(STEADY_MS);
      }
    }
    await Promise.all([commands.stop(), signed.stop()]);

    const calls: CallRecord[] = [...commands.calls, ...signed.calls];
    const failed = calls.filter((call) => !succeeded(call));
    printTable(restarts, calls);
    log(
      `${calls.length} requests (${commands.calls.length} admin commands: ${(['create', 'update', 'delete'] as const)
        .map((kind) => `${commands.accepted.filter((c) => c.kind === kind).length} ${kind}`)
        .join(', ')}; ${signed.calls.length} signed calls), ${failed.length} failed`,
    );

    expect(platform!.unexpectedExits).toEqual([]);
    expect(failed.map(describeCall)).toEqual([]);
    // Proof that the load was steady: every restart overlapped admin commands and signed calls.
    for (const restart of restarts) {
      const inside = calls.filter((call) => call.startedAt <= restart.end && call.endedAt >= restart.start);
      expect({ replica: restart.instance, admin: inside.some((c) => c.stream === 'admin') }).toEqual({
        replica: restart.instance,
        admin: true,
      });
      expect({ replica: restart.instance, signed: inside.filter((c) => c.stream === 'signed').length >= 5 }).toEqual({
        replica: restart.instance,
        signed: true,
      });
    }
    expect(restarts.map((restart) => restart.instance)).toHaveLength(ORDER.length * 2);

    // Nothing was lost on the way: every answered command is in the store, and the store and the
    // topic hold the same events (the relay lease moved between registry replicas meanwhile).
    const registryDb = await platform!.database('registry');
    let problems: string[] = [];
    await waitFor(
      async () => {
        const events = await readStore(registryDb);
        const onTopic = deliveriesOf(collector!.messages).map(({ id, subject, sequence, type }) => ({
          id,
          subject,
          sequence,
          type,
        }));
        problems = [...commandsInStore(commands.accepted, events), ...storeVersusTopic(events, onTopic)];
        return problems.length === 0;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        message: () => `store and topic to agree (${problems.slice(0, 3).join('; ')})`,
      },
    ).catch(() => undefined);
    expect(problems).toEqual([]);
    passed = true;
  }, 900_000);
});

function succeeded(call: CallRecord): boolean {
  return call.outcome === 'http' && call.status! >= 200 && call.status! < 300;
}

function describeCall(call: CallRecord): string {
  const at = new Date(call.startedAt).toISOString().slice(11, 23);
  return `${at} +${call.endedAt - call.startedAt}ms ${call.what}: ${call.outcome === 'http' ? call.status : call.outcome} ${call.detail ?? ''}`.trim();
}

function printTable(restarts: Array<RollingRestartTimings & { start: number; end: number }>, calls: CallRecord[]) {
  const lines = ['replica       out   drain+stop  ready   total    admin failed/calls   signed failed/calls'];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  for (const restart of restarts) {
    const inside = calls.filter((call) => call.startedAt <= restart.end && call.endedAt >= restart.start);
    const count = (stream: CallRecord['stream']) => {
      const of = inside.filter((call) => call.stream === stream);
      return `${of.filter((call) => !succeeded(call)).length}/${of.length}`;
    };
    lines.push(
      `${restart.instance.padEnd(12)} ${seconds(restart.outOfRotationMs).padStart(5)} ${seconds(restart.stopMs).padStart(11)} ${seconds(restart.readyMs).padStart(6)} ${seconds(restart.totalMs).padStart(7)}   ${count('admin').padStart(18)}   ${count('signed').padStart(19)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
