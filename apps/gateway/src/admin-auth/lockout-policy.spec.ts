import { failureWindowStart, lockState, mayEvaluate, outcomeOfFailure, type LockoutPolicy } from './lockout-policy';

const magento: LockoutPolicy = { threshold: 6, durationMs: 30 * 60_000 };
const now = new Date('2025-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe('admin lockout policy', () => {
  it('counts down the five failures before the lock, and the sixth locks for 30 minutes', () => {
    const outcomes = [1, 2, 3, 4, 5].map((count) => outcomeOfFailure(count, now, magento));
    expect(outcomes).toEqual([5, 4, 3, 2, 1].map((remainingAttempts) => ({ lock: false, remainingAttempts })));
    expect(outcomeOfFailure(6, now, magento)).toEqual({ lock: true, until: minutes(30) });
  });

  it('locks on any count past the threshold (concurrent failures may skip past it)', () => {
    expect(outcomeOfFailure(9, now, magento)).toEqual({ lock: true, until: minutes(30) });
  });

  it('honours a configured threshold and duration', () => {
    const strict: LockoutPolicy = { threshold: 3, durationMs: 2_000 };
    expect(outcomeOfFailure(2, now, strict)).toEqual({ lock: false, remainingAttempts: 1 });
    expect(outcomeOfFailure(3, now, strict)).toEqual({ lock: true, until: new Date(now.getTime() + 2_000) });
  });

  it('is locked strictly before the expiry and free from it on', () => {
    const until = minutes(30);
    expect(lockState(until, now)).toEqual({ locked: true, until });
    expect(lockState(until, minutes(29.99))).toEqual({ locked: true, until });
    expect(lockState(until, until)).toEqual({ locked: false });
    expect(lockState(until, minutes(31))).toEqual({ locked: false });
    expect(lockState(null, now)).toEqual({ locked: false });
    expect(lockState(undefined, now)).toEqual({ locked: false });
  });

  it('forgets failures older than the lock duration, so those behind an expired lock no longer count', () => {
    expect(failureWindowStart(now, magento)).toEqual(minutes(-30));
    // The failures that caused a lock at `now` are at most `now`; when the lock ends (now + 30 min)
    // the window starts at `now`, and failures at or before the window start are excluded.
    expect(failureWindowStart(minutes(30), magento).getTime()).toBeGreaterThanOrEqual(now.getTime());
  });
});

describe('admission of an attempt by its rank', () => {
  it('evaluates the attempts within the threshold and none past it', () => {
    expect([1, 5, 6].map((rank) => mayEvaluate(rank, magento))).toEqual([true, true, true]);
    expect([7, 40].map((rank) => mayEvaluate(rank, magento))).toEqual([false, false]);
  });
});
