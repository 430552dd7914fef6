import { anIntegrationCreated, anIntegrationUpdated, getTestInfra, newEvent, uniqueName } from '@integrations/testing';
import type mongoose from 'mongoose';
import { applyToProjection, type ProjectionDocument } from './apply-to-projection';
import type { CommitDocument, OutboxEntry } from './commit.document';
import { connectMongo } from './connect-mongo';
import { EventStore } from './event-store';
import { ConcurrencyConflictError } from './event-store.types';
import { replay } from './replay';

describe('EventStore on the real server', () => {
  let connection: mongoose.Connection;
  let store: EventStore;

  beforeAll(async () => {
    const infra = await getTestInfra();
    connection = await connectMongo(infra.mongoUrl, uniqueName('es_store'));
    store = new EventStore(connection);
    await store.ensureIndexes();
  });
  afterAll(async () => {
    await connection?.db?.dropDatabase();
    await connection?.close();
  });

  it('stores a command’s events as one commit and reads them back in order', async () => {
    const created = anIntegrationCreated({ integrationId: 'int-a' });
    const stored = await store.append('int-a', 0, [created, anIntegrationUpdated('int-a', { name: 'renamed' })]);
    await store.append('int-a', 2, [anIntegrationUpdated('int-a', { email: null })]);

    const events = await new EventStore(connection).readStream('int-a');
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'IntegrationCreated'],
      [2, 'IntegrationUpdated'],
      [3, 'IntegrationUpdated'],
    ]);
    expect(events[0]).toEqual({ ...created, streamId: 'int-a', version: 1, position: stored[0]!.position });
    expect(events[1]!.position).toBe(events[0]!.position);
    expect(events[2]!.position).toBeGreaterThan(events[1]!.position);
    expect(await connection.db!.collection<CommitDocument>('events').countDocuments({ streamId: 'int-a' })).toBe(2);
    expect(await store.streamVersion('int-a')).toBe(3);
    expect(await store.streamVersion('nothing-here')).toBe(0);
  });

  it('lets exactly one of two concurrent writers at the same version win, with nothing partial (x20)', async () => {
    for (let round = 0; round < 20; round++) {
      const streamId = `race-${round}`;
      const expected = round % 2 === 0 ? 0 : 2;
      if (expected > 0)
        await store.append(streamId, 0, [
          anIntegrationCreated({ integrationId: streamId }),
          anIntegrationUpdated(streamId, { name: 'x' }),
        ]);
      // Separate store instances: no shared cache, like two service replicas.
      const writerA = Array.from({ length: 3 }, (_, i) => newEvent('IntegrationUpdated', { by: 'A', i }));
      const writerB = Array.from({ length: 2 }, (_, i) => newEvent('IntegrationUpdated', { by: 'B', i }));
      const results = await Promise.allSettled([
        new EventStore(connection).append(streamId, expected, writerA),
        new EventStore(connection).append(streamId, expected, writerB),
      ]);

      const winners = results.filter((r) => r.status === 'fulfilled');
      const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]).toBeInstanceOf(ConcurrencyConflictError);
      expect(losers[0]).toMatchObject({ code: 'EVENT_STORE.CONFLICT', streamId, expectedVersion: expected });

      const winnerEvents = results[0]!.status === 'fulfilled' ? writerA : writerB;
      const after = (await store.readStream(streamId)).slice(expected);
      expect(after.map((e) => e.metadata.eventId)).toEqual(winnerEvents.map((e) => e.metadata.eventId));
    }
    // The losers took their outbox entries back: only the winners (and the setups) wait for the relay.
    const entries = await connection
      .db!.collection<OutboxEntry>('events_outbox')
      .find({ streamId: /^race-/ })
      .toArray();
    expect(entries).toHaveLength(30);
  });

  it('rejects an expected version inside a commit or past the end, even with a cold cache', async () => {
    await store.append('int-b', 0, [
      anIntegrationCreated({ integrationId: 'int-b' }),
      anIntegrationUpdated('int-b', { name: 'b2' }),
    ]);
    const cold = new EventStore(connection);
    await expect(cold.append('int-b', 1, [anIntegrationUpdated('int-b', { name: 'no' })])).rejects.toBeInstanceOf(
      ConcurrencyConflictError,
    );
    await expect(cold.append('int-b', 3, [anIntegrationUpdated('int-b', { name: 'no' })])).rejects.toBeInstanceOf(
      ConcurrencyConflictError,
    );
    await expect(store.append('int-b', 1, [anIntegrationUpdated('int-b', { name: 'no' })])).rejects.toBeInstanceOf(
      ConcurrencyConflictError,
    );
    await expect(cold.append('int-b', 2, [anIntegrationUpdated('int-b', { name: 'b3' })])).resolves.toHaveLength(1);
    expect((await store.readStream('int-b')).map((e) => e.version)).toEqual([1, 2, 3]);
  });

  it('treats an empty append as a no-op', async () => {
    await expect(store.append('int-empty', 0, [])).resolves.toEqual([]);
    expect(await store.streamVersion('int-empty')).toBe(0);
  });

  it('reads a long stream (past the `_id` walk) in order', async () => {
    for (let v = 0; v < 12; v++) {
      await store.append('long', v, [
        v === 0 ? anIntegrationCreated({ integrationId: 'long' }) : anIntegrationUpdated('long', { name: `n${v}` }),
      ]);
    }
    const cold = new EventStore(connection);
    expect((await cold.readStream('long')).map((e) => e.version)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await new EventStore(connection).streamVersion('long')).toBe(12);
  });

  it('replays every event in position order, each stream in version order', async () => {
    const seen: Array<[string, number, number]> = [];
    const result = await replay(store, (e) => {
      seen.push([e.streamId, e.version, e.position]);
    });
    expect(result.events).toBe(seen.length);
    const positions = seen.map(([, , p]) => p);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const lastVersion = new Map<string, number>();
    for (const [streamId, version] of seen) {
      expect(version).toBe((lastVersion.get(streamId) ?? 0) + 1);
      lastVersion.set(streamId, version);
    }
    const from = seen[Math.floor(seen.length / 2)]![2];
    const tail = await replay(store, () => undefined, { fromPosition: from });
    expect(tail.events).toBe(seen.filter(([, , p]) => p >= from).length);
  });
});

describe('outbox resolution', () => {
  let connection: mongoose.Connection;

  beforeAll(async () => {
    const infra = await getTestInfra();
    connection = await connectMongo(infra.mongoUrl, uniqueName('es_outbox'));
  });
  afterAll(async () => {
    await connection?.db?.dropDatabase();
    await connection?.close();
  });

  it('publishes confirmed entries, holds a stream back behind an unconfirmed one, and resolves stragglers', async () => {
    const store = new EventStore(connection, { collection: 'resolve', resolveAfterMs: 5_000, orphanAfterMs: 60_000 });
    await store.ensureIndexes();
    const outbox = connection.db!.collection<OutboxEntry>('resolve_outbox');
    const age = (id: string, ms: number) =>
      outbox.updateOne({ _id: id }, { $set: { createdAt: new Date(Date.now() - ms) } });
    const [a1] = await store.append('a', 0, [anIntegrationCreated({ integrationId: 'a' })]);
    await store.append('b', 0, [anIntegrationCreated({ integrationId: 'b' })]);
    await store.append('a', 1, [anIntegrationUpdated('a', { name: 'a2' })]);
    const a1Entry = (await outbox.findOne({ commitId: 'a@1' }))!;

    // A writer between its commit and its confirmation (or dead there): a@1 is unconfirmed.
    await outbox.updateOne({ _id: a1Entry._id }, { $set: { confirmed: false, createdAt: new Date() } });
    // A writer that died before its commit: an entry for a commit that never came.
    const orphan: OutboxEntry = {
      _id: 'orphan',
      commitId: 'c@1',
      streamId: 'c',
      version: 1,
      lastVersion: 1,
      position: a1!.position + 1,
      events: [],
      createdAt: new Date(),
      confirmed: false,
    };
    await outbox.insertOne(orphan);
    // A loser that died before taking its entry back: b@1 exists, at another position.
    await outbox.insertOne({ ...orphan, _id: 'loser', commitId: 'b@1', streamId: 'b', position: 1 });
    await age('loser', 10_000);

    // a waits for a@1 (young, unconfirmed), c is in flight, the old loser is dropped and frees b.
    expect((await store.readUnpublished(10)).map((c) => c.commitId)).toEqual(['b@1']);
    expect(await outbox.countDocuments({ _id: 'loser' })).toBe(0);

    // Past resolveAfterMs, a@1 is found committed: a goes out, in order.
    await age(a1Entry._id, 10_000);
    const resolved = await store.readUnpublished(10);
    expect(resolved.map((c) => c.commitId)).toEqual(['a@1', 'b@1', 'a@2']);
    expect(resolved[0]!.events.map((e) => e.version)).toEqual([1]);
    await store.markPublished(resolved.map((c) => c.entryId));

    // The orphan stays while its append may still be running, and goes past orphanAfterMs.
    expect(await store.readUnpublished(10)).toEqual([]);
    expect(await store.countUnpublished()).toBe(1);
    await age('orphan', 120_000);
    expect(await store.readUnpublished(10)).toEqual([]);
    expect(await store.countUnpublished()).toBe(0);
  });
});

describe('applyToProjection on the real server', () => {
  let connection: mongoose.Connection;
  let grid: mongoose.mongo.Collection<ProjectionDocument & { name?: string; renames?: number }>;

  beforeAll(async () => {
    const infra = await getTestInfra();
    connection = await connectMongo(infra.mongoUrl, uniqueName('es_projection'));
    grid = connection.db!.collection('grid');
  });
  afterAll(async () => {
    await connection?.db?.dropDatabase();
    await connection?.close();
  });

  it('applies each version once, in order, and reports duplicates and gaps without writing', async () => {
    const at = (version: number) => ({ id: 'int-1', version });
    expect(await applyToProjection(grid, at(2), { $set: { name: 'too early' } })).toBe('gap');
    expect(await grid.countDocuments({})).toBe(0);

    expect(await applyToProjection(grid, at(1), { $set: { name: 'one' }, $inc: { renames: 1 } })).toBe('applied');
    expect(await applyToProjection(grid, at(1), { $set: { name: 'one again' }, $inc: { renames: 1 } })).toBe(
      'duplicate',
    );
    expect(await applyToProjection(grid, at(3), { $set: { name: 'three' } })).toBe('gap');
    expect(await applyToProjection(grid, at(2), { $set: { name: 'two' }, $inc: { renames: 1 } })).toBe('applied');
    expect(await applyToProjection(grid, at(2), { $set: { name: 'two again' }, $inc: { renames: 1 } })).toBe(
      'duplicate',
    );

    expect(await grid.findOne({ _id: 'int-1' })).toEqual({ _id: 'int-1', version: 2, name: 'two', renames: 2 });
  });
});
