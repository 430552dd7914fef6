import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type autocannon from 'autocannon';
import { AdminClient, type IssuedCredentials } from './lib/admin-client';
import { commandLine, numberArg, stringArg } from './lib/args';
import { type ChildService, type StartChildOptions, startChildren, stopAll } from './lib/child-service';
import { describeShares, summarizeProfile } from './lib/cpu-profile';
import { benchInfra, benchTag, cleanupBenchInfra } from './lib/infra';
import { describeFailures, type LoadResult, runLoad } from './lib/load';
import { authorizationHeader } from './lib/oauth-signer';
import { BENCH_TMP, BenchReport, progress, REPO_ROOT, verdict } from './lib/report';
import { type LatencySummary, ms, perSecond, ratio, summarize } from './lib/stats';

/**
 * bench:gateway (issue 11 item 6) — in one run, at the same concurrency, with the same load tool and
 * the same client work (every request signed in autocannon's setupRequest with a new nonce and
 * timestamp, HMAC-SHA256, whatever the target):
 *
 *   1. the limit: a bare ~12-line node:http reverse proxy to the same commerce API;
 *   2. the gateway with every check off (GATEWAY_BENCH_AUTH_DISABLED=true): its proxying alone;
 *   3. the gateway's signed path, every check on: oauth verifies (signature, timestamp, nonce
 *      claimed in the database, token) and the acl decides, batched (ADR 0006 §5), then the proxy.
 *
 * Each figure is printed with its ratio to the bare proxy. Target: checked ≥ 0.3× the bare proxy at
 * 32 connections, p99 ≤ 25 ms. With `--profile`, one more checked run follows, not counted in the
 * figures, with V8's CPU profiler on in the gateway, oauth and acl processes: where each of them
 * spends its microseconds per call (.cpuprofile files under tmp/bench/profiles/, for DevTools).
 *
 * The whole platform runs, one Node process per service, on the shared Kafka + FerretDB with a topic
 * prefix and databases of its own: config, oauth, registry, acl, commerce-api, the two gateways and
 * the bare proxy. The integration is created and activated (tokens mode, resource access `all`)
 * through the admin API.
 */
const CONNECTIONS = numberArg('--connections', 32);
const SECONDS = numberArg('--seconds', 15);
const ROUNDS = numberArg('--rounds', 2);
const PROFILE = process.argv.includes('--profile');
const PROFILE_INTERVAL_US = numberArg('--profile-interval-us', 250);
const ROUTE = stringArg('--route') ?? '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1';
const ADMIN = { username: 'bench-admin', password: 'bench gateway password 1234' };
const TARGETS = { p99Ms: 25, ofBareProxy: 0.3 };

const log = progress('bench:gateway');

type Side = 'bare proxy' | 'gateway, checks off' | 'gateway, checks on';
const SIDES: readonly Side[] = ['bare proxy', 'gateway, checks off', 'gateway, checks on'];

async function main(): Promise<void> {
  const infra = benchInfra();
  const tag = benchTag('gateway');
  const prefix = `${tag}.`;
  const databases = ['cfg', 'oauth', 'reg', 'acl', 'gw', 'gw_off'].map((name) => `${tag}_${name}`);
  const [configDb, oauthDb, registryDb, aclDb, gatewayDb, gatewayOffDb] = databases as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const common = { MONGO_URL: infra.mongoUrl, KAFKA_BROKERS: infra.kafkaBrokers };
  const report = new BenchReport('bench-gateway', commandLine('bench:gateway'));
  const services: ChildService[] = [];
  const start = async (...options: StartChildOptions[]) => {
    const started = await startChildren(options);
    services.push(...started);
    return started;
  };
  try {
    log('starting config, oauth, registry and commerce-api (one process each)');
    const [config, oauth, registry, commerce] = (await start(
      {
        name: 'config',
        kind: 'config',
        options: { ...common, CONFIG_PORT: 0, CONFIG_DB: configDb, CONFIG_TOPIC_PREFIX: prefix },
      },
      {
        name: 'oauth',
        kind: 'oauth',
        options: {
          ...common,
          OAUTH_PORT: 0,
          OAUTH_DB: oauthDb,
          OAUTH_TOPIC_PREFIX: prefix,
          OAUTH_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        },
      },
      {
        name: 'registry',
        kind: 'registry',
        options: { ...common, REGISTRY_PORT: 0, REGISTRY_DB: registryDb, REGISTRY_TOPIC_PREFIX: prefix },
      },
      { name: 'commerce-api', kind: 'commerce-api', options: { port: 0 } },
    )) as [ChildService, ChildService, ChildService, ChildService];
    log('starting acl, the two gateways and the bare proxy');
    const [acl] = (await start({
      name: 'acl',
      kind: 'acl',
      options: { ...common, ACL_PORT: 0, ACL_DB: aclDb, ACL_TOPIC_PREFIX: prefix },
      env: { UPSTREAM_COMMERCE_URL: commerce.url },
    })) as [ChildService];
    const gatewayOptions = (database: string) => ({
      port: 0,
      mongoUrl: infra.mongoUrl,
      database,
      registryUrl: registry.url,
      oauthUrl: oauth.url,
      aclUrl: acl.url,
      configUrl: config.url,
      bootstrapAdmin: ADMIN,
      credentialsFile: `tmp/bench/${tag}/${database}-admin-credentials.json`,
    });
    const [checked, unchecked, bareProxy] = (await start(
      {
        name: 'gateway',
        kind: 'gateway',
        options: { ...gatewayOptions(gatewayDb), upstreamUrls: {}, benchAuthDisabled: false },
      },
      // Configured through the environment, exactly as an operator would switch it on.
      {
        name: 'gateway-auth-off',
        kind: 'gateway',
        options: gatewayOptions(gatewayOffDb),
        env: {
          GATEWAY_BENCH_AUTH_DISABLED: 'true',
          INTEGRATIONS_DEV_MODE: 'true',
          UPSTREAM_COMMERCE_URL: commerce.url,
        },
      },
      { name: 'bare-proxy', kind: 'bare-proxy', options: { upstream: commerce.url } },
    )) as [ChildService, ChildService, ChildService];

    log('creating and activating an integration (tokens mode) through the admin API');
    const admin = await AdminClient.login(checked.url, ADMIN.username, ADMIN.password);
    const integration = await admin.createIntegration({ name: `Bench gateway ${tag}`, resourceAccess: 'all' });
    const credentials = await admin.activate(integration.id);
    await waitForSignedCall(checked.url, credentials);

    const urls: Record<Side, string> = {
      'bare proxy': bareProxy.url,
      'gateway, checks off': unchecked.url,
      'gateway, checks on': checked.url,
    };
    const load = (side: Side, seconds: number) =>
      runLoad({
        title: side,
        url: urls[side],
        connections: CONNECTIONS,
        durationSeconds: seconds,
        headers: { accept: 'application/json' },
        requests: [signed(credentials, urls[side])],
      });

    log('warm-up (5 s each)');
    for (const side of SIDES) await load(side, 5);

    const runs: Record<Side, LoadResult[]> = { 'bare proxy': [], 'gateway, checks off': [], 'gateway, checks on': [] };
    for (let round = 0; round < ROUNDS; round++) {
      // The machine's load drifts: each side takes every position in turn.
      const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]!);
      for (const side of order) {
        log(`round ${round + 1}/${ROUNDS}: ${side}, ${SECONDS} s at ${CONNECTIONS} connections`);
        runs[side].push(await load(side, SECONDS));
      }
    }

    const bare = combine(runs['bare proxy']);
    for (const side of SIDES) {
      const figures = combine(runs[side]);
      const ofBare = figures.rps / bare.rps;
      const isChecked = side === 'gateway, checks on';
      report.row({
        metric: `${side}: calls/s, ${CONNECTIONS} conn.`,
        baseline: `${perSecond(bare.rps)} bare proxy`,
        measured: perSecond(figures.rps),
        ratio: ratio(ofBare),
        target: isChecked ? `≥ ${TARGETS.ofBareProxy}× bare proxy` : '-',
        verdict: isChecked ? verdict(ofBare >= TARGETS.ofBareProxy && figures.failed === 0) : 'INFO',
      });
      report.row({
        metric: `${side}: p50 / p99`,
        baseline: `${ms(bare.latency.p50)} / ${ms(bare.latency.p99)} bare proxy`,
        measured: `${ms(figures.latency.p50)} / ${ms(figures.latency.p99)}`,
        ratio: ratio(figures.latency.p99 / bare.latency.p99),
        target: isChecked ? `p99 ≤ ${TARGETS.p99Ms} ms` : '-',
        verdict: isChecked ? verdict(figures.latency.p99 <= TARGETS.p99Ms) : 'INFO',
      });
    }

    log('why: commerce-api alone, at the same concurrency');
    const upstreamAlone = await runLoad({
      title: 'commerce-api alone',
      url: commerce.url,
      connections: CONNECTIONS,
      durationSeconds: Math.max(5, SECONDS / 2),
      path: ROUTE,
    });
    report.row({
      metric: 'why: commerce-api alone',
      baseline: '-',
      measured: `${perSecond(upstreamAlone.rps)}, p50 ${ms(upstreamAlone.latency.p50)}, p99 ${ms(upstreamAlone.latency.p99)}`,
      ratio: '-',
      target: '-',
      verdict: 'INFO',
    });

    if (PROFILE) {
      const dir = join(BENCH_TMP, 'profiles', tag);
      mkdirSync(dir, { recursive: true });
      const profiled = { gateway: checked, oauth, acl };
      log(`profiling gateway, oauth and acl during one more checked run (${SECONDS} s, not counted above)`);
      for (const child of Object.values(profiled)) await child.startProfile(PROFILE_INTERVAL_US);
      const run = await load('gateway, checks on', SECONDS);
      for (const [name, child] of Object.entries(profiled)) await child.stopProfile(join(dir, `${name}.cpuprofile`));
      const calls = run.ok + Object.values(run.failures).reduce((a, b) => a + b, 0);
      report.note(
        `Profiled run (V8 CPU profiler, ${PROFILE_INTERVAL_US} µs sampling, not counted above): ${perSecond(run.rps)}, ` +
          `p99 ${ms(run.latency.p99)}, ${calls} calls; profiles in ${relative(REPO_ROOT, dir)}/ (open in Chrome DevTools).`,
      );
      for (const name of Object.keys(profiled)) {
        const summary = summarizeProfile(join(dir, `${name}.cpuprofile`), calls);
        report.row({
          metric: `profile: ${name} CPU per call`,
          baseline: `${(summary.sampledMs / 1000).toFixed(1)} s sampled`,
          measured: `${summary.busyUsPerCall.toFixed(0)} µs busy per call`,
          ratio: '-',
          target: '-',
          verdict: 'INFO',
        });
        report.note(`${name}, self time per call by home: ${describeShares(summary.groups)}.`);
        report.note(`${name}, heaviest functions: ${describeShares(summary.functions)}.`);
        report.data(`profile-${name}`, summary);
      }
    }

    for (const run of [...Object.values(runs).flat(), upstreamAlone]) {
      const failure = describeFailures(run);
      if (failure) report.note(`Failures: ${failure}`);
    }
    report.data(
      'runs',
      Object.values(runs)
        .flat()
        .map(({ samplesMs: _samples, failedSamplesMs: _failed, ...run }) => run),
    );
    report.note(
      `Route \`GET ${ROUTE}\`; ${ROUNDS} rounds × ${SECONDS} s per target (order rotating), autocannon at ${CONNECTIONS} ` +
        'connections, each request signed in setupRequest by `oauth-1.0a` (HMAC-SHA256, new nonce and timestamp) for every ' +
        'target, so the client does the same work everywhere. Bare proxy: node:http server + http.request with a keep-alive ' +
        'Agent (bench/lib/serve.ts). Checks off: the same gateway build with GATEWAY_BENCH_AUTH_DISABLED=true. Every service ' +
        'in its own Node process.',
    );
    report.finish();
  } finally {
    log('cleaning up (services, databases, topics)');
    await stopAll(services);
    await cleanupBenchInfra(infra, databases, prefix);
  }
}

function sign(credentials: IssuedCredentials, url: string): string {
  return authorizationHeader({
    method: 'GET',
    url,
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    token: { key: credentials.accessToken, secret: credentials.accessTokenSecret },
  });
}

/** A request whose signature (new nonce and timestamp) is made as it is sent. */
function signed(credentials: IssuedCredentials, baseUrl: string): autocannon.Request {
  return {
    method: 'GET',
    path: ROUTE,
    setupRequest: (request) => ({
      ...request,
      headers: { ...request.headers, authorization: sign(credentials, `${baseUrl}${ROUTE}`) },
    }),
  };
}

/** Until activation is in force everywhere (immediately once ADR 0006 §2 is merged; Kafka before). */
async function waitForSignedCall(gatewayUrl: string, credentials: IssuedCredentials): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${gatewayUrl}${ROUTE}`, {
      headers: { authorization: sign(credentials, `${gatewayUrl}${ROUTE}`), accept: 'application/json' },
    });
    last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    if (response.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`a signed call still fails 60 s after activation: ${last}`);
}

interface Combined {
  rps: number;
  failed: number;
  latency: LatencySummary;
}

/** Rounds of one side together: total 2xx over total time, percentiles over every sample. */
function combine(runs: LoadResult[]): Combined {
  const ok = runs.reduce((total, run) => total + run.ok, 0);
  const seconds = runs.reduce((total, run) => total + run.durationSeconds, 0);
  const failed = runs.reduce(
    (total, run) => total + run.errors + Object.values(run.failures).reduce((a, b) => a + b, 0),
    0,
  );
  return {
    rps: ok / seconds,
    failed,
    latency: summarize(runs.flatMap((run) => run.samplesMs)),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
