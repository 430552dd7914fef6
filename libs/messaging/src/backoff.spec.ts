import { backoffDelay, sleep } from './backoff';

describe('backoffDelay', () => {
  it('starts at the initial delay and doubles after each failure', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, { initialMs: 100, maxMs: 10_000, multiplier: 2 }));
    expect(delays).toEqual([100, 200, 400, 800, 1600]);
  });

  it('never exceeds the cap, even for huge attempt counts', () => {
    const options = { initialMs: 100, maxMs: 1_000, multiplier: 2 };
    expect(backoffDelay(5, options)).toBe(1_000);
    expect(backoffDelay(10_000, options)).toBe(1_000);
  });

  it('defaults to 100 ms doubling', () => {
    expect([backoffDelay(1), backoffDelay(2), backoffDelay(3)]).toEqual([100, 200, 400]);
  });

  it('rejects attempt numbers below 1', () => {
    expect(() => backoffDelay(0)).toThrow(RangeError);
    expect(() => backoffDelay(1.5)).toThrow(RangeError);
  });
});

describe('sleep', () => {
  it('returns early when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('returns at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = Date.now();
    await sleep(5_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
