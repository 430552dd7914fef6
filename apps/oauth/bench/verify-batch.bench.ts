import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { connectMongo } from '@integrations/event-store';
import { percentEncode, sign } from '@integrations/oauth1';

/**
 * The oauth service's signed-call verification measured alone (docs/adr/0006 §5): autocannon at
 * 32 connections against `POST /oauth/verify/api-calls`, each request a batch of 8 freshly signed
 * calls (new nonce and timestamp per call, so every call claims a nonce), and against the single
 * `POST /oauth/verify/api-call` for comparison. The service runs as its own process
 * (apps/oauth/src/main.ts) on the shared Kafka + FerretDB, in a database of its own that is dropped
 * at the end.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 MONGO_URL=mongodb://127.0.0.1:27017 \
 *     node -r @swc-node/register apps/oauth/bench/verify-batch.bench.ts [--seconds 10] [--batch 8]
 */
const REPO = path.resolve(__dirname, '../../..');
const SECONDS = numberArg('--seconds', 10);
const BATCH = numberArg('--batch', 8);
const CONNECTIONS = numberArg('--connections', 32);
/** `--only batch` or `--only single`: one endpoint (profiling). */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const INTEGRATIONS = 8;
const STORE = 'https://shop.example.com';
const PATH = '/rest/V1/products';
const QUERY: Array<[string, string]> = [['searchCriteria[pageSize]', '20']];

interface Keys {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number >= 1`);
  return value;
}

const say = (line: string) => process.stdout.write(`bench:oauth-verify-batch: ${line}\n`);

/** A partner's signed GET (RFC 5849, HMAC-SHA256, parameters in the header), fresh nonce and timestamp. */
function signedCall(keys: Keys) {
  const oauth: Array<[string, string]> = [
    ['oauth_consumer_key', keys.consumerKey],
    ['oauth_nonce', randomBytes(12).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_token', keys.accessToken],
    ['oauth_version', '1.0'],
  ];
  const normalized = [...oauth, ...QUERY]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)])
    .sort(([a, x], [b, y]) => (a === b ? (x! < y! ? -1 : 1) : a! < b! ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const baseString = `GET&${percentEncode(`${STORE}${PATH}`)}&${percentEncode(normalized)}`;
  const signature = sign({
    method: 'HMAC-SHA256',
    baseString,
    consumerSecret: keys.consumerSecret,
    tokenSecret: keys.accessTokenSecret,
  });
  const header = [...oauth, ['oauth_signature', signature]]
    .map(([name, value]) => `${name}="${percentEncode(value!)}"`)
    .join(', ');
  const query = QUERY.map(([name, value]) => `${name}=${value}`).join('&');
  return { method: 'GET', url: `${STORE}${PATH}?${query}`, authorization: `OAuth ${header}` };
}

function startService(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    // BENCH_NODE_ARGS: extra node flags for the service, e.g. `--cpu-prof --cpu-prof-dir=tmp/prof`.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', 'apps/oauth/src/main.ts'], {
      cwd: REPO,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"oauth listening"/.exec(output)?.[1];
      if (url) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ child, url });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`oauth exited (${code}) before listening:\n${output}`)));
  });
}

interface Run {
  requests: number;
  /** CPU time of the oauth process per verified call, in µs: load on the machine barely moves it. */
  cpuMicrosPerCall: number;
  callsPerSecond: number;
  p50: number;
  p99: number;
  refused: number;
  non2xx: number;
  errors: number;
}

/** The service's own CPU seconds so far (prom-client's process_cpu_seconds_total on /metrics). */
async function cpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('process_cpu_seconds_total '));
  if (!line) throw new Error('process_cpu_seconds_total missing from /metrics');
  return Number(line.split(' ')[1]);
}

/** One autocannon run; every request is built afresh (new signatures) when the connection sends it. */
async function load(url: string, path: string, body: () => string, callsPerRequest: number): Promise<Run> {
  const cpuBefore = await cpuSeconds(url);
  const run = await autocannonRun(url, path, body, callsPerRequest);
  const cpu = (await cpuSeconds(url)) - cpuBefore;
  const calls = run.callsPerSecond * SECONDS;
  return { ...run, cpuMicrosPerCall: calls > 0 ? (cpu * 1e6) / calls : NaN };
}

function autocannonRun(
  url: string,
  path: string,
  body: () => string,
  callsPerRequest: number,
): Promise<Omit<Run, 'cpuMicrosPerCall'>> {
  let refused = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}${path}`,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: body() }),
            onResponse: (_status, responseBody) => {
              if (responseBody.includes('"ok":false')) refused += 1;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          callsPerSecond: (result['2xx'] * callsPerRequest) / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          refused,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
  });
}

/** What one `_id` read costs on this database right now: the floor of a batch's latency is two of them. */
async function dbRoundTripMs(mongoUrl: string, database: string): Promise<number> {
  const connection = await connectMongo(mongoUrl, database);
  try {
    const collection = connection.db!.collection<{ _id: string }>('change_signals');
    const samples: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = process.hrtime.bigint();
      await collection.findOne({ _id: 'credentials' });
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return samples.sort((x, y) => x - y)[25]!;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const mongoUrl = process.env.MONGO_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!mongoUrl || !brokers)
    throw new Error('set MONGO_URL and KAFKA_BROKERS (e.g. tools/infra/infra.sh up, then the values it prints)');
  const tag = `bench_verify_${Date.now().toString(36)}`;
  const env = {
    MONGO_URL: mongoUrl,
    KAFKA_BROKERS: brokers,
    OAUTH_PORT: '0',
    OAUTH_DB: tag,
    OAUTH_TOPIC_PREFIX: `${tag}.`,
    OAUTH_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    REGISTRY_URL: 'http://127.0.0.1:9',
  };
  say(
    `load average before: ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  say('starting the oauth service (own process)');
  const { child, url } = await startService(env);
  try {
    const keys: Keys[] = [];
    for (let i = 0; i < INTEGRATIONS; i++) {
      const response = await fetch(`${url}/integrations/${randomUUID()}/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode: 'tokens', reauthorize: false }),
      });
      if (response.status !== 200) throw new Error(`credentials: HTTP ${response.status} ${await response.text()}`);
      keys.push((await response.json()) as Keys);
    }
    let next = 0;
    const nextKeys = () => keys[next++ % keys.length]!;
    const batch = () => JSON.stringify({ calls: Array.from({ length: BATCH }, () => signedCall(nextKeys())) });
    const single = () => JSON.stringify(signedCall(nextKeys()));

    // The first batch must be accepted whole, or the benchmark would measure refusals.
    const check = (await (
      await fetch(`${url}/oauth/verify/api-calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: batch(),
      })
    ).json()) as { verdicts: Array<{ ok: boolean; code?: string }> };
    if (!check.verdicts.every((verdict) => verdict.ok))
      throw new Error(`a fresh batch is not accepted: ${JSON.stringify(check.verdicts)}`);

    say(`database round trip (findOne by _id, median of 50): ${(await dbRoundTripMs(mongoUrl, tag)).toFixed(2)} ms`);
    say(`warm-up, then ${SECONDS} s per run at ${CONNECTIONS} connections`);
    await load(url, '/oauth/verify/api-calls', batch, BATCH);
    const batched = ONLY === 'single' ? undefined : await load(url, '/oauth/verify/api-calls', batch, BATCH);
    const alone = ONLY === 'batch' ? undefined : await load(url, '/oauth/verify/api-call', single, 1);
    say(
      `load average after: ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    );
    const row = (name: string, run: Run | undefined, per: string) =>
      run &&
      `| ${name} | ${Math.round(run.callsPerSecond).toLocaleString('en-US')} | ${run.p50} | ${run.p99} | ${Math.round(run.cpuMicrosPerCall)} | ${run.requests.toLocaleString('en-US')} ${per} | ${run.refused} | ${run.non2xx + run.errors} |`;
    process.stdout.write(
      [
        '',
        `| endpoint (${CONNECTIONS} connections, ${SECONDS} s) | calls/s | p50 ms (request) | p99 ms (request) | oauth CPU µs per call | requests | with a refusal | failed |`,
        '|---|---:|---:|---:|---:|---:|---:|---:|',
        row(`POST /oauth/verify/api-calls, ${BATCH} calls per request`, batched, 'batches'),
        row('POST /oauth/verify/api-call, 1 call per request', alone, 'calls'),
        '',
      ]
        .filter((line) => line !== undefined)
        .join('\n'),
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    const connection = await connectMongo(mongoUrl, tag);
    await connection.db?.dropDatabase();
    await connection.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:oauth-verify-batch failed: ${error.message}\n`);
  process.exit(1);
});
