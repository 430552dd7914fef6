import { randomUUID } from 'node:crypto';
import { connectMongo, EventStore } from '@integrations/event-store';
import { getTestInfra, uniqueName } from '@integrations/testing';
import type mongoose from 'mongoose';
import { refillOutbox } from './refill-outbox';

/** Against real FerretDB: what the relay reads after a refill is the whole history, in order. */
let connection: mongoose.Connection;
let store: EventStore;

beforeAll(async () => {
  const { mongoUrl } = await getTestInfra();
  connection = await connectMongo(mongoUrl, uniqueName('refill_outbox'));
  store = new EventStore(connection, { collection: 'events', resolveAfterMs: 0 });
  await store.ensureIndexes();
});

afterAll(async () => {
  await connection?.db?.dropDatabase().catch(() => undefined);
  await connection?.close();
});

const event = (type: string) => ({
  type,
  payload: { n: type },
  metadata: { eventId: randomUUID(), correlationId: randomUUID() },
  timestamp: new Date(),
});

it('after the relay published everything, a refill makes it publish every commit again, oldest first, once', async () => {
  const a = `a-${randomUUID()}`;
  const b = `b-${randomUUID()}`;
  await store.append(a, 0, [event('A1'), event('A2')]);
  await store.append(b, 0, [event('B1')]);
  await store.append(a, 2, [event('A3')]);
  await store.append(b, 1, [event('B2')]);
  // The relay published them all; one append is still waiting (it is in the commits too).
  const published = await waitForConfirmed(4);
  await store.markPublished(published.slice(0, 3).map((entry) => entry.entryId));
  expect(await store.countUnpublished()).toBe(1);

  expect(await refillOutbox(connection.db!, { dryRun: true })).toEqual({ commits: 4, replaced: 1 });
  expect(await store.countUnpublished()).toBe(1);

  const progress: Array<[number, number]> = [];
  expect(await refillOutbox(connection.db!, { batchSize: 3, onProgress: (w, t) => progress.push([w, t]) })).toEqual({
    commits: 4,
    replaced: 1,
  });
  expect(progress).toEqual([
    [3, 4],
    [4, 4],
  ]);
  const unpublished = await store.readUnpublished(100);
  expect(unpublished.map((commit) => commit.events.map((e) => e.type).join('+'))).toEqual(['A1+A2', 'B1', 'A3', 'B2']);
  expect(unpublished.map((commit) => commit.commitId)).toEqual([`${a}@1`, `${b}@1`, `${a}@3`, `${b}@2`]);
  expect(unpublished[0].events.map((e) => [e.streamId, e.version])).toEqual([
    [a, 1],
    [a, 2],
  ]);
});

/** Appends confirm their outbox entry in the background. */
async function waitForConfirmed(count: number) {
  for (let i = 0; i < 200; i++) {
    const ready = await store.readUnpublished(100);
    if (ready.length === count) return ready;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`outbox entries not confirmed: wanted ${count}`);
}
