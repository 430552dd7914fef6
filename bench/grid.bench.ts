import { ListIntegrationsQuerySchema } from '@integrations/contracts';
import mongoose, { type mongo } from 'mongoose';
import {
  GRID_COLLECTION,
  type GridDocument,
  type GridQuery,
  IntegrationGridProjection,
} from '../apps/registry/src/integration/integration-grid.projection';
import { toGridQuery } from '../apps/registry/src/integration/list-integrations/list-integrations.request';
import { AdminClient } from './lib/admin-client';
import { commandLine, numberArg } from './lib/args';
import { type ChildService, startChild, stopAll } from './lib/child-service';
import { gridRow, loadGridRows, seededRandom } from './lib/grid-data';
import { benchInfra, benchTag, cleanupBenchInfra } from './lib/infra';
import { describeFailures, runLoad } from './lib/load';
import { BenchReport, progress, verdict } from './lib/report';
import { elapsedMs, ms, ratio, summarize } from './lib/stats';

/**
 * bench:grid — admin grid pages through the gateway (gateway -> registry -> FerretDB/MongoDB) beside
 * the same query run directly against the database with the driver, in the same run.
 *
 * Data: `--rows` integrations (default 100,000) in a fresh database. A few are created through the
 * admin API (the full event path) and the rest are bulk-inserted straight into the grid collection:
 * that bypasses decider, event store, relay, Kafka and projector ON PURPOSE (100,000 creates through
 * them would take hours on a shared 2-core machine, and only the read side is measured here). The
 * API-created rows prove the bulk rows have the projection's exact shape.
 *
 * Measurement: pairs of (direct query, same query through the gateway) over a mix of filtered,
 * sorted pages, alternating which goes first, until `--seconds` of measuring (at least
 * `--min-pairs` pairs). Direct = `IntegrationGridProjection.list()` (the registry's own code: find +
 * countDocuments) on a separate driver connection; gateway = autocannon, 1 connection, one admin
 * session. Targets (issue 3): gateway p95 ≤ 20 ms and ≤ 3× the direct p95.
 */
const ROWS = numberArg('--rows', 100_000);
const API_ROWS = Math.min(numberArg('--api-rows', 10), ROWS);
const SECONDS = numberArg('--seconds', 60);
const MIN_PAIRS = numberArg('--min-pairs', 2);
const PAGE_SIZE = numberArg('--page-size', 20);
const ADMIN = { username: 'bench-admin', password: 'bench grid password 1234' };

/** Name contains + status, every sort, first/middle/deep pages. */
const MIX = [
  'name=erp&status=active&sort=name&page=1',
  'name=acme&status=inactive&sort=-createdAt&page=3',
  'name=sync&status=active&sort=-updatedAt&page=10',
  'name=globex%20crm&status=reset&sort=createdAt&page=1',
  'name=bridge&status=inactive&sort=-name&page=25',
  'name=004&status=active&sort=updatedAt&page=1',
  'name=feed&status=active&sort=-createdAt&page=100',
  'name=stark&status=active&sort=status&page=2',
].map((query) => `${query}&pageSize=${PAGE_SIZE}`);

const log = progress('bench:grid');

async function main(): Promise<void> {
  const infra = benchInfra();
  const tag = benchTag('grid');
  const registryDb = `${tag}_registry`;
  const gatewayDb = `${tag}_gateway`;
  const report = new BenchReport('bench-grid', commandLine('bench:grid'));
  const services: ChildService[] = [];
  const direct = await new mongoose.mongo.MongoClient(infra.mongoUrl).connect();
  try {
    const collection = direct.db(registryDb).collection<GridDocument>(GRID_COLLECTION);
    const grid = new IntegrationGridProjection(collection);

    log(`starting registry and gateway on fresh databases ${registryDb} / ${gatewayDb}`);
    const registry = await startChild({
      name: 'registry',
      kind: 'registry',
      options: {
        REGISTRY_PORT: 0,
        MONGO_URL: infra.mongoUrl,
        KAFKA_BROKERS: infra.kafkaBrokers,
        REGISTRY_DB: registryDb,
        REGISTRY_TOPIC_PREFIX: `${tag}.`,
      },
    });
    services.push(registry);
    const gateway = await startChild({
      name: 'gateway',
      kind: 'gateway',
      options: {
        port: 0,
        mongoUrl: infra.mongoUrl,
        database: gatewayDb,
        registryUrl: registry.url,
        // A page on FerretDB/SQLite at 100,000 rows takes far longer than the default 5 s; the
        // benchmark wants the latency, not a 504.
        registryTimeoutMs: 900_000,
        bootstrapAdmin: ADMIN,
        credentialsFile: `tmp/bench/${tag}/admin-credentials.json`,
      },
    });
    services.push(gateway);

    // The API share goes first, while the collection is small: the writes' read-your-writes polls
    // look rows up by id, and on FerretDB/SQLite even that is a table scan (see the notes).
    log(`creating ${API_ROWS} integrations through the admin API (event path)`);
    const writer = await AdminClient.login(gateway.url, ADMIN.username, ADMIN.password);
    const created: string[] = [];
    for (let index = 0; index < API_ROWS; index++) {
      const reply = await writer.createIntegration({
        name: `Bench API Sync ${String(index).padStart(6, '0')}`,
        email: `api+${index}@example.com`,
        resourceAccess: 'all',
      });
      created.push(reply.id);
    }
    await waitUntil(
      async () => (await collection.countDocuments({ _id: { $in: created } })) === created.length,
      60_000,
      'API-created integrations projected',
    );

    const loadStarted = process.hrtime.bigint();
    await loadGridRows(collection, ROWS - API_ROWS, {
      onProgress: (done, total) => {
        if (done % 10_000 === 0 || done === total)
          log(`bulk insert ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
      },
    });
    const loadSeconds = elapsedMs(loadStarted) / 1000;
    report.note(
      `${ROWS.toLocaleString('en-US')} rows: ${API_ROWS} created through the admin API (decider, event store, relay, Kafka, projector), ` +
        `${(ROWS - API_ROWS).toLocaleString('en-US')} bulk-inserted straight into \`${GRID_COLLECTION}\` in ${loadSeconds.toFixed(0)} s — ` +
        'bypassing the event path on purpose: only the read side is measured.',
    );

    const shape = compareShapes(
      await collection.findOne({ _id: created[0]! }),
      await collection.findOne({ _id: { $nin: created } }),
    );
    report.row({
      metric: 'bulk rows have the projection shape',
      baseline: 'row created via API',
      measured: shape.detail,
      ratio: '-',
      target: 'same fields and types',
      verdict: verdict(shape.same),
    });

    const queries = MIX.map((query) => ({
      query,
      grid: toGridQuery(ListIntegrationsQuerySchema.parse(Object.fromEntries(new URLSearchParams(query)))),
    }));
    const reader = await AdminClient.login(gateway.url, ADMIN.username, ADMIN.password);
    // Warm-up (JIT, connection pools) matters for millisecond pages; when a page takes seconds it
    // would only double the run time.
    if (ROWS <= 20_000) {
      log('warm-up: one page each way');
      await grid.list(queries[0]!.grid);
      await reader.list(queries[0]!.query);
    }

    const directMs: number[] = [];
    const gatewayMs: number[] = [];
    const mismatches: string[] = [];
    const failures: string[] = [];
    const measureStarted = Date.now();
    for (let pair = 0; pair < MIN_PAIRS || Date.now() - measureStarted < SECONDS * 1000; pair++) {
      const { query, grid: gridQuery } = queries[pair % queries.length]!;
      const runDirect = async () => {
        const started = process.hrtime.bigint();
        const page = await grid.list(gridQuery);
        directMs.push(elapsedMs(started));
        return page;
      };
      let gatewayTotal: number | undefined;
      let gatewayOk = false;
      const runGateway = async () => {
        const result = await runLoad({
          title: `gateway ${query}`,
          url: gateway.url,
          connections: 1,
          amount: 1,
          timeoutSeconds: 900,
          headers: { authorization: reader.authorization, accept: 'application/json' },
          requests: [
            {
              method: 'GET',
              path: `/admin/v1/integrations?${query}`,
              onResponse: (_status, body) => void (gatewayTotal = safeTotal(body)),
            },
          ],
        });
        const failure = describeFailures(result);
        // A failed page still took that long: keep it in the figures (flagged in the notes) rather
        // than leave the slowest pages out of the percentiles.
        if (failure) failures.push(`${failure} after ${result.failedSamplesMs.map(ms).join(', ') || 'n/a'}`);
        gatewayMs.push(...result.samplesMs, ...result.failedSamplesMs);
        gatewayOk = result.ok === 1;
      };
      // Alternate who goes first, so a drift in the machine's load hits both sides alike.
      let page;
      if (pair % 2 === 0) {
        page = await runDirect();
        await runGateway();
      } else {
        await runGateway();
        page = await runDirect();
      }
      if (gatewayOk && gatewayTotal !== page.total)
        mismatches.push(`${query}: gateway total ${gatewayTotal}, direct ${page.total}`);
      log(
        `pair ${pair + 1}: ${query} -> total ${page.total}; direct ${ms(directMs.at(-1)!)}, gateway ${ms(gatewayMs.at(-1) ?? Number.NaN)}${gatewayOk ? '' : ' (FAILED)'}`,
      );
    }

    const directStats = summarize(directMs);
    const gatewayStats = summarize(gatewayMs);
    report.row({
      metric: `grid page p50 (${PAGE_SIZE}/page, n=${gatewayStats.count})`,
      baseline: `${ms(directStats.p50)} direct`,
      measured: `${ms(gatewayStats.p50)} via gateway`,
      ratio: ratio(gatewayStats.p50 / directStats.p50),
      target: '-',
      verdict: 'INFO',
    });
    report.row({
      metric: 'grid page p95',
      baseline: `${ms(directStats.p95)} direct`,
      measured: `${ms(gatewayStats.p95)} via gateway`,
      ratio: ratio(gatewayStats.p95 / directStats.p95),
      target: 'p95 ≤ 20 ms',
      verdict: verdict(gatewayStats.p95 <= 20),
    });
    report.row({
      metric: 'gateway p95 / direct p95',
      baseline: ms(directStats.p95),
      measured: ms(gatewayStats.p95),
      ratio: ratio(gatewayStats.p95 / directStats.p95),
      target: '≤ 3×',
      verdict: verdict(gatewayStats.p95 <= 3 * directStats.p95),
    });
    if (mismatches.length) report.note(`MISMATCH between gateway and direct answers: ${mismatches.join('; ')}`);
    if (failures.length)
      report.note(`Gateway failures (counted in the percentiles with the time they took): ${failures.join('; ')}`);
    report.data('directMs', directMs);
    report.data('gatewayMs', gatewayMs);
    report.data('queries', MIX);

    await diagnose(
      report,
      direct.db(registryDb),
      collection,
      queries[0]!.grid,
      queries.map((q) => q.grid),
    );
    report.note(`Query mix (${MIX.length} pages, cycled): ${MIX.map((query) => `\`${query}\``).join(', ')}.`);
    report.note(
      "Direct = the registry's own `IntegrationGridProjection.list()` (find + countDocuments in parallel) on a separate driver connection; gateway = autocannon, 1 connection, one admin session, gateway and registry each in their own Node process.",
    );
    report.note(
      `The gateway's registry timeout is raised to 900 s for this run so that slow pages are measured instead of answered 504.`,
    );
    report.finish();
  } finally {
    log('cleaning up (services, databases, topics)');
    await stopAll(services);
    await direct.close().catch(() => undefined);
    await cleanupBenchInfra(infra, [registryDb, gatewayDb], `${tag}.`);
  }
}

/**
 * Why a page costs what it costs: the engine's plan for the page query, find and count timed apart,
 * a lookup by `_id`, and what the same page costs scanning the same rows in process memory.
 */
async function diagnose(
  report: BenchReport,
  db: mongo.Db,
  collection: mongo.Collection<GridDocument>,
  sample: GridQuery,
  all: GridQuery[],
): Promise<void> {
  log('diagnostics: explain, find vs countDocuments, _id lookup, in-memory scan');
  const { filter, sort, skip, limit } = gridFind(sample);
  const explain = await db
    .command({
      explain: {
        find: GRID_COLLECTION,
        filter,
        sort,
        skip: mongoose.mongo.Long.fromNumber(skip),
        limit: mongoose.mongo.Long.fromNumber(limit),
      },
    })
    .catch((error: unknown) => ({ error: String(error) }));
  report.data('explain', explain);
  const pushdown = ['filterPushdown', 'sortPushdown', 'limitPushdown']
    .filter((key) => key in explain)
    .map((key) => `${key}=${String((explain as Record<string, unknown>)[key])}`);
  const plan = JSON.stringify((explain as { queryPlanner?: unknown }).queryPlanner ?? {}).slice(0, 300);
  report.note(`Plan of the page query: ${pushdown.length ? `${pushdown.join(', ')}; ` : ''}queryPlanner ${plan}.`);

  const findMs = await timed(() => collection.find(filter).sort(sort).skip(skip).limit(limit).toArray());
  const countMs = await timed(() => collection.countDocuments(filter));
  // An id that is not there: with its LIMIT 1, a present id stops the scan at its row, so only an
  // absent one shows what an `_id` lookup costs when the index is not used.
  const idMs = await timed(() => collection.findOne({ _id: 'absent-id' }));
  report.row({
    metric: 'why: find (page) alone',
    baseline: '-',
    measured: ms(findMs),
    ratio: '-',
    target: '-',
    verdict: 'INFO',
  });
  report.row({
    metric: 'why: countDocuments alone',
    baseline: '-',
    measured: ms(countMs),
    ratio: '-',
    target: '-',
    verdict: 'INFO',
  });
  report.row({
    metric: 'why: findOne by an absent _id',
    baseline: '-',
    measured: ms(idMs),
    ratio: '-',
    target: '-',
    verdict: 'INFO',
  });

  // The same pages over the same number of rows held in memory: what the data costs without the
  // storage engine (an in-memory read model would pay about this).
  const random = seededRandom(42);
  const rows = Array.from({ length: ROWS }, (_, index) => gridRow(index, random, Date.UTC(2020, 0, 1)));
  const memoryMs = all.map((query) => {
    const started = process.hrtime.bigint();
    inMemoryPage(rows, query);
    return elapsedMs(started);
  });
  const memory = summarize(memoryMs);
  report.row({
    metric: 'why: same pages, in-process scan',
    baseline: '-',
    measured: `p50 ${ms(memory.p50)}, max ${ms(memory.max)}`,
    ratio: '-',
    target: '-',
    verdict: 'INFO',
  });
}

/** The find that IntegrationGridProjection.list() sends, spelled out for explain and timing. */
function gridFind(query: GridQuery) {
  const filter: mongo.Filter<GridDocument> = { deleted: false };
  if (query.status) filter.status = query.status;
  if (query.name)
    filter.nameLower = {
      $regex: query.name
        .trim()
        .toLowerCase()
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    };
  const key = { name: 'nameLower', status: 'status', createdAt: 'createdAt', updatedAt: 'updatedAt' }[query.sort.field];
  return {
    filter,
    sort: { [key]: query.sort.direction, _id: query.sort.direction } as mongo.Sort,
    skip: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  };
}

function inMemoryPage(rows: GridDocument[], query: GridQuery) {
  const name = query.name?.trim().toLowerCase();
  const matching = rows.filter(
    (row) => !row.deleted && (!query.status || row.status === query.status) && (!name || row.nameLower.includes(name)),
  );
  const key = ({ name: 'nameLower', status: 'status', createdAt: 'createdAt', updatedAt: 'updatedAt' } as const)[
    query.sort.field
  ];
  const direction = query.sort.direction;
  matching.sort((a, b) => {
    const left = a[key] as string | Date;
    const right = b[key] as string | Date;
    return (left < right ? -1 : left > right ? 1 : a._id < b._id ? -1 : 1) * direction;
  });
  const start = (query.page - 1) * query.pageSize;
  return { items: matching.slice(start, start + query.pageSize), total: matching.length };
}

type Shape = Record<string, string>;

function shapeOf(document: object): Shape {
  return Object.fromEntries(
    Object.entries(document).map(([key, value]) => [
      key,
      value === null ? 'null' : value instanceof Date ? 'date' : Array.isArray(value) ? 'array' : typeof value,
    ]),
  );
}

/** Same field names, same type per field (null stands in for any type on a nullable field). */
function compareShapes(fromApi: GridDocument | null, bulk: GridDocument | null): { same: boolean; detail: string } {
  if (!fromApi || !bulk) return { same: false, detail: 'a row is missing' };
  const api = shapeOf(fromApi);
  const loaded = shapeOf(bulk);
  const keys = new Set([...Object.keys(api), ...Object.keys(loaded)]);
  const different = [...keys].filter(
    (key) => api[key] !== loaded[key] && api[key] !== 'null' && loaded[key] !== 'null',
  );
  return different.length === 0
    ? { same: true, detail: `same ${keys.size} fields and types` }
    : { same: false, detail: `differs on ${different.join(', ')}` };
}

function safeTotal(body: string): number | undefined {
  try {
    return (JSON.parse(body) as { total?: number }).total;
  } catch {
    return undefined;
  }
}

async function timed(step: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await step();
  return elapsedMs(started);
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:grid failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
