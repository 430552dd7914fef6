import { parseArgs } from 'node:util';
import { MAX_REPLICAS } from './services';
import type { Level } from './log-format';

export const USAGE = `usage: npm start [-- options]     (bash tools/start.sh [options])

Starts every service of the platform on 127.0.0.1 and waits until each is ready.
  --replicas N      run N processes (1-${MAX_REPLICAS}) of gateway, oauth, acl, registry and config, each service
                    behind NGINX on its usual port (default 1: no load balancer); needs nginx
                    (bash tools/install-system-packages.sh)
  --stop-infra      on exit, also stop Kafka and FerretDB (default: they keep running)
  --only a,b        start only these services (e.g. --only config,registry)
  --prefix p_       a second, separate system: databases and topics prefixed with p_ (state in
                    .local/systems/p_); use other ports with <SERVICE>_PORT
  --quiet           show only warnings and errors from the services (all lines stay in the log files)
  --raw             show the services' JSON log lines as they are
  --swc             run the TypeScript sources through @swc-node/register instead of compiling first
  -h, --help        this text
Environment: <SERVICE>_PORT (GATEWAY_PORT=8081 …), ADMIN_USERNAME + ADMIN_PASSWORD, LOG_LEVEL,
MONGO_URL, KAFKA_BROKERS, SHUTDOWN_DRAIN_MS, LOCAL_PORT_RANGE (e.g. 18000-18999: where the launcher
picks replica ports); every variable is passed on to the services.`;

/** sysexits.h EX_USAGE: the command was used incorrectly. */
export const EXIT_USAGE = 64;

export interface StartOptions {
  stopInfra: boolean;
  only?: string[];
  prefix?: string;
  minLevel: Level;
  raw: boolean;
  swc: boolean;
  replicas: number;
}

export type ParsedStart =
  { kind: 'help' } | { kind: 'start'; options: StartOptions } | { kind: 'usage-error'; message: string };

/** `npm start` options; never exits, never prints (launch.ts and tools/start.sh decide). */
export function parseStartArgs(argv: string[]): ParsedStart {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        replicas: { type: 'string' },
        'stop-infra': { type: 'boolean' },
        only: { type: 'string' },
        prefix: { type: 'string' },
        quiet: { type: 'boolean' },
        raw: { type: 'boolean' },
        swc: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'usage-error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  const replicas = values.replicas === undefined ? 1 : Number(values.replicas);
  if (!/^\d+$/.test(values.replicas ?? '1') || replicas < 1 || replicas > MAX_REPLICAS) {
    return {
      kind: 'usage-error',
      message: `--replicas takes a whole number from 1 to ${MAX_REPLICAS}; got "${values.replicas}"`,
    };
  }
  if (values.prefix !== undefined && !/^[A-Za-z0-9_-]{1,20}$/.test(values.prefix)) {
    return {
      kind: 'usage-error',
      message: '--prefix takes 1-20 letters, digits, "_" or "-" (it starts database and topic names)',
    };
  }
  const only = values.only?.split(',').filter(Boolean);
  if (values.only !== undefined && !only?.length) {
    return { kind: 'usage-error', message: '--only takes a comma-separated list of services, e.g. --only config,acl' };
  }
  return {
    kind: 'start',
    options: {
      stopInfra: values['stop-infra'] ?? false,
      only,
      prefix: values.prefix,
      minLevel: values.quiet ? 'warn' : 'trace',
      raw: values.raw ?? false,
      swc: values.swc ?? false,
      replicas,
    },
  };
}

/**
 * `node -r @swc-node/register tools/run-local/start-options.ts <args>`: tools/start.sh checks the
 * options before it installs or starts anything. Exit 0: fine (with --help, after printing the
 * usage); 64: a usage error, explained.
 */
if (require.main === module) {
  const parsed = parseStartArgs(process.argv.slice(2));
  if (parsed.kind === 'help') process.stdout.write(`${USAGE}\n`);
  if (parsed.kind === 'usage-error') {
    process.stderr.write(`npm start: ${parsed.message}\n\n${USAGE}\n`);
    process.exitCode = EXIT_USAGE;
  }
}
