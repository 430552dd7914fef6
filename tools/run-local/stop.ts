import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './launch-system';
import { isOurs, readRunState, removeRunState, runStateFile } from './run-state';

/**
 * `npm stop [-- --infra] [--prefix p_]`: stops what `npm start` runs, from another terminal or after the launcher
 * was killed. Asks the launcher first (it stops the services in order); any service left over gets
 * SIGINT (close at once: a local run being stopped needs no drain), then SIGKILL. `--infra` also
 * stops Kafka and FerretDB.
 */
const USAGE = `usage: npm stop [-- --infra] [--prefix p_]

Stops what \`npm start\` runs (the launcher first, then any service left over).
  --infra       also stop Kafka and FerretDB
  --prefix p_   the separate system started with \`npm start -- --prefix p_\`
  -h, --help    this text`;

/** sysexits.h EX_USAGE: the command was used incorrectly. */
const EXIT_USAGE = 64;

function parseCli(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { infra: { type: 'boolean' }, prefix: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return { kind: 'help' } as const;
    // As `npm start` checks it: the prefix names a file under .local/run.
    if (values.prefix !== undefined && !/^[A-Za-z0-9_-]{1,20}$/.test(values.prefix)) {
      return { kind: 'usage-error', message: '--prefix takes 1-20 letters, digits, "_" or "-"' } as const;
    }
    return { kind: 'run', withInfra: values.infra ?? false, prefix: values.prefix } as const;
  } catch (error) {
    return { kind: 'usage-error', message: (error as Error).message } as const;
  }
}

async function main() {
  const cli = parseCli(process.argv.slice(2));
  if (cli.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (cli.kind === 'usage-error') {
    process.stderr.write(`[stop] ${cli.message}\n${USAGE}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }
  const { withInfra, prefix } = cli;
  const file = runStateFile(REPO_ROOT, prefix);
  const state = readRunState(file);
  if (!state) {
    say(`no local run recorded (${file} is absent): nothing to stop`);
  } else {
    if (isOurs(state.launcher.pid, state.launcher.marker)) {
      say(`stopping the launcher (pid ${state.launcher.pid}); it stops the services`);
      signal(state.launcher.pid, 'SIGTERM', false);
      await waitGone([state.launcher], 30_000);
    }
    const left = state.services.filter((service) => isOurs(service.pid, service.marker));
    if (left.length) {
      say(`stopping ${left.map((service) => `${service.name} (pid ${service.pid})`).join(', ')}`);
      left.forEach((service) => signal(service.pid, 'SIGINT', true));
      const stubborn = await waitGone(left, 10_000);
      stubborn.forEach((service) => signal(service.pid, 'SIGKILL', true));
      if (stubborn.length) say(`killed ${stubborn.map((service) => service.name).join(', ')} after 10s`);
    }
    removeRunState(file);
    say('services stopped');
  }
  if (withInfra) {
    const result = spawnSync('bash', ['tools/infra/infra.sh', 'down'], { cwd: REPO_ROOT, stdio: 'inherit' });
    process.exitCode = result.status ?? 1;
  } else {
    say('Kafka and FerretDB keep running (stop them with: npm run infra:down)');
  }
}

function signal(pid: number, name: NodeJS.Signals, group: boolean) {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

async function waitGone<T extends { pid: number; marker: string }>(processes: T[], timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = processes;
  while (alive.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    alive = alive.filter((p) => isOurs(p.pid, p.marker));
  }
  return alive;
}

function say(message: string) {
  process.stdout.write(`[stop] ${message}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`[stop] FAILED: ${error.message}\n`);
  process.exit(1);
});
