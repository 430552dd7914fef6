import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('serves a loaded value until its TTL ends, then loads again', async () => {
    const cache = new TtlCache<string, number>(1_000, 10, clock);
    const load = jest.fn(async () => 7);
    expect(await cache.getOrLoad('a', load)).toBe(7);
    now += 999;
    expect(await cache.getOrLoad('a', load)).toBe(7);
    expect(load).toHaveBeenCalledTimes(1);
    now += 1;
    await cache.getOrLoad('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not remember unknown keys', async () => {
    const cache = new TtlCache<string, number>(1_000, 10, clock);
    const load = jest.fn(async () => null);
    await cache.getOrLoad('missing', load);
    await cache.getOrLoad('missing', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not cache a load that overlapped an invalidation (a revoke must not be undone)', async () => {
    const cache = new TtlCache<string, string>(1_000, 10, clock);
    let release!: (value: string) => void;
    const slow = cache.getOrLoad('token', () => new Promise<string>((resolve) => (release = resolve)));
    cache.delete('token'); // the revoke happens while the stale read is in flight
    release('live (stale)');
    expect(await slow).toBe('live (stale)');
    expect(cache.get('token')).toBeUndefined();
  });

  it('evicts the oldest entry when full', () => {
    const cache = new TtlCache<string, number>(1_000, 2, clock);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('caches nothing with a TTL of 0', () => {
    const cache = new TtlCache<string, number>(0, 2, clock);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
  });
});
