import { ApiError } from '../api/api-client';
import { lockedUntil, lockoutWhen } from './lockout';

const locked = (details: unknown) =>
  new ApiError(423, 'ADMIN.LOCKED', 'Your account is locked ... until 2026-11-28T14:32:00.000Z.', [], details);

describe('lockout time', () => {
  it("reads details.lockedUntil of ADMIN.LOCKED only, and nothing it can't parse", () => {
    expect(lockedUntil(locked({ lockedUntil: '2026-11-28T14:32:00.000Z' }))?.toISOString()).toBe(
      '2026-11-28T14:32:00.000Z',
    );
    expect(lockedUntil(locked({ lockedUntil: 'soon' }))).toBeNull();
    expect(lockedUntil(locked(undefined))).toBeNull();
    expect(
      lockedUntil(new ApiError(401, 'ADMIN.INVALID_CREDENTIALS', 'no', [], { lockedUntil: '2026-11-28T14:32:00Z' })),
    ).toBeNull();
  });

  it('says the local time and the minutes left, rounded up', () => {
    const until = new Date('2026-11-28T14:32:00Z');
    const now = new Date('2026-11-28T14:20:30Z');
    expect(lockoutWhen(until, now, 'en-GB', 'UTC')).toEqual({ time: '14:32', fromNow: 'in 12 minutes' });
    // The browser's time zone, not the API's UTC.
    expect(lockoutWhen(until, now, 'en-GB', 'Europe/Berlin').time).toBe('15:32');
    expect(lockoutWhen(until, now, 'en-US', 'UTC').time).toBe('2:32 PM');
    expect(lockoutWhen(until, new Date('2026-11-28T14:31:59Z'), 'en-GB', 'UTC').fromNow).toBe('in 1 minute');
    expect(lockoutWhen(until, new Date('2026-11-28T14:40:00Z'), 'en-GB', 'UTC').fromNow).toBe('this minute');
    expect(lockoutWhen(until, new Date('2026-11-28T11:30:00Z'), 'en-GB', 'UTC').fromNow).toBe('in 3 hours');
  });

  it('adds the date when the lock ends on another day there', () => {
    const until = new Date('2026-11-28T23:10:00Z');
    const now = new Date('2026-11-28T22:50:00Z');
    expect(lockoutWhen(until, now, 'en-GB', 'UTC').time).toBe('23:10');
    // 23:50 on the 28th in Berlin, the lock ends at 00:10 on the 29th.
    expect(lockoutWhen(until, now, 'en-GB', 'Europe/Berlin').time).toBe('29 Nov 2026, 00:10');
  });
});
