// The production image, without Docker: builds its /app in a scratch directory the way ./Dockerfile
// does (tools/docker/build-image.sh, then `npm ci --omit=dev` as the prod-deps stage), starts every
// service the Dockerfile names with the image's own command (`SERVICE=<name> node main.js`,
// NODE_ENV=production) and waits until each answers GET /health/live. A runtime import of a
// devDependency, a file the build forgot, or a config the code cannot boot with fails here.
//
//   MONGO_URL=... KAFKA_BROKERS=... node tools/docker/smoke-image.mjs [--keep]
//
// The scratch directory is outside the checkout on purpose: node resolves modules by walking up from
// the requiring file, and inside the checkout it would find the workspace's node_modules (dev
// dependencies included), which the image never has. Databases are `smoke_<run>_<service>` (dropped
// at the end), topics `smoke_<run>.*`.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: MONGO_URL=... KAFKA_BROKERS=... node tools/docker/smoke-image.mjs [--keep]

Builds the production image's /app in a scratch directory (production dependencies only), starts
every service the Dockerfile names from it and waits for GET /health/live of each.
  --keep       keep the scratch directory (its path is printed)
  -h, --help   this text`;

let cli;
try {
  cli = parseArgs({
    strict: true,
    options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  process.stderr.write(`smoke-image: ${error.message}\n${USAGE}\n`);
  process.exit(64); // sysexits.h EX_USAGE
}
if (cli.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { MONGO_URL, KAFKA_BROKERS } = process.env;
if (!MONGO_URL || !KAFKA_BROKERS) {
  process.stderr.write(`smoke-image: MONGO_URL and KAFKA_BROKERS must be set (source tools/infra/env.sh)\n`);
  process.exit(64);
}

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const LIVE_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const t0 = Date.now();
const say = (line) => process.stdout.write(`[smoke ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}\n`);

/** The services the image runs: the Dockerfile's header names them (`(SERVICE: gateway | …)`). */
function imageServices() {
  const line = /\(SERVICE: ([a-z0-9| -]+)\)/.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  if (!line) throw new Error('Dockerfile: no "(SERVICE: a | b | …)" line naming the services of the image');
  return line[1].split('|').map((name) => name.trim());
}

function freePort() {
  return new Promise((found, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => found(port));
    });
  });
}

const prefixOf = (service) => service.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

async function waitLive(service, url, child, log) {
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${service} exited (${child.exitCode ?? child.signalCode}) before answering; log: ${log}`);
    }
    const response = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (response?.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${service}: no 200 from ${url}/health/live in ${LIVE_TIMEOUT_MS} ms; log: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function tail(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function dropDatabases(names) {
  const require = createRequire(join(root, 'package.json'));
  const { MongoClient } = require('mongoose').mongo;
  const client = new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    for (const name of names) await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'integrations-image-'));
const appDir = join(scratch, 'app');
const logDir = join(scratch, 'logs');
mkdirSync(logDir, { recursive: true });
const run = randomBytes(4).toString('hex');
const children = new Map();
let failed = false;

try {
  say(`building the image's /app in ${appDir} (tools/docker/build-image.sh)`);
  execFileSync('bash', [join(root, 'tools/docker/build-image.sh'), appDir], { cwd: root, stdio: 'inherit' });

  say('installing production dependencies only (npm ci --omit=dev, as the prod-deps stage)');
  execFileSync('cp', [join(root, 'package-lock.json'), appDir]);
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
    cwd: appDir,
    stdio: 'inherit',
  });
  const devDependencies = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies);
  const leaked = devDependencies.filter((name) => existsSync(join(appDir, 'node_modules', name)));
  if (leaked.length) throw new Error(`devDependencies in the production install: ${leaked.join(', ')}`);

  const services = imageServices();
  for (const service of services) {
    if (![`apps/${service}/src/main.js`, `examples/${service}/src/main.js`].some((f) => existsSync(join(appDir, f)))) {
      throw new Error(
        `the Dockerfile names ${service}, but the build has no apps/${service} or examples/${service} main.js`,
      );
    }
  }
  const ports = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await freePort()])));
  const urls = Object.fromEntries(services.map((s) => [`${prefixOf(s)}_URL`, `http://127.0.0.1:${ports[s]}`]));
  const databases = services.map((s) => `smoke_${run}_${s.replace(/-/g, '_')}`);
  const common = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // Nothing routes traffic to these processes: no load balancer to drain for after SIGTERM.
    SHUTDOWN_DRAIN_MS: '0',
    MONGO_URL,
    KAFKA_BROKERS,
    ...urls,
    UPSTREAM_COMMERCE_URL: urls.COMMERCE_API_URL,
    // Production refuses to run without real keys: a throwaway one for this run.
    OAUTH_ENCRYPTION_KEYS: `smoke:${randomBytes(32).toString('base64')}`,
    THIRD_PARTY_APP_STORE_BASE_URL: urls.GATEWAY_URL,
  };

  say(`starting ${services.join(', ')} from the build (SERVICE=<name> node main.js)`);
  const started = services.map((service, index) => {
    const prefix = prefixOf(service);
    const log = join(logDir, `${service}.log`);
    const out = createWriteStream(log);
    const child = spawn(process.execPath, ['main.js'], {
      cwd: appDir,
      env: {
        ...common,
        SERVICE: service,
        [`${prefix}_PORT`]: String(ports[service]),
        [`${prefix}_HOST`]: '127.0.0.1',
        [`${prefix}_DB`]: databases[index],
        [`${prefix}_TOPIC_PREFIX`]: `smoke_${run}.`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    children.set(service, child);
    const since = Date.now();
    return waitLive(service, `http://127.0.0.1:${ports[service]}`, child, log).then(() => {
      say(`${service.padEnd(16)} live after ${((Date.now() - since) / 1000).toFixed(1)}s (pid ${child.pid})`);
    });
  });
  const results = await Promise.allSettled(started);
  const errors = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (errors.length) {
    for (const error of errors) {
      const service = [...children.keys()].find((s) => error.message.startsWith(s));
      process.stderr.write(`\n${error.message}\n${service ? tail(join(logDir, `${service}.log`)) : ''}\n`);
    }
    throw new Error(`${errors.length} of ${services.length} services did not answer /health/live`);
  }
  say(`all ${services.length} services answer /health/live; stopping them (SIGTERM)`);
  await dropDatabases(databases).catch((error) => say(`could not drop the smoke databases: ${error.message}`));
} catch (error) {
  failed = true;
  process.stderr.write(`smoke-image: FAILED: ${error.message}\n`);
} finally {
  const exits = [...children].map(
    ([service, child]) =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const killer = setTimeout(() => {
          say(`${service} still running ${STOP_TIMEOUT_MS} ms after SIGTERM: SIGKILL`);
          child.kill('SIGKILL');
        }, STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(killer);
          done();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  if (cli.values.keep || failed) say(`scratch directory kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
