import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { renderBanner } from './banner';
import { LaunchError, launchSystem, REPO_ROOT, type RunningSystem } from './launch-system';
import { formatLine, type Level, serviceColor } from './log-format';
import { isOurs, LAUNCHER_MARKER, readRunState, removeRunState, runStateFile, writeRunState } from './run-state';
import { discoverServices } from './services';

export { LaunchError, launchSystem, type LaunchOptions, type RunningSystem } from './launch-system';

const USAGE = `usage: npm start [-- options]     (bash tools/start.sh [options])

Starts every service of the platform on 127.0.0.1 and waits until each is ready.
  --stop-infra      on exit, also stop Kafka and FerretDB (default: they keep running)
  --only a,b        start only these services (e.g. --only config,registry)
  --prefix p_       a second, separate system: databases and topics prefixed with p_ (state in
                    .local/systems/p_); use other ports with <SERVICE>_PORT
  --quiet           show only warnings and errors from the services (all lines stay in the log files)
  --raw             show the services' JSON log lines as they are
  --swc             run the TypeScript sources through @swc-node/register instead of compiling first
  -h, --help        this text
Environment: <SERVICE>_PORT (GATEWAY_PORT=8081 …), ADMIN_USERNAME + ADMIN_PASSWORD, LOG_LEVEL,
MONGO_URL, KAFKA_BROKERS; every variable is passed on to the services.`;

interface CliOptions {
  stopInfra: boolean;
  only?: string[];
  prefix?: string;
  minLevel: Level;
  raw: boolean;
  swc: boolean;
}

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { stopInfra: false, minLevel: 'trace', raw: false, swc: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--stop-infra') options.stopInfra = true;
    else if (arg === '--quiet') options.minLevel = 'warn';
    else if (arg === '--raw') options.raw = true;
    else if (arg === '--swc') options.swc = true;
    else if (arg === '--only') options.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--only=')) options.only = arg.slice('--only='.length).split(',').filter(Boolean);
    else if (arg === '--prefix') options.prefix = argv[++i] ?? '';
    else if (arg.startsWith('--prefix=')) options.prefix = arg.slice('--prefix='.length);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`unknown option ${arg}\n\n${USAGE}\n`);
      process.exit(2);
    }
  }
  if (options.prefix !== undefined && !/^[A-Za-z0-9_-]{1,20}$/.test(options.prefix)) {
    process.stderr.write('--prefix takes 1-20 letters, digits, "_" or "-" (it starts database and topic names)\n');
    process.exit(2);
  }
  return options;
}

const t0 = Number(process.env.START_T0_MS) || Date.now();
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
const say = (message: string) => process.stdout.write(`[start ${elapsed()}] ${message}\n`);
const fail = (message: string) => process.stderr.write(`[start ${elapsed()}] FAILED: ${message}\n`);

async function main() {
  const cli = parseArgs(process.argv.slice(2));
  const stateFile = runStateFile(REPO_ROOT, cli.prefix);
  const previous = readRunState(stateFile);
  if (previous && isOurs(previous.launcher.pid, previous.launcher.marker)) {
    fail(`the platform is already running (launcher pid ${previous.launcher.pid}, started ${previous.startedAt})`);
    process.stderr.write(
      `  next step: use that run, or stop it with "npm stop${cli.prefix ? ` -- --prefix ${cli.prefix}` : ''}" and start again\n`,
    );
    process.exit(1);
  }
  const orphans = previous?.services.filter((service) => isOurs(service.pid, service.marker)) ?? [];
  if (orphans.length) {
    say(
      `stopping services left over by a run that did not end cleanly: ${orphans.map((o) => `${o.name} (pid ${o.pid})`).join(', ')}`,
    );
    spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/run-local/stop.ts', ...(cli.prefix ? ['--prefix', cli.prefix] : [])],
      {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      },
    );
  }

  const names = discoverServices(REPO_ROOT).map((spec) => spec.name);
  const nameWidth = Math.max(...names.map((name) => name.length));
  const colors = new Map(names.map((name, index) => [name, serviceColor(index)]));
  const abort = new AbortController();
  let system: RunningSystem | undefined;
  let stopping = false;

  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping the services (SIGTERM; SIGKILL after 10s; Ctrl-C again to kill now)`);
    abort.abort();
    await system?.stop();
    removeRunState(stateFile);
    say('every service stopped');
    if (cli.stopInfra) {
      say('stopping Kafka and FerretDB (--stop-infra)');
      spawnSync('bash', ['tools/infra/infra.sh', 'down'], { cwd: REPO_ROOT, stdio: 'inherit' });
    } else {
      say('Kafka and FerretDB keep running; stop them with: npm run infra:down');
    }
    process.exit(exitCode);
  };
  let firstSignalAt = 0;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      // `npm start` forwards the terminal's SIGINT to us, which the terminal also sent us directly:
      // one Ctrl-C arrives twice. Only a later one means "kill now".
      if (stopping && Date.now() - firstSignalAt < 1500) return;
      if (!stopping) firstSignalAt = Date.now();
      if (stopping) {
        say('second signal: killing every service now');
        process.exit(130);
      }
      // While starting, the launch itself notices the abort, stops what it started and rejects.
      if (!system) {
        stopping = true;
        abort.abort();
        return;
      }
      void shutdown(`${name} received`, 0);
    });
  }

  say(`launching: ${(cli.only ?? names).join(', ')}${cli.prefix ? ` (prefix ${cli.prefix})` : ''}`);
  try {
    system = await launchSystem({
      env: process.env,
      dbPrefix: cli.prefix,
      runtime: cli.swc ? 'swc' : 'compiled',
      services: cli.only,
      signal: abort.signal,
      onProgress: say,
      onLine: (service, line) => {
        const text = formatLine(service, colors.get(service) ?? 37, line, {
          color,
          nameWidth,
          minLevel: cli.minLevel,
          raw: cli.raw,
        });
        if (text !== undefined) process.stdout.write(`${text}\n`);
      },
      onUnexpectedExit: (exit, lastLines) => {
        fail(`${exit.service} stopped unexpectedly (${exit.signal ?? `exit code ${exit.code}`}); its last lines:`);
        for (const line of lastLines.slice(-20)) process.stderr.write(`    ${line}\n`);
        void shutdown(`${exit.service} is down`, 1);
      },
    });
  } catch (error) {
    if (abort.signal.aborted) {
      say('interrupted while starting; every started service was stopped');
      removeRunState(stateFile);
      process.exit(130);
    }
    reportLaunchError(error);
    removeRunState(stateFile);
    process.exit(1);
  }

  writeRunState(stateFile, {
    launcher: { pid: process.pid, marker: LAUNCHER_MARKER },
    services: Object.entries(system.pids())
      .filter((entry): entry is [string, number] => entry[1] !== undefined)
      .map(([name, pid]) => ({
        name,
        pid,
        marker: discoverServices(REPO_ROOT)
          .find((spec) => spec.name === name)!
          .main.replace(/\.ts$/, ''),
      })),
    startedAt: new Date().toISOString(),
  });
  process.stdout.write(
    renderBanner(system, { root: REPO_ROOT, seconds: (Date.now() - t0) / 1000, stopsInfra: cli.stopInfra, color }),
  );
}

function reportLaunchError(error: unknown) {
  if (!(error instanceof LaunchError)) {
    fail((error as Error)?.stack ?? String(error));
    return;
  }
  fail(error.message);
  if (error.lastLines.length) {
    process.stderr.write(`  last lines of ${error.service}:\n`);
    for (const line of error.lastLines.slice(-25)) process.stderr.write(`    ${line}\n`);
  }
  if (error.logFile) process.stderr.write(`  full log: ${relative(REPO_ROOT, error.logFile)}\n`);
  process.stderr.write(
    '  next step: fix what the lines above say, then run "npm start" again (infra status: npm run infra:status)\n',
  );
}

if (require.main === module) {
  void main();
}
