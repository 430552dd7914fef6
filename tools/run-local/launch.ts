import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { renderBanner } from './banner';
import { LaunchError, launchSystem, REPO_ROOT, type RunningSystem } from './launch-system';
import { formatLine, serviceColor } from './log-format';
import { isOurs, LAUNCHER_MARKER, readRunState, removeRunState, runStateFile, writeRunState } from './run-state';
import { discoverServices } from './services';
import { EXIT_USAGE, parseStartArgs, type StartOptions, USAGE } from './start-options';

export { LaunchError, launchSystem, type LaunchOptions, type RunningSystem } from './launch-system';

const t0 = Number(process.env.START_T0_MS) || Date.now();
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
const say = (message: string) => process.stdout.write(`[start ${elapsed()}] ${message}\n`);
const fail = (message: string) => process.stderr.write(`[start ${elapsed()}] FAILED: ${message}\n`);

function cliOptions(argv: string[]): StartOptions {
  const parsed = parseStartArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'usage-error') {
    process.stderr.write(`npm start: ${parsed.message}\n\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  return parsed.options;
}

async function main() {
  const cli = cliOptions(process.argv.slice(2));
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

  const specs = discoverServices(REPO_ROOT);
  const names = specs.map((spec) => spec.name);
  // Replicas print as registry-1, registry-2: same colour per service, names padded to line up.
  const nameWidth = Math.max(
    ...specs.map(
      (spec) => spec.name.length + (spec.replicable && cli.replicas > 1 ? 1 + String(cli.replicas).length : 0),
    ),
  );
  const colors = new Map(names.map((name, index) => [name, serviceColor(index)]));
  const colorOf = (instance: string) => colors.get(instance) ?? colors.get(instance.replace(/-\d+$/, '')) ?? 37;
  const abort = new AbortController();
  let system: RunningSystem | undefined;
  let stopping = false;

  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping the services (SIGINT, no drain; SIGKILL after 10s; Ctrl-C again to kill now)`);
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

  say(
    `launching: ${(cli.only ?? names).join(', ')}${cli.prefix ? ` (prefix ${cli.prefix})` : ''}${cli.replicas > 1 ? ` (${cli.replicas} replicas of each platform service, behind NGINX)` : ''}`,
  );
  try {
    system = await launchSystem({
      env: process.env,
      dbPrefix: cli.prefix,
      runtime: cli.swc ? 'swc' : 'compiled',
      services: cli.only,
      replicas: cli.replicas,
      signal: abort.signal,
      onProgress: say,
      onLine: (service, line) => {
        const text = formatLine(service, colorOf(service), line, {
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
    services: [
      ...system
        .instances()
        .filter((instance) => instance.pid !== undefined)
        .map((instance) => ({
          name: instance.id,
          pid: instance.pid!,
          marker: specs.find((spec) => spec.name === instance.service)!.main.replace(/\.ts$/, ''),
        })),
      // NGINX's master keeps its command line, with our configuration's path in it.
      ...(system.loadBalancer?.pid
        ? [{ name: 'nginx', pid: system.loadBalancer.pid, marker: `${system.stateDir}/nginx/nginx.conf` }]
        : []),
    ],
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
