import { connectMongo } from '@integrations/event-store';
import { refillOutbox } from './refill-outbox';

/**
 * Operations: have a service publish its whole event store again (docs/operations.md, "Backup and
 * restore", a lost Kafka cluster):
 *
 *   MONGO_URL=... node -r @swc-node/register tools/ops/republish-events.ts <database> [--dry-run]
 *
 * <database>: registry, oauth or config (the event-sourced services; commits in `events`). Stop the
 * service first, run this, start the service: its relay publishes every commit, oldest first.
 */
const USAGE =
  'usage: MONGO_URL=... node -r @swc-node/register tools/ops/republish-events.ts <database> [--dry-run] [--collection events]';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const at = args.indexOf('--collection');
  const collection = at >= 0 ? args[at + 1] : 'events';
  const positional = args.filter((arg, i) => !arg.startsWith('--') && !(at >= 0 && i === at + 1));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--dry-run' && arg !== '--collection');
  if (positional.length !== 1 || unknown.length > 0 || !collection || !/^[A-Za-z0-9_-]{1,63}$/.test(positional[0])) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) {
    process.stderr.write(`MONGO_URL is not set\n${USAGE}\n`);
    return 64;
  }
  const [database] = positional;
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
