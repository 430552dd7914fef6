import { parseArgs } from 'node:util';
import { connectMongo } from '@integrations/event-store';
import { refillOutbox } from './refill-outbox';

/**
 * Operations: have a service publish its whole event store again (docs/operations.md, "Backup and
 * restore", a lost Kafka cluster):
 *
 *   MONGO_URL=... npm run events:republish -- <database> [--dry-run]
 *
 * <database>: registry, oauth or config (the event-sourced services; commits in `events`). Stop the
 * service first, run this, start the service: its relay publishes every commit, oldest first.
 */
const USAGE = `usage: npm run events:republish -- <database> [--dry-run] [--collection events]

Puts every commit of a service's event store back into its outbox (stop the service first).
  <database>           registry, oauth or config (the service's database)
  --dry-run            count only, change nothing
  --collection <name>  the commits' collection (default: events)
  -h, --help           this text
Environment: MONGO_URL.`;

/** sysexits.h EX_USAGE: the command was used incorrectly. */
const EXIT_USAGE = 64;
const NAME = /^[A-Za-z0-9_-]{1,63}$/;

type Cli =
  | { kind: 'help' }
  | { kind: 'usage-error'; message: string }
  | { kind: 'run'; database: string; collection: string; dryRun: boolean };

function parseCli(argv: string[]): Cli {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        collection: { type: 'string', default: 'events' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return { kind: 'help' };
    if (positionals.length !== 1) {
      return { kind: 'usage-error', message: `one <database> expected, got ${positionals.length}` };
    }
    const [database] = positionals as [string];
    for (const [what, name] of [
      ['<database>', database],
      ['--collection', values.collection],
    ]) {
      if (!NAME.test(name)) return { kind: 'usage-error', message: `${what} takes 1-63 letters, digits, "_" or "-"` };
    }
    return { kind: 'run', database, collection: values.collection, dryRun: values['dry-run'] ?? false };
  } catch (error) {
    return { kind: 'usage-error', message: (error as Error).message };
  }
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cli.kind === 'usage-error') {
    process.stderr.write(`republish-events: ${cli.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { database, collection, dryRun } = cli;
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) {
    process.stderr.write(`republish-events: MONGO_URL is not set\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const connection = await connectMongo(mongoUrl, database);
  try {
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say(
      `${dryRun ? 'dry run: ' : ''}refilling ${database}.${collection}_outbox from ${database}.${collection} (the service must be stopped)`,
    );
    const result = await refillOutbox(connection.db!, {
      collection,
      dryRun,
      onProgress: (written, total) => say(`  ${written}/${total} commits`),
    });
    say(
      dryRun
        ? `dry run: would replace ${result.replaced} outbox entries with ${result.commits} commits`
        : `replaced ${result.replaced} outbox entries with ${result.commits} commits; start the service: its relay publishes them (watch event_relay_backlog_events reach 0)`,
    );
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`republish-events failed: ${error.message}\n`);
    process.exit(1);
  },
);
