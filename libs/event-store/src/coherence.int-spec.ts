import { getTestInfra, uniqueName, waitFor } from '@integrations/testing';
import type mongoose from 'mongoose';
import { ChangeSignal, CHANGE_SIGNALS_COLLECTION, type ChangeSignalDocument } from './change-signal';
import { connectMongo } from './connect-mongo';
import { RelayLease, RELAY_LEASES_COLLECTION, type RelayLeaseDocument } from './relay-lease';

jest.setTimeout(60_000);

let connection: mongoose.Connection;

beforeAll(async () => {
  connection = await connectMongo((await getTestInfra()).mongoUrl, uniqueName('es_coherence'));
});
afterAll(async () => {
  await connection?.db?.dropDatabase();
  await connection?.close();
});

const signals = () => connection.db!.collection<ChangeSignalDocument>(CHANGE_SIGNALS_COLLECTION);
const leases = () => connection.db!.collection<RelayLeaseDocument>(RELAY_LEASES_COLLECTION);

describe('ChangeSignal (two replicas on one database)', () => {
  it("empties a replica's caches at its first read after another replica's change, never before it", async () => {
    const writer = new ChangeSignal(signals(), 'access-a');
    const reader = new ChangeSignal(signals(), 'access-a');
    let emptied = 0;
    reader.onChange(() => (emptied += 1));

    await reader.fresh();
    await reader.fresh();
    expect(emptied).toBe(0);

    await writer.changed();
    expect(emptied).toBe(0); // no broadcast: the reader learns at its next read
    await reader.fresh();
    expect(emptied).toBe(1);
    await reader.fresh();
    expect(emptied).toBe(1);
  });

  it('sees a change made while its previous read was in flight (the caller waits for a read that starts after it)', async () => {
    const writer = new ChangeSignal(signals(), 'access-b');
    const reader = new ChangeSignal(signals(), 'access-b');
    await reader.fresh();
    let emptied = 0;
    reader.onChange(() => (emptied += 1));
    for (let round = 0; round < 20; round++) {
      const before = emptied;
      const early = reader.fresh(); // may start before the change
      await writer.changed();
      await reader.fresh(); // called after the change was acknowledged
      expect(emptied).toBeGreaterThan(before);
      await early;
    }
  });

  it('answers a burst of 200 callers with at most two reads', async () => {
    const reader = new ChangeSignal(signals(), 'access-c');
    const collection = signals();
    let reads = 0;
    const counting = new Proxy(collection, {
      get(target, property, receiver) {
        if (property === 'findOne') reads += 1;
        return Reflect.get(target, property, receiver);
      },
    });
    const counted = new ChangeSignal(counting, 'access-c');
    await Promise.all(Array.from({ length: 200 }, () => counted.fresh()));
    expect(reads).toBeLessThanOrEqual(2);
    await reader.fresh();
  });

  it('bumps its generation at every emptying, so loads that straddle one can be refused', async () => {
    const signal = new ChangeSignal(signals(), 'access-d');
    const before = signal.generation;
    await signal.changed();
    expect(signal.generation).toBe(before + 1);
  });
});

describe('RelayLease (replicas competing for one relay)', () => {
  const fast = { ttlMs: 900, renewEveryMs: 200, safetyMs: 200, skewMs: 100, pollEveryMs: 100 };

  it('gives the lease to exactly one of five candidates that start together', async () => {
    const candidates = Array.from(
      { length: 5 },
      (_, i) => new RelayLease(leases(), 'relay-one', { ...fast, holderId: `r${i}` }),
    );
    await Promise.all(candidates.map((lease) => lease.tick()));
    expect(candidates.filter((lease) => lease.isHeld())).toHaveLength(1);
    await Promise.all(candidates.map((lease) => lease.stop()));
  });

  it('moves to another replica after the holder dies, and the old holder stops before the new one starts', async () => {
    const a = new RelayLease(leases(), 'relay-two', { ...fast, holderId: 'a' });
    const b = new RelayLease(leases(), 'relay-two', { ...fast, holderId: 'b' });
    a.start();
    await waitFor(() => a.isHeld());
    b.start();
    // Watch both every 10 ms: they must never hold at once.
    let overlaps = 0;
    const watch = setInterval(() => {
      if (a.isHeld() && b.isHeld()) overlaps += 1;
    }, 10);
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(b.isHeld()).toBe(false);
      // "SIGKILL": a stops renewing without giving the lease up.
      const killedAt = Date.now();
      (a as unknown as { stopped: boolean }).stopped = true;
      await waitFor(() => b.isHeld(), { timeoutMs: 5_000, intervalMs: 10 });
      const takeover = Date.now() - killedAt;
      expect(a.isHeld()).toBe(false);
      // ttl + skew + one poll, with room for a slow database.
      expect(takeover).toBeLessThan(fast.ttlMs + fast.skewMs + fast.pollEveryMs + 1_500);
      expect(b.heldEpoch()).toBe(2);
    } finally {
      clearInterval(watch);
      await b.stop();
    }
    expect(overlaps).toBe(0);
  });

  it('hands over at once when the holder stops gracefully', async () => {
    const a = new RelayLease(leases(), 'relay-three', { ...fast, holderId: 'a' });
    const b = new RelayLease(leases(), 'relay-three', { ...fast, holderId: 'b' });
    await a.tick();
    expect(a.isHeld()).toBe(true);
    await b.tick();
    expect(b.isHeld()).toBe(false);
    await a.stop();
    await new Promise((resolve) => setTimeout(resolve, fast.skewMs + 10));
    await b.tick();
    expect(b.isHeld()).toBe(true);
    await b.stop();
  });

  it('steps down when it finds a newer epoch at renewal', async () => {
    const a = new RelayLease(leases(), 'relay-four', { ...fast, holderId: 'a' });
    await a.tick();
    await leases().insertOne({
      _id: 'relay-four#2',
      name: 'relay-four',
      epoch: 2,
      holder: 'intruder',
      expiresAt: new Date(Date.now() + 10_000),
      takenAt: new Date(),
    });
    await a.tick();
    expect(a.isHeld()).toBe(false);
  });
});
