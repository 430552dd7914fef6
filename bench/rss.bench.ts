import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { launchSystem, type RunningSystem } from '@integrations/run-local';
import { AdminClient, type IssuedCredentials } from './lib/admin-client';
import { commandLine, numberArg } from './lib/args';
import { benchInfra, benchTag, cleanupBenchInfra } from './lib/infra';
import { authorizationHeader } from './lib/oauth-signer';
import { BenchReport, progress, verdict } from './lib/report';
import { percentile } from './lib/stats';

/**
 * bench:rss — idle resident memory of every service (issue 7: ≤ 150 MB each).
 *
 * Starts the whole system with `launchSystem` (compiled runtime: plain JavaScript, what the container
 * images run), warms it up with a few admin requests and one signed call (so that lazily loaded
 * modules, connection pools and JIT code are in place, as in a service that has served traffic),
 * lets it settle, then reads VmRSS from /proc/<pid>/status of each service several times.
 * Baseline, same run: a bare `node -e "require('http').createServer(…).listen(0)"` process sampled
 * at the same moments — what Node itself costs on this machine, before any of our code.
 */
const SETTLE_SECONDS = numberArg('--settle', 30);
const SAMPLES = numberArg('--samples', 10);
const INTERVAL_MS = numberArg('--interval-ms', 2000);
const BUDGET_MB = numberArg('--budget-mb', 150);
const ADMIN = { username: 'bench-rss-admin', password: 'bench rss password 1234' };
const ROUTE = '/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=1';

const log = progress('bench:rss');

async function main(): Promise<void> {
  const infra = benchInfra();
  const tag = `${benchTag('rss')}_`;
  const report = new BenchReport('bench-rss', commandLine('bench:rss'));
  let system: RunningSystem | undefined;
  let baseline: ChildProcess | undefined;
  let over = false;
  try {
    log('starting the whole system (launchSystem, compiled runtime)');
    system = await launchSystem({
      ports: 'free',
      dbPrefix: tag,
      runtime: 'compiled',
      env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn' },
      readyTimeoutMs: 300_000,
      onProgress: (message) => log(message),
    });
    baseline = spawn(process.execPath, ['-e', "require('http').createServer((q, s) => s.end('ok')).listen(0)"], {
      stdio: 'ignore',
    });

    log('warm-up: admin requests and one signed call through the gateway');
    const warmUp = await warm(system);

    log(`settling ${SETTLE_SECONDS} s`);
    await sleep(SETTLE_SECONDS * 1000);

    log(`sampling VmRSS ${SAMPLES} times, every ${INTERVAL_MS} ms`);
    const pids = { ...system.pids(), 'baseline: bare node http server': baseline.pid };
    const samples = new Map<string, number[]>(Object.keys(pids).map((name) => [name, []]));
    const parts = new Map<string, { anon: number[]; file: number[] }>(
      Object.keys(pids).map((name) => [name, { anon: [], file: [] }]),
    );
    const peaks = new Map<string, number>();
    for (let index = 0; index < SAMPLES; index++) {
      for (const [name, pid] of Object.entries(pids)) {
        const status = pid === undefined ? undefined : procStatus(pid);
        if (!status) throw new Error(`${name} is not running (pid ${pid}): an exited service has no idle RSS`);
        samples.get(name)!.push(status.rssKb / 1024);
        parts.get(name)!.anon.push(status.anonKb / 1024);
        parts.get(name)!.file.push(status.fileKb / 1024);
        peaks.set(name, status.hwmKb / 1024);
      }
      if (index < SAMPLES - 1) await sleep(INTERVAL_MS);
    }

    const baseSorted = [...samples.get('baseline: bare node http server')!].sort((a, b) => a - b);
    const baseMedian = percentile(baseSorted, 50);
    report.row({
      metric: 'bare node:http server (baseline)',
      baseline: '-',
      measured: `${rssCell(baseSorted)} (${split(parts.get('baseline: bare node http server')!)})`,
      ratio: '1.00×',
      target: '-',
      verdict: 'INFO',
    });
    for (const [name, values] of samples) {
      if (name.startsWith('baseline')) continue;
      const sorted = [...values].sort((a, b) => a - b);
      const median = percentile(sorted, 50);
      const ok = sorted[sorted.length - 1]! <= BUDGET_MB;
      if (!ok) over = true;
      report.row({
        metric: `${name} idle RSS (peak ${mb(peaks.get(name)!)})`,
        baseline: `${mb(baseMedian)} bare node`,
        measured: `${rssCell(sorted)} (${split(parts.get(name)!)})`,
        ratio: `${(median / baseMedian).toFixed(2)}×`,
        target: `≤ ${BUDGET_MB} MB`,
        verdict: verdict(ok),
      });
    }
    report.note(
      `RSS = VmRSS of /proc/<pid>/status (MB = 2^20 bytes), ${SAMPLES} samples ${INTERVAL_MS} ms apart after ${SETTLE_SECONDS} s of idle; ` +
        'measured = min / median / max of those samples; verdict on the max; in brackets the medians of RssAnon (heap, JIT code, buffers: ' +
        'the process\'s own memory) and RssFile (pages of the node binary and other mapped files). "peak" = VmHWM (high-water mark since start, ' +
        'includes boot and warm-up).',
    );
    report.note(
      `Warm-up before settling: ${warmUp}. Compiled runtime (launchSystem's default, what the containers run), LOG_LEVEL=warn.`,
    );
    report.finish();
  } finally {
    baseline?.kill('SIGKILL');
    if (system) {
      log('stopping the system and cleaning up');
      await system.stop();
      await cleanupBenchInfra(infra, Object.values(system.databases), tag);
      rmSync(system.stateDir, { recursive: true, force: true });
    }
  }
  if (over) process.exitCode = 1;
}

/** Admin login, a grid page, an integration created and activated, one signed call passing. */
async function warm(system: RunningSystem): Promise<string> {
  const gateway = system.urls.gateway!;
  const admin = await AdminClient.login(gateway, ADMIN.username, ADMIN.password);
  await admin.list('page=1&pageSize=20');
  const integration = await admin.createIntegration({ name: `Bench rss ${Date.now()}`, resourceAccess: 'all' });
  const credentials = await admin.activate(integration.id);
  await admin.list('page=1&pageSize=20');
  const attempts = await signedCall(gateway, credentials);
  return `admin login, 2 grid pages, 1 integration created and activated (tokens mode), signed GET ${ROUTE} through the gateway (passed after ${attempts} attempt(s))`;
}

/** Activation reaches oauth and acl over Kafka: retry until a signed call passes. */
async function signedCall(gatewayUrl: string, credentials: IssuedCredentials): Promise<number> {
  const deadline = Date.now() + 120_000;
  let last = '';
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    const authorization = authorizationHeader({
      method: 'GET',
      url: `${gatewayUrl}${ROUTE}`,
      consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
      token: { key: credentials.accessToken, secret: credentials.accessTokenSecret },
    });
    const response = await fetch(`${gatewayUrl}${ROUTE}`, { headers: { authorization, accept: 'application/json' } });
    last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    if (response.ok) return attempt;
    await sleep(500);
  }
  throw new Error(`a signed call still fails 120 s after activation: ${last}`);
}

function procStatus(pid: number): { rssKb: number; hwmKb: number; anonKb: number; fileKb: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile') };
}

/** Medians of the anonymous (heap, JIT code, buffers) and file-backed (node binary, mapped files) parts of RSS. */
function split({ anon, file }: { anon: number[]; file: number[] }): string {
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  return `anon ${mb(median(anon))}, file ${mb(median(file))}`;
}

function rssCell(sorted: number[]): string {
  return `${mb(sorted[0]!)} / ${mb(percentile(sorted, 50))} / ${mb(sorted[sorted.length - 1]!)}`;
}

function mb(value: number): string {
  return `${value.toFixed(1)} MB`;
}

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:rss failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
