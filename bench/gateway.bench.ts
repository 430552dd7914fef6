import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { AdminClient, type IssuedCredentials } from './lib/admin-client';
import { commandLine, numberArg } from './lib/args';
import { type ChildService, type StartChildOptions, startChildren, stopAll } from './lib/child-service';
import { benchInfra, benchTag, cleanupBenchInfra } from './lib/infra';
import { describeFailures, type LoadResult, runLoad } from './lib/load';
import { authorizationHeader } from './lib/oauth-signer';
import { BenchReport, progress, verdict } from './lib/report';
import { type LatencySummary, ms, perSecond, ratio, summarize } from './lib/stats';

/**
 * bench:gateway — signed calls through gateway -> commerce-api, each request freshly signed (new
 * nonce, `oauth-1.0a` in autocannon's setupRequest), beside the same route through a second gateway
 * started with the benchmark-only GATEWAY_BENCH_AUTH_DISABLED=true (no signature check, no ACL
 * decision), and a bare node:http server answering the same body: same run, same load tool, same
 * client work (the unchecked runs get signed requests too). Targets (issue 5): checked/unchecked
 * calls per second ≥ 0.5 and checked p99 ≤ 20 ms, at 32 connections.
 *
 * The whole platform runs, one Node process per service, on the shared Kafka + FerretDB with a
 * topic prefix and databases of its own: config, oauth, registry, acl, commerce-api, gateway (checks
 * on), gateway (checks off). The integration is created and activated (tokens mode) through the
 * admin API, with resource access `all`.
 */
const CONNECTIONS = numberArg('--connections', 32);
const SECONDS = numberArg('--seconds', 15);
const ROUNDS = numberArg('--rounds', 2);
const ROUTE = '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1';
const ADMIN = { username: 'bench-admin', password: 'bench gateway password 1234' };

const log = progress('bench:gateway');

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
    log('starting acl and the two gateways');
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
    const [checked, unchecked] = (await start(
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
    )) as [ChildService, ChildService];

    log('creating and activating an integration (tokens mode) through the admin API');
    const admin = await AdminClient.login(checked.url, ADMIN.username, ADMIN.password);
    const integration = await admin.createIntegration({ name: `Bench gateway ${tag}`, resourceAccess: 'all' });
    const credentials = await admin.activate(integration.id);

    const signed = (baseUrl: string): autocannon.Request => ({
      method: 'GET',
      path: ROUTE,
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, authorization: sign(credentials, `${baseUrl}${ROUTE}`) },
      }),
    });
    await waitForSignedCall(checked.url, credentials);
    const upstreamBody = await (await fetch(`${commerce.url}${ROUTE}`)).text();
    const [bare] = (await start({ name: 'bare', kind: 'bare', options: { body: upstreamBody } })) as [ChildService];

    const load = (title: string, url: string, seconds: number) =>
      runLoad({
        title,
        url,
        connections: CONNECTIONS,
        durationSeconds: seconds,
        headers: { accept: 'application/json' },
        requests: [signed(url)],
      });
    log('warm-up (5 s each gateway)');
    await load('warm-up checked', checked.url, 5);
    await load('warm-up unchecked', unchecked.url, 5);

    const checkedRuns: LoadResult[] = [];
    const uncheckedRuns: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // ABBA: the machine's load drifts; each side runs first once per two rounds.
      const order = round % 2 === 0 ? (['unchecked', 'checked'] as const) : (['checked', 'unchecked'] as const);
      for (const side of order) {
        log(`round ${round + 1}: ${side}, ${SECONDS} s at ${CONNECTIONS} connections`);
        if (side === 'checked') checkedRuns.push(await load('gateway, checks on', checked.url, SECONDS));
        else uncheckedRuns.push(await load('gateway, checks off', unchecked.url, SECONDS));
      }
    }
    log(`bare node:http, ${SECONDS} s`);
    const bareRun = await load('bare node:http', bare.url, SECONDS);

    // Why: each hop of a checked call alone, at the same concurrency.
    const hop = (
      title: string,
      url: string,
      path: string,
      body: () => unknown,
      accepted: (reply: unknown) => boolean,
    ) => {
      let refused = 0;
      return runLoad({
        title,
        url,
        connections: CONNECTIONS,
        durationSeconds: Math.max(5, SECONDS / 2),
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path,
            setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) }),
            onResponse: (status, replyBody) => {
              if (status === 200 && !accepted(JSON.parse(replyBody))) refused += 1;
            },
          },
        ],
      }).then((result) => ({ result, refused }));
    };
    log('why: the oauth verification, the acl decision and the upstream, each alone');
    const verifyHop = await hop(
      'oauth /oauth/verify/api-call',
      oauth.url,
      '/oauth/verify/api-call',
      () => ({
        method: 'GET',
        url: `${checked.url}${ROUTE}`,
        authorization: sign(credentials, `${checked.url}${ROUTE}`),
      }),
      (reply) => (reply as { ok?: boolean }).ok === true,
    );
    const decideHop = await hop(
      'acl /decisions',
      acl.url,
      '/decisions',
      () => ({ method: 'GET', path: ROUTE, integrationId: integration.id }),
      (reply) => (reply as { status?: number }).status === 200,
    );
    const upstreamHop = await runLoad({
      title: 'commerce-api',
      url: commerce.url,
      connections: CONNECTIONS,
      durationSeconds: Math.max(5, SECONDS / 2),
      path: ROUTE,
    });

    const on = combine(checkedRuns);
    const off = combine(uncheckedRuns);
    report.row({
      metric: `signed calls/s, ${CONNECTIONS} conn.`,
      baseline: `${perSecond(off.rps)} checks off`,
      measured: `${perSecond(on.rps)} checked`,
      ratio: ratio(on.rps / off.rps),
      target: '≥ 0.5×',
      verdict: verdict(on.rps / off.rps >= 0.5 && on.failed === 0),
    });
    report.row({
      metric: 'p50',
      baseline: `${ms(off.latency.p50)} checks off`,
      measured: `${ms(on.latency.p50)} checked`,
      ratio: ratio(on.latency.p50 / off.latency.p50),
      target: '-',
      verdict: 'INFO',
    });
    report.row({
      metric: 'p99',
      baseline: `${ms(off.latency.p99)} checks off`,
      measured: `${ms(on.latency.p99)} checked`,
      ratio: ratio(on.latency.p99 / off.latency.p99),
      target: 'p99 ≤ 20 ms',
      verdict: verdict(on.latency.p99 <= 20),
    });
    report.row({
      metric: 'bare node:http (same body)',
      baseline: `${perSecond(bareRun.rps)}, p50 ${ms(bareRun.latency.p50)}, p99 ${ms(bareRun.latency.p99)}`,
      measured: `checked: ${ratio(on.rps / bareRun.rps)} of bare`,
      ratio: ratio(on.rps / bareRun.rps),
      target: '-',
      verdict: 'INFO',
    });
    for (const [label, run, refused] of [
      ['why: oauth verify alone (DB nonce write)', verifyHop.result, verifyHop.refused],
      ['why: acl decision alone', decideHop.result, decideHop.refused],
      ['why: commerce-api alone', upstreamHop, 0],
    ] as const) {
      report.row({
        metric: label,
        baseline: '-',
        measured: `${perSecond(run.rps)}, p50 ${ms(run.latency.p50)}, p99 ${ms(run.latency.p99)}${refused ? `, ${refused} refused` : ''}`,
        ratio: '-',
        target: '-',
        verdict: 'INFO',
      });
    }
    for (const run of [...checkedRuns, ...uncheckedRuns, bareRun, verifyHop.result, decideHop.result, upstreamHop]) {
      const failure = describeFailures(run);
      if (failure) report.note(`Failures: ${failure}`);
    }
    report.data(
      'runs',
      [...checkedRuns, ...uncheckedRuns, bareRun].map(
        ({ samplesMs: _samples, failedSamplesMs: _failed, ...run }) => run,
      ),
    );
    report.note(
      `Route \`GET ${ROUTE}\` (commerce-api answers ${upstreamBody.length} bytes). ${ROUNDS} rounds × ${SECONDS} s per gateway (order alternating), ` +
        `autocannon at ${CONNECTIONS} connections, each request signed in setupRequest by \`oauth-1.0a\` (HMAC-SHA256, new nonce and timestamp) ` +
        'for all three targets, so the client does the same work everywhere. Checked = signature (oauth service) + decision (acl service) + proxy; ' +
        'checks off = the same gateway build with GATEWAY_BENCH_AUTH_DISABLED=true, proxy only. Every service in its own Node process.',
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

/** Activation reaches the oauth and acl services through Kafka: wait until a signed call passes. */
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
