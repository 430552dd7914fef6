import { connectMongo, EventStore } from '@integrations/event-store';
import { loadConfig } from '@integrations/service-kit';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { GRID_COLLECTION, type GridDocument } from './integration/integration-grid.projection';
import { HISTORY_COLLECTION, type HistoryDocument } from './integration/integration-history.projection';
import { EVENTS_COLLECTION } from './integration/integration.repository';
import { promoteRebuild, rebuildProjections } from './integration/rebuild-projections';

const USAGE = `Rebuilds the registry's grid and history from its event store.

usage: node -r @swc-node/register apps/registry/src/rebuild.ts [--promote]
       (npm run rebuild:registry [-- --promote])

  (no option)  replay into integration_grid_rebuild and integration_history_rebuild, compare counts
  --promote    then replace the live collections with the rebuilt ones
  -h, --help   print this and exit

env: MONGO_URL (required), REGISTRY_DB (default registry). The running registry may stay up: its
consumer keeps the live collections current; after --promote it continues on the rebuilt ones.
`;

/** EX_USAGE (sysexits.h): the command line was wrong; nothing was done. */
const EXIT_USAGE = 64;

function options(): { promote: boolean } {
  try {
    const { values } = parseArgs({
      strict: true,
      options: { promote: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    return { promote: values.promote };
  } catch (error) {
    process.stderr.write(`rebuild: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(EXIT_USAGE);
  }
}

async function main() {
  const { promote } = options();
  const config = loadConfig(
    'registry-rebuild',
    z.object({
      MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
      REGISTRY_DB: z.string().min(1).default('registry'),
    }),
  );
  const connection = await connectMongo(config.MONGO_URL, config.REGISTRY_DB);
  try {
    const db = connection.db!;
    const store = new EventStore(connection, { collection: EVENTS_COLLECTION });
    const targets = { grid: `${GRID_COLLECTION}_rebuild`, history: `${HISTORY_COLLECTION}_rebuild` };
    console.log(
      `rebuilding ${targets.grid} and ${targets.history} from ${config.REGISTRY_DB}.${EVENTS_COLLECTION} ...`,
    );
    const started = Date.now();
    const result = await rebuildProjections(
      store,
      db,
      targets,
      db.collection<GridDocument>(GRID_COLLECTION),
      db.collection<HistoryDocument>(HISTORY_COLLECTION),
    );
    console.log(
      `replayed ${result.events} events (last position ${result.lastPosition ?? '-'}) in ${Date.now() - started} ms; usage carried for ${result.usageCarried} rows, ${result.notificationsCarried} partner notification attempts carried`,
    );
    for (const [live, rebuilt] of [
      [GRID_COLLECTION, targets.grid],
      [HISTORY_COLLECTION, targets.history],
    ] as const) {
      const [a, b] = await Promise.all([db.collection(live).countDocuments(), db.collection(rebuilt).countDocuments()]);
      console.log(`  ${live}: ${a} documents live, ${b} rebuilt${a === b ? '' : '  <- differs'}`);
    }
    if (promote) {
      await promoteRebuild(db, targets, { grid: GRID_COLLECTION, history: HISTORY_COLLECTION });
      console.log('promoted: the rebuilt collections are now the live ones.');
    } else {
      console.log('not promoted; run again with --promote to replace the live collections.');
    }
  } finally {
    await connection.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`rebuild failed: ${error.message}\n`);
  process.exit(1);
});
