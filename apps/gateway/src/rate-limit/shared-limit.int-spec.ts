import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName } from '@integrations/testing';
import mongoose from 'mongoose';
import { RATE_LIMITS_COLLECTION, SharedLimit } from './shared-limit';

jest.setTimeout(60_000);

/**
 * The two layers of a limit on the database the tests run on (FerretDB v1.24.2 here, whose `$inc`
 * is not atomic: docs/adr/0007-rate-limits.md quotes these figures). Two `SharedLimit`s on one
 * database stand for two gateway replicas.
 */
describe('SharedLimit on the test database', () => {
  let db: mongoose.Connection;
  const logger = createLogger('rate-limit-test', 'silent');
  const limit = (name: string, points: number) =>
    new SharedLimit({ name, points, windowSeconds: 60, client: db.getClient(), dbName: db.name, logger });

  beforeAll(async () => {
    db = await mongoose.createConnection((await getTestInfra()).mongoUrl, { dbName: uniqueName('rl') }).asPromise();
    await db.collection(RATE_LIMITS_COLLECTION).createIndex({ key: 1 }, { unique: true });
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await db?.close();
  });

  const allowedOf = async (verdicts: Array<Promise<{ allowed: boolean }>>) =>
    (await Promise.all(verdicts)).filter((verdict) => verdict.allowed).length;

  it('one replica: 40 concurrent requests against a limit of 10 let exactly 10 through', async () => {
    const one = limit('one', 10);
    expect(await allowedOf(Array.from({ length: 40 }, () => one.consume('k')))).toBe(10);
  });

  it('two replicas taking turns: the store counts every request, exactly 10 of 30 get through', async () => {
    const [a, b] = [limit('turns', 10), limit('turns', 10)];
    let allowed = 0;
    for (let i = 0; i < 30; i += 1) if ((await (i % 2 ? a : b).consume('k')).allowed) allowed += 1;
    expect(allowed).toBe(10);
  });

  it('two replicas, 40 concurrent requests each: never more than 2 × the limit (FerretDB loses concurrent increments)', async () => {
    const [a, b] = [limit('burst', 10), limit('burst', 10)];
    const allowed = await allowedOf([
      ...Array.from({ length: 40 }, () => a.consume('k')),
      ...Array.from({ length: 40 }, () => b.consume('k')),
    ]);
    const stored = await db.collection(RATE_LIMITS_COLLECTION).findOne({ key: 'burst:k' });
    process.stdout.write(
      `[rate-limit] 2 replicas × 40 concurrent, limit 10: ${allowed} allowed, store counted ${stored?.points}\n`,
    );
    expect(allowed).toBeGreaterThanOrEqual(10);
    expect(allowed).toBeLessThanOrEqual(20);
  });

  it('hot path: decides from memory, and stops a key on this replica once the store says another replica used it up', async () => {
    const [a, b] = [limit('soon', 5), limit('soon', 5)];
    for (let i = 0; i < 5; i += 1) expect((await a.consume('k')).allowed).toBe(true);
    // b's own count is 0: its first call passes and learns from the store that the key is spent.
    expect((await b.consumeSoon('k')).allowed).toBe(true);
    let refused = false;
    for (let i = 0; i < 50 && !refused; i += 1) {
      refused = !(await b.consumeSoon('k')).allowed;
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(refused).toBe(true);
  });

  it('with the store unreachable, each replica still limits on its own', async () => {
    const closed = await mongoose.createConnection((await getTestInfra()).mongoUrl, { dbName: db.name }).asPromise();
    const client = closed.getClient();
    await closed.close();
    const alone = new SharedLimit({ name: 'down', points: 3, windowSeconds: 60, client, dbName: db.name, logger });
    expect(await allowedOf(Array.from({ length: 10 }, () => alone.consume('k')))).toBe(3);
  });
});
