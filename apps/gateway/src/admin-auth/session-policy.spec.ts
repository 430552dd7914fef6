import { extendedExpiry, isSessionLive, sessionExpiry, type SessionPolicy } from './session-policy';

const policy: SessionPolicy = { idleTtlSeconds: 900, maxLifetimeSeconds: 8 * 3600 };
const t0 = new Date('2025-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('admin session policy', () => {
  it('expires after 15 minutes of inactivity (Magento admin session lifetime)', () => {
    expect(sessionExpiry(t0, t0, policy)).toEqual(at(900));
  });

  it('slides with use, but never beyond the hard cap from sign-in', () => {
    expect(sessionExpiry(t0, at(3600), policy)).toEqual(at(4500));
    expect(sessionExpiry(t0, at(8 * 3600 - 60), policy)).toEqual(at(8 * 3600));
  });

  it('only writes an extension once it moves the expiry by a minute or more', () => {
    expect(extendedExpiry(t0, at(900), at(30), policy)).toBeUndefined();
    expect(extendedExpiry(t0, at(900), at(60), policy)).toEqual(at(960));
    expect(extendedExpiry(t0, at(8 * 3600), at(8 * 3600 - 100), policy)).toBeUndefined();
  });

  it('is live until expiry and never once revoked', () => {
    expect(isSessionLive({ expiresAt: at(900), revokedAt: null }, at(899))).toBe(true);
    expect(isSessionLive({ expiresAt: at(900), revokedAt: null }, at(900))).toBe(false);
    expect(isSessionLive({ expiresAt: at(900), revokedAt: at(10) }, at(20))).toBe(false);
  });
});
