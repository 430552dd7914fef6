import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  let generation = 0;
  const currentGeneration = () => generation;

  beforeEach(() => {
    generation = 0;
  });

  it('serves a loaded value without loading again, however long ago it was loaded', async () => {
    const cache = new BoundedCache<string, number>(currentGeneration, 10);
    const load = jest.fn(async () => 7);
    expect(await cache.getOrLoad('a', load)).toBe(7);
    expect(await cache.getOrLoad('a', load)).toBe(7);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not remember unknown keys', async () => {
    const cache = new BoundedCache<string, number>(currentGeneration, 10);
    const load = jest.fn(async () => null);
    await cache.getOrLoad('missing', load);
    await cache.getOrLoad('missing', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not store a load that straddled an emptying (a revocation must not be undone)', async () => {
    const cache = new BoundedCache<string, string>(currentGeneration, 10);
    let release!: (value: string) => void;
    const slow = cache.getOrLoad('token', () => new Promise<string>((resolve) => (release = resolve)));
    // The signal moved while the (possibly stale) read was in flight.
    generation += 1;
    cache.clear();
    release('live (stale)');
    expect(await slow).toBe('live (stale)');
    expect(cache.get('token')).toBeUndefined();
    // A load that starts after the emptying is stored again.
    expect(await cache.getOrLoad('token', async () => 'fresh')).toBe('fresh');
    expect(cache.get('token')).toBe('fresh');
  });

  it('evicts the oldest entry when full', async () => {
    const cache = new BoundedCache<string, number>(currentGeneration, 2);
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await cache.getOrLoad(key, async () => value);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    expect(cache.size).toBe(2);
  });
});
