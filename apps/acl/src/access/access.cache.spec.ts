import { AccessCache } from './access.cache';

/** The part of ChangeSignal the cache uses: emptyings and their generation. */
class FakeSignal {
  generation = 0;
  private readonly listeners: Array<() => void> = [];
  onChange(listener: () => void) {
    this.listeners.push(listener);
  }
  empty() {
    this.generation += 1;
    for (const listener of this.listeners) listener();
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup(maxEntries = 3) {
  const signal = new FakeSignal();
  let stored = 'v1';
  const load = jest.fn(async (id: string) => `${id}:${stored}`);
  const cache = new AccessCache(signal, load, maxEntries);
  return { signal, load, cache, store: (value: string) => (stored = value) };
}

describe('AccessCache', () => {
  it('keeps an entry for as long as the signal does not move, however long that is', async () => {
    const { cache, load, store } = setup();
    expect(await cache.get('a')).toBe('a:v1');
    store('v2');
    for (let i = 0; i < 5; i++) expect(await cache.get('a')).toBe('a:v1');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('reads again after the signal moved', async () => {
    const { cache, signal, store } = setup();
    await cache.get('a');
    store('v2');
    signal.empty();
    expect(cache.size).toBe(0);
    expect(await cache.get('a')).toBe('a:v2');
  });

  it('does not keep a load that straddled an emptying, and never serves it to a later caller', async () => {
    const { cache, signal, load } = setup();
    const slow = deferred<string>();
    load.mockReturnValueOnce(slow.promise);
    const early = cache.get('a');
    signal.empty();
    // A caller after the emptying does not get the load that started before it.
    expect(await cache.get('a')).toBe('a:v1');
    slow.resolve('a:stale');
    expect(await early).toBe('a:stale');
    expect(await cache.get('a')).toBe('a:v1');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('serves nothing loaded under an older generation, even when no emptying cleared it', async () => {
    const { cache, signal, load } = setup();
    const slow = deferred<string>();
    load.mockReturnValueOnce(slow.promise);
    void cache.get('a');
    // The generation moved without the listener having run (yet).
    signal.generation += 1;
    slow.resolve('a:stale');
    await slow.promise;
    await Promise.resolve();
    expect(await cache.get('a')).toBe('a:v1');
  });

  it('shares one load between concurrent misses, and does not keep a failed one', async () => {
    const { cache, load } = setup();
    await Promise.all([cache.get('a'), cache.get('a'), cache.get('a')]);
    expect(load).toHaveBeenCalledTimes(1);
    load.mockRejectedValueOnce(new Error('db down'));
    await expect(cache.get('b')).rejects.toThrow('db down');
    expect(await cache.get('b')).toBe('b:v1');
  });

  it('holds at most maxEntries, dropping the oldest; 0 disables it', async () => {
    const { cache, load } = setup(3);
    for (const id of ['a', 'b', 'c', 'd']) await cache.get(id);
    load.mockClear();
    await cache.get('d');
    await cache.get('a');
    expect(load.mock.calls).toEqual([['a']]);

    const none = setup(0);
    await none.cache.get('a');
    await none.cache.get('a');
    expect(none.load).toHaveBeenCalledTimes(2);
  });
});
