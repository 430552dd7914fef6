import { createHmac } from 'node:crypto';
import { NotificationVerifier } from './store-notifications';

/** The partner's checks of a store notification, byte for byte as README "Notifications from the store" says. */
const SECRET = 's'.repeat(32);
const NOW = Date.parse('2026-12-08T12:00:00Z');

const notification = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      id: '6f1c1f9e-5a4b-4c43-9d2e-3c7a1b2d4e5f',
      type: 'integration.deleted',
      timestamp: new Date(NOW - 1_000).toISOString(),
      occurredAt: new Date(NOW - 2_000).toISOString(),
      attempt: 1,
      integration: { id: 'i-1', consumerKey: 'k'.repeat(32) },
      ...overrides,
    }),
  );
const sign = (body: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const verifier = () =>
  new NotificationVerifier({ secretOf: (key) => (key === 'k'.repeat(32) ? SECRET : undefined), now: () => NOW });

describe('NotificationVerifier', () => {
  it('accepts a body signed with the consumer secret, within the tolerance', () => {
    const body = notification();
    expect(verifier().check(body, sign(body))).toMatchObject({
      ok: true,
      duplicate: false,
      notification: { type: 'integration.deleted', integration: { id: 'i-1' } },
    });
  });

  it('refuses another key, a changed byte, a missing or malformed header', () => {
    const body = notification();
    const check = verifier();
    expect(check.check(body, sign(body, 't'.repeat(32)))).toMatchObject({ ok: false, status: 401 });
    const changed = Buffer.from(body.toString().replace('deleted', 'resumed'));
    expect(check.check(changed, sign(body))).toMatchObject({
      ok: false,
      status: 401,
      reason: 'signature does not match',
    });
    expect(check.check(body, undefined)).toMatchObject({ ok: false, status: 401 });
    expect(check.check(body, sign(body).toUpperCase())).toMatchObject({ ok: false, status: 401 });
    expect(check.check(body, [sign(body), sign(body)])).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a body it cannot read, or of a consumer it holds no secret for', () => {
    expect(verifier().check(Buffer.from('not json'), 'sha256=00')).toMatchObject({ ok: false, status: 400 });
    const stranger = notification({ integration: { id: 'i-2', consumerKey: 'u'.repeat(32) } });
    expect(verifier().check(stranger, sign(stranger))).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a replay: a timestamp more than five minutes away, either way', () => {
    for (const offset of [-5 * 60_000 - 1, 5 * 60_000 + 1]) {
      const body = notification({ timestamp: new Date(NOW + offset).toISOString() });
      expect(verifier().check(body, sign(body))).toMatchObject({ ok: false, status: 401 });
    }
  });

  it('tells a repeat of a processed notification (a retry, signed afresh) from a new one', () => {
    const check = verifier();
    const first = notification();
    expect(check.check(first, sign(first))).toMatchObject({ ok: true, duplicate: false });
    check.processed('6f1c1f9e-5a4b-4c43-9d2e-3c7a1b2d4e5f');
    const retry = notification({ attempt: 2, timestamp: new Date(NOW).toISOString() });
    expect(check.check(retry, sign(retry))).toMatchObject({ ok: true, duplicate: true });
  });
});
