import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type autocannon from 'autocannon';
import {
  type OAuthHttpRequest,
  percentEncode,
  randomToken,
  requestSignatureBaseString,
  verifyRequest,
} from '@integrations/oauth1';
import { commandLine, numberArg } from './lib/args';
import { type ChildService, startChild, stopAll } from './lib/child-service';
import { benchInfra, benchTag, cleanupBenchInfra } from './lib/infra';
import { describeFailures, type LoadResult, runLoad } from './lib/load';
import { authorizationHeader, type Credentials } from './lib/oauth-signer';
import { BenchReport, progress, verdict } from './lib/report';
import { ms, perSecond, ratio } from './lib/stats';

/**
 * bench:oauth
 *
 * 1. Verifications per second of libs/oauth1's `verifyRequest` (api-call mode: Authorization header
 *    parse, parameter collection from query + header, base string, HMAC-SHA256, constant-time
 *    compare, Magento's checks) on realistic Magento REST calls signed by the `oauth-1.0a` package,
 *    beside raw HMAC-SHA256 of the same base strings, alternating in the same run. Lookups are
 *    in-memory (the service's database and caches are measured by bench:gateway). Target ≥ 0.33.
 * 2. Token exchange against the oauth service (its HTTP endpoints `/oauth/verify/token-request` and
 *    `/oauth/verify/token-access`, which the gateway's `/oauth/token/*` forward to): request-token
 *    and access-token requests per second with autocannon, each request freshly signed, beside a
 *    bare node:http server receiving the same signed requests with the same load tool.
 */
const MICRO_SECONDS = numberArg('--seconds', 10);
const EXCHANGES = numberArg('--exchanges', 200);
const CONNECTIONS = numberArg('--connections', 8);
const STORE = 'https://shop.example.com';
/** A typical Magento REST search: nested brackets, a percent-encoded value. */
const API_PATH =
  '/rest/V1/products?searchCriteria[filter_groups][0][filters][0][field]=name&searchCriteria[filter_groups][0][filters][0][value]=%25shirt%25' +
  '&searchCriteria[filter_groups][0][filters][0][condition_type]=like&searchCriteria[sortOrders][0][field]=created_at&searchCriteria[pageSize]=20&searchCriteria[currentPage]=1';

const log = progress('bench:oauth');

async function main(): Promise<void> {
  const report = new BenchReport('bench-oauth', commandLine('bench:oauth'));
  await verifyThroughput(report);
  await tokenExchange(report);
  report.finish();
}

async function verifyThroughput(report: BenchReport): Promise<void> {
  log(`verify vs raw HMAC-SHA256, ${MICRO_SECONDS} s alternating`);
  const consumer = { id: 'consumer-1', key: randomToken(), secret: randomToken() };
  const token = {
    consumerId: consumer.id,
    type: 'access' as const,
    token: randomToken(),
    secret: randomToken(),
    revoked: false,
  };
  // Distinct nonces and timestamps, so neither side hashes one string over and over.
  const requests: OAuthHttpRequest[] = Array.from({ length: 1_000 }, () => ({
    method: 'GET',
    url: API_PATH,
    protocol: 'https',
    headers: {
      host: 'shop.example.com',
      authorization: authorizationHeader({
        method: 'GET',
        url: `${STORE}${API_PATH}`,
        consumer,
        token: { key: token.token, secret: token.secret },
      }),
    },
  }));
  const baseStrings = requests.map((request) => requestSignatureBaseString(request));
  const hmacKey = `${percentEncode(consumer.secret)}&${percentEncode(token.secret)}`;
  const seen = new Set<string>();
  const lookups = {
    findConsumer: async (key: string) => (key === consumer.key ? consumer : null),
    findToken: async (value: string) => (value === token.token ? token : null),
    // Records like a store would, but every cycle replays the same 1,000 nonces: always accept.
    nonceStore: { claim: async (consumerId: string, nonce: string) => (seen.add(`${consumerId}:${nonce}`), true) },
  };
  const first = await verifyRequest(requests[0]!, lookups, { mode: 'api-call' });
  if (!first.ok)
    throw new Error(
      `the oauth-1.0a-signed request does not verify (${first.code}): the benchmark would measure a rejection path`,
    );

  let hmacOps = 0;
  let hmacNs = 0n;
  let verifyOps = 0;
  let verifyNs = 0n;
  let failures = 0;
  const deadline = Date.now() + MICRO_SECONDS * 1000;
  for (let round = 0; Date.now() < deadline || round < 2; round++) {
    // Alternate which side runs first: JIT warm-up and load drift hit both alike.
    const sides = round % 2 === 0 ? ['hmac', 'verify'] : ['verify', 'hmac'];
    for (const side of sides) {
      const started = process.hrtime.bigint();
      if (side === 'hmac') {
        for (const baseString of baseStrings) createHmac('sha256', hmacKey).update(baseString).digest('base64');
        hmacNs += process.hrtime.bigint() - started;
        hmacOps += baseStrings.length;
      } else {
        for (const request of requests)
          if (!(await verifyRequest(request, lookups, { mode: 'api-call' })).ok) failures += 1;
        verifyNs += process.hrtime.bigint() - started;
        verifyOps += requests.length;
      }
    }
  }
  const hmacRate = hmacOps / (Number(hmacNs) / 1e9);
  const verifyRate = verifyOps / (Number(verifyNs) / 1e9);
  report.row({
    metric: 'verifyRequest (api-call), per second',
    baseline: `${perSecond(hmacRate)} raw HMAC-SHA256`,
    measured: `${perSecond(verifyRate)} verified`,
    ratio: ratio(verifyRate / hmacRate),
    target: '≥ 0.33×',
    verdict: verdict(failures === 0 && verifyRate / hmacRate >= 0.33),
  });
  report.note(
    `verify: ${verifyOps.toLocaleString('en-US')} verifications of ${requests.length} distinct requests signed by \`oauth-1.0a\` ` +
      `(GET ${API_PATH.length}-character Magento search URL, 7 protocol parameters in the header), in-memory lookups; ` +
      `raw HMAC: \`createHmac('sha256', key).update(baseString).digest('base64')\` over the same base strings. ${failures} failed verifications.`,
  );
}

interface Exchange {
  id: string;
  consumer: Credentials;
  verifier: string;
  requestToken?: Credentials;
  accessToken?: Credentials;
}

async function tokenExchange(report: BenchReport): Promise<void> {
  const infra = benchInfra();
  const tag = benchTag('oauth');
  const database = `${tag}_oauth`;
  const services: ChildService[] = [];
  const callback = await CallbackServer.start();
  try {
    log('starting the oauth service and a bare node:http baseline');
    const oauth = await startChild({
      name: 'oauth',
      kind: 'oauth',
      options: {
        OAUTH_PORT: 0,
        MONGO_URL: infra.mongoUrl,
        KAFKA_BROKERS: infra.kafkaBrokers,
        OAUTH_DB: database,
        OAUTH_TOPIC_PREFIX: `${tag}.`,
        OAUTH_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        // The callback is on loopback; a long consumer window so that setup time cannot expire it.
        pinnedSettings: { 'oauth/consumer/outbound_allowlist': '127.0.0.1', 'oauth/consumer/expiration_period': 3600 },
      },
    });
    services.push(oauth);
    const sampleReply = JSON.stringify({
      status: 200,
      body: `oauth_token=${randomToken()}&oauth_token_secret=${randomToken()}`,
    });
    const bare = await startChild({ name: 'bare', kind: 'bare', options: { body: sampleReply } });
    services.push(bare);

    log(`starting ${EXCHANGES} exchanges (credentials POSTed to our callback)`);
    const exchanges: Exchange[] = [];
    const setupStarted = Date.now();
    await inParallel(EXCHANGES, 4, async () => {
      const id = randomUUID();
      const reply = await postJson(`${oauth.url}/integrations/${id}/credentials`, {
        mode: 'exchange',
        callbackUrl: callback.url,
        storeBaseUrl: `${STORE}/`,
      });
      if (reply.status !== 200)
        throw new Error(`credentials for ${id} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
      const form = callback.forms.get((JSON.parse(reply.text) as { consumerKey: string }).consumerKey);
      if (!form) throw new Error(`no credentials POST arrived for ${id}`);
      exchanges.push({
        id,
        consumer: { key: form.get('oauth_consumer_key')!, secret: form.get('oauth_consumer_secret')! },
        verifier: form.get('oauth_verifier')!,
      });
    });
    const setupSeconds = (Date.now() - setupStarted) / 1000;
    report.row({
      metric: 'exchange start (credentials + callback POST)',
      baseline: '-',
      measured: perSecond(EXCHANGES / setupSeconds),
      ratio: '-',
      target: '-',
      verdict: 'INFO',
    });

    log('request tokens');
    const requestPhase = await exchangePhase(
      oauth.url,
      '/oauth/verify/token-request',
      exchanges,
      (exchange) => ({
        method: 'POST',
        url: `${STORE}/oauth/token/request`,
        authorization: authorizationHeader({
          method: 'POST',
          url: `${STORE}/oauth/token/request`,
          consumer: exchange.consumer,
        }),
      }),
      (exchange, body) => (exchange.requestToken = tokenFrom(body)),
    );
    log('access tokens');
    const withRequestToken = exchanges.filter((exchange) => exchange.requestToken);
    const accessPhase = await exchangePhase(
      oauth.url,
      '/oauth/verify/token-access',
      withRequestToken,
      (exchange) => ({
        method: 'POST',
        url: `${STORE}/oauth/token/access`,
        authorization: authorizationHeader({
          method: 'POST',
          url: `${STORE}/oauth/token/access`,
          consumer: exchange.consumer,
          token: exchange.requestToken,
          oauth: { oauth_verifier: exchange.verifier },
        }),
      }),
      (exchange, body) => (exchange.accessToken = tokenFrom(body)),
    );
    const completed = exchanges.filter((exchange) => exchange.accessToken).length;

    log('bare node:http baseline, same signed bodies, same load tool');
    let spare = 0;
    const bareRun = await runLoad({
      title: 'bare node:http',
      url: bare.url,
      connections: CONNECTIONS,
      durationSeconds: 5,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          path: '/oauth/verify/token-request',
          setupRequest: (request) => {
            const exchange = exchanges[spare++ % exchanges.length]!;
            return {
              ...request,
              body: JSON.stringify({
                method: 'POST',
                url: `${STORE}/oauth/token/request`,
                authorization: authorizationHeader({
                  method: 'POST',
                  url: `${STORE}/oauth/token/request`,
                  consumer: exchange.consumer,
                }),
              }),
            };
          },
        },
      ],
    });

    for (const [label, phase] of [
      ['request token', requestPhase],
      ['access token', accessPhase],
    ] as const) {
      report.row({
        metric: `${label}: requests/s (${CONNECTIONS} conn.)`,
        baseline: `${perSecond(bareRun.rps)} bare node:http`,
        measured: perSecond(phase.rps),
        ratio: ratio(phase.rps / bareRun.rps),
        target: '-',
        verdict: 'INFO',
      });
      report.row({
        metric: `${label}: p50 / p99`,
        baseline: `${ms(bareRun.latency.p50)} / ${ms(bareRun.latency.p99)}`,
        measured: `${ms(phase.latency.p50)} / ${ms(phase.latency.p99)}`,
        ratio: '-',
        target: '-',
        verdict: 'INFO',
      });
      const failure = describeFailures(phase);
      if (failure) report.note(`Failures: ${failure}`);
    }
    const exchangesPerSecond = completed / (requestPhase.durationSeconds + accessPhase.durationSeconds);
    report.row({
      metric: 'complete exchanges (request + access)',
      baseline: '-',
      measured: `${perSecond(exchangesPerSecond)} (${completed}/${EXCHANGES} completed)`,
      ratio: '-',
      target: '-',
      verdict: completed === EXCHANGES ? 'INFO' : 'MISS',
    });
    report.note(
      `Token exchange: ${EXCHANGES} integrations, each started in exchange mode (credentials POSTed to a callback in the benchmark process), then ` +
        `autocannon at ${CONNECTIONS} connections sends each one request-token call, then each one access-token call, every request freshly signed by \`oauth-1.0a\`, ` +
        'straight to the oauth service (its own Node process) on the shared FerretDB. Baseline: a bare node:http server (own process) answering a same-size reply ' +
        'to the same signed bodies for 5 s. `oauth/consumer/expiration_period` pinned to 3600 s so setup time cannot expire a consumer.',
    );
  } finally {
    log('cleaning up (services, database, topics)');
    await stopAll(services);
    await callback.close();
    await cleanupBenchInfra(infra, [database], `${tag}.`);
  }
}

/**
 * One autocannon run that sends each exchange exactly once (amount = count). The connection's
 * context carries the exchange from setupRequest to onResponse (pipelining 1).
 */
async function exchangePhase(
  baseUrl: string,
  path: string,
  exchanges: Exchange[],
  body: (exchange: Exchange) => Record<string, string>,
  record: (exchange: Exchange, replyBody: string) => void,
): Promise<LoadResult> {
  let next = 0;
  const inner: Record<number, number> = {};
  const request: autocannon.Request = {
    method: 'POST',
    path,
    setupRequest: (built, context) => {
      const exchange = exchanges[next++ % exchanges.length]!;
      (context as { exchange?: Exchange }).exchange = exchange;
      return { ...built, body: JSON.stringify(body(exchange)) };
    },
    onResponse: (status, replyBody, context) => {
      const exchange = (context as { exchange?: Exchange }).exchange;
      if (status !== 200 || !exchange) return;
      const reply = JSON.parse(replyBody) as { status: number; body: string };
      inner[reply.status] = (inner[reply.status] ?? 0) + 1;
      if (reply.status === 200) record(exchange, reply.body);
    },
  };
  const result = await runLoad({
    title: path,
    url: baseUrl,
    connections: CONNECTIONS,
    amount: exchanges.length,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [request],
    timeoutSeconds: 120,
  });
  // The service answers 200 with {status, body}: an OAuth refusal is not a success here.
  const refused = Object.entries(inner).filter(([status]) => status !== '200');
  for (const [status, count] of refused)
    result.failures[Number(status)] = (result.failures[Number(status)] ?? 0) + count;
  result.ok = inner[200] ?? 0;
  result.rps = result.ok / result.durationSeconds;
  return result;
}

function tokenFrom(body: string): Credentials {
  const params = new URLSearchParams(body);
  return { key: params.get('oauth_token') ?? '', secret: params.get('oauth_token_secret') ?? '' };
}

async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-actor': 'bench' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

async function inParallel(count: number, concurrency: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started += 1;
        await task();
      }
    }),
  );
}

/** The partner's callback endpoint: keeps each credentials POST by consumer key. */
class CallbackServer {
  readonly forms = new Map<string, URLSearchParams>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<CallbackServer> {
    const holder: { self?: CallbackServer } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        holder.self!.forms.set(form.get('oauth_consumer_key') ?? '', form);
        response.statusCode = 200;
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new CallbackServer(server);
    return holder.self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/oauth/callback`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:oauth failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
