import type { AdminSessionDoc } from './admin-auth.models';
import { SessionCache } from './session-cache';

const session = (id: string): AdminSessionDoc => ({
  _id: id,
  username: 'operator',
  createdAt: new Date(0),
  expiresAt: new Date(900_000),
  revokedAt: null,
  writes: {},
  lastWrite: null,
});

describe('admin session cache', () => {
  it('serves a session for ttl milliseconds, then forgets it', () => {
    const cache = new SessionCache(2_000);
    cache.set(session('a'), 1_000);
    expect(cache.get('a', 2_999)?._id).toBe('a');
    expect(cache.get('a', 3_000)).toBeUndefined();
    expect(cache.get('a', 2_000)).toBeUndefined();
  });

  it('evicts on demand (logout, lockout) and ignores a clock that went backwards', () => {
    const cache = new SessionCache(2_000);
    cache.set(session('a'), 1_000);
    cache.evict('a');
    expect(cache.get('a', 1_001)).toBeUndefined();
    cache.set(session('b'), 1_000);
    expect(cache.get('b', 999)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new SessionCache(10_000, 2);
    cache.set(session('a'), 0);
    cache.set(session('b'), 1);
    cache.set(session('c'), 2);
    expect(cache.get('a', 3)).toBeUndefined();
    expect(cache.get('b', 3)?._id).toBe('b');
    expect(cache.get('c', 3)?._id).toBe('c');
  });

  it('applies updates to a cached session only', () => {
    const cache = new SessionCache(10_000);
    cache.set(session('a'), 0);
    cache.update('a', (s) => ({ ...s, lastWrite: { id: 'x', version: 2, at: new Date(0) } }));
    cache.update('missing', (s) => ({ ...s, lastWrite: { id: 'y', version: 1, at: new Date(0) } }));
    expect(cache.get('a', 1)?.lastWrite).toEqual({ id: 'x', version: 2, at: new Date(0) });
    expect(cache.get('missing', 1)).toBeUndefined();
  });

  it('caches nothing with a zero ttl', () => {
    const cache = new SessionCache(0);
    cache.set(session('a'), 0);
    expect(cache.get('a', 0)).toBeUndefined();
  });
});
