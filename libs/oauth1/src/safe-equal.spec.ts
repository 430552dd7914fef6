import { safeEqual } from './safe-equal';

describe('safeEqual', () => {
  it('is plain equality in its answers', () => {
    expect(safeEqual('v'.repeat(32), 'v'.repeat(32))).toBe(true);
    expect(safeEqual('été', 'été')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
    expect(safeEqual('e\u0301', 'é')).toBe(false);
  });

  it('always compares two 32-byte digests with timingSafeEqual, whatever the input lengths', () => {
    // The module object itself (a namespace import would be a copy the spy cannot reach).
    const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      safeEqual('short', 'a much longer string than the other one');
      expect(spy).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
      expect([a.length, b.length]).toEqual([32, 32]);
    } finally {
      spy.mockRestore();
    }
  });
});
