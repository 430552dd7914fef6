import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName } from '@integrations/testing';
import mongoose from 'mongoose';
import { IntegrationRateLimits } from './integration-rate-limits';
import { RATE_LIMITS_COLLECTION } from './shared-limit';

jest.setTimeout(60_000);

/**
 * An integration's own limit on the test database (FerretDB v1.24.2): what the hot path costs. The
 * concurrent calls of one integration share a write, and once over its limit a replica refuses
 * from memory without one. Writes are counted with the driver's command monitoring.
 */
describe('IntegrationRateLimits on the test database', () => {
  let client: mongoose.mongo.MongoClient;
  let dbName: string;
  let writes = 0;
  const logger = createLogger('rate-limit-test', 'silent');

  beforeAll(async () => {
    dbName = uniqueName('irl');
    client = new mongoose.mongo.MongoClient((await getTestInfra()).mongoUrl, { monitorCommands: true });
    await client.connect();
    await client.db(dbName).collection(RATE_LIMITS_COLLECTION).createIndex({ key: 1 }, { unique: true });
    client.on('commandStarted', (event) => {
      if (event.databaseName === dbName && ['findAndModify', 'update'].includes(event.commandName)) writes += 1;
    });
  });
  afterAll(async () => {
    await client?.db(dbName).dropDatabase();
    await client?.close();
  });

  it('200 concurrent calls of one integration: exactly the limit allowed, far fewer writes than calls', async () => {
    const limits = new IntegrationRateLimits(client, dbName, logger);
    writes = 0;
    const verdicts = await Promise.all(
      Array.from({ length: 200 }, () => limits.consume('int-a', { requestsPerMinute: 50, burst: 50 })),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(50);
    const refused = verdicts.find((v) => !v.allowed)!;
    expect(refused).toMatchObject({ limit: 50, remaining: 0, refusedBy: 'minute' });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    process.stdout.write(`integration rate limit: 200 concurrent calls, ${writes} store writes\n`);
    expect(writes).toBeLessThan(20);

    // Over the limit: refused from memory, no write at all.
    writes = 0;
    for (let i = 0; i < 20; i += 1)
      expect((await limits.consume('int-a', { requestsPerMinute: 50, burst: 50 })).allowed).toBe(false);
    expect(writes).toBe(0);
  });

  it('two replicas share the count; a raised limit is asked of the store again', async () => {
    const [a, b] = [
      new IntegrationRateLimits(client, dbName, logger),
      new IntegrationRateLimits(client, dbName, logger),
    ];
    const limit = { requestsPerMinute: 4, burst: 4 };
    const allowed: boolean[] = [];
    for (let i = 0; i < 6; i += 1) allowed.push((await (i % 2 ? a : b).consume('int-b', limit)).allowed);
    expect(allowed).toEqual([true, true, true, true, false, false]);
    expect((await a.consume('int-b', { requestsPerMinute: 10, burst: 10 })).allowed).toBe(true);
  });
});
