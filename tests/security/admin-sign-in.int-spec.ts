import { randomUUID } from 'node:crypto';
import {
  ADMIN,
  INVALID_CREDENTIALS,
  capturedLogger,
  productionRateLimits,
  report,
  securityGateway,
} from './support/security-gateway';
import { MongoCommandCounter } from './support/mongo-command-counter';
import { getTestInfra } from '@integrations/testing';

jest.setTimeout(120_000);

const login = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/admin/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (response) => ({
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  }));

/** Log lines of a password that was actually hashed and compared (right or wrong). */
const EVALUATED = new Set([
  'admin password refused',
  'admin account locked',
  'admin signed in',
  'admin password refused: locked while it was checked',
]);

describe('attack corpus: admin sign-in', () => {
  it('lockout oracle: while locked, the right password gets exactly the answer of a wrong one, and nothing is recorded', async () => {
    const t = await securityGateway();
    try {
      await t.createAdmin('oracle-op');
      for (let i = 0; i < 6; i += 1)
        await login(t.gateway.url, { username: 'oracle-op', password: `guess ${i} wrong` });
      const account = () => t.db.collection('admin_users').findOne({ _id: 'oracle-op' as never });
      const lockedUntil = (await account())?.lockExpiresAt;
      expect(lockedUntil?.getTime()).toBeGreaterThan(Date.now());
      const attempts = await t.db.collection('admin_password_failures').countDocuments({ username: 'oracle-op' });

      const right = await login(t.gateway.url, { username: 'oracle-op', password: ADMIN.password });
      const wrong = await login(t.gateway.url, { username: 'oracle-op', password: 'another wrong guess' });
      expect([right.status, right.body]).toEqual([401, INVALID_CREDENTIALS]);
      expect([wrong.status, wrong.body]).toEqual([right.status, right.body]);

      expect(await t.db.collection('admin_sessions').countDocuments({ username: 'oracle-op' })).toBe(0);
      expect((await account())?.lockExpiresAt).toEqual(lockedUntil);
      expect(await t.db.collection('admin_password_failures').countDocuments({ username: 'oracle-op' })).toBe(attempts);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['with the production rate limits', productionRateLimits()],
    ['with the rate limits off (the lockout alone)', productionRateLimits({ loginPerAddress: 0, loginPerAccount: 0 })],
  ])(
    'lockout race: 40 concurrent guesses, the right one last (%s): at most 6 evaluated, no session, lock kept',
    async (label, rateLimits) => {
      const { logger, lines } = capturedLogger();
      const t = await securityGateway({ rateLimits, logger });
      try {
        await t.createAdmin('race-op');
        const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? ADMIN.password : `concurrent guess ${i}`));
        const replies = await Promise.all(
          guesses.map((password) => login(t.gateway.url, { username: 'race-op', password })),
        );

        const evaluated = lines().filter(
          (line) => line.username === 'race-op' && EVALUATED.has(String(line.msg)),
        ).length;
        const limited = replies.filter((reply) => reply.status === 429).length;
        const refused = replies.filter((reply) => reply.status === 401).length;
        const lockedUntil = (await t.db.collection('admin_users').findOne({ _id: 'race-op' as never }))?.lockExpiresAt;
        report(
          `40 concurrent guesses ${label}: ${evaluated} evaluated, ${limited} got 429, ${refused} got 401, ` +
            `${replies.filter((r) => r.status === 200).length} signed in, lock ${lockedUntil && lockedUntil.getTime() > Date.now() ? 'kept' : 'NOT set'}`,
        );
        expect(evaluated).toBeLessThanOrEqual(6);
        expect(limited + refused).toBe(40);
        expect(await t.db.collection('admin_sessions').countDocuments({ username: 'race-op' })).toBe(0);
        expect(lockedUntil?.getTime()).toBeGreaterThan(Date.now());
        // The lock outlives the burst: the right password alone, afterwards, is refused too (401, or 429
        // while the burst's rate-limit window lasts).
        const after = await login(t.gateway.url, { username: 'race-op', password: ADMIN.password });
        expect([401, 429]).toContain(after.status);
        expect(await t.db.collection('admin_sessions').countDocuments({ username: 'race-op' })).toBe(0);
      } finally {
        await t.close();
      }
    },
  );

  it('password spraying from one address: 429 with Retry-After past the per-address limit, and the refused attempts record nothing', async () => {
    const t = await securityGateway();
    try {
      const { loginPerAddress } = productionRateLimits();
      const replies = [];
      for (let i = 0; i < loginPerAddress + 5; i += 1)
        replies.push(await login(t.gateway.url, { username: `sprayed-${i}`, password: 'Summer2026!Summer' }));
      expect(replies.slice(0, loginPerAddress).map((r) => r.status)).toEqual(Array(loginPerAddress).fill(401));
      for (const reply of replies.slice(loginPerAddress)) {
        expect(reply.status).toBe(429);
        expect(Number(reply.retryAfter)).toBeGreaterThan(0);
        expect(reply.body).toEqual({
          error: {
            code: 'REQUEST.RATE_LIMITED',
            message: `Too many sign-in attempts. Wait ${reply.retryAfter} seconds, then try again.`,
            details: { retryAfterSeconds: Number(reply.retryAfter) },
          },
        });
      }
      report(
        `spraying ${loginPerAddress + 5} usernames from one address: ${replies.filter((r) => r.status === 429).length} got 429`,
      );
      // Only the attempts let through were recorded (and hashed).
      expect(await t.db.collection('admin_password_failures').countDocuments({})).toBe(loginPerAddress);
    } finally {
      await t.close();
    }
  });

  it('a forged X-Forwarded-For does not buy a fresh address budget from an untrusted peer', async () => {
    const t = await securityGateway();
    try {
      const { loginPerAddress } = productionRateLimits();
      const statuses = [];
      for (let i = 0; i < loginPerAddress + 3; i += 1) {
        const reply = await login(
          t.gateway.url,
          { username: `forged-${i}`, password: 'a guessed password' },
          { 'x-forwarded-for': `203.0.113.${i + 1}` },
        );
        statuses.push(reply.status);
      }
      expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    } finally {
      await t.close();
    }
  });

  it('guessing one account from many addresses (behind a trusted proxy): 429 past the per-account limit', async () => {
    const t = await securityGateway({ rateLimits: productionRateLimits({ trustedProxies: ['loopback'] }) });
    try {
      await t.createAdmin('distributed-op');
      const { loginPerAccount } = productionRateLimits();
      const statuses = [];
      for (let i = 0; i < loginPerAccount + 4; i += 1) {
        const reply = await login(
          t.gateway.url,
          { username: 'distributed-op', password: `botnet guess ${i}` },
          { 'x-forwarded-for': `198.51.100.${i + 1}` },
        );
        statuses.push(reply.status);
      }
      expect(statuses.slice(0, loginPerAccount)).toEqual(Array(loginPerAccount).fill(401));
      expect(statuses.slice(loginPerAccount)).toEqual(Array(4).fill(429));
      expect(await t.db.collection('admin_sessions').countDocuments({})).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('login timing: an unknown user and a wrong password for a known one do the same database work', async () => {
    const { mongoUrl } = await getTestInfra();
    const target = new URL(mongoUrl);
    const counter = new MongoCommandCounter({ host: target.hostname, port: Number(target.port || 27017) });
    const relayed = await counter.start();
    const t = await securityGateway({ mongoUrl: relayed });
    try {
      await t.createAdmin('timed-op');
      const work = async (username: string) => {
        const before = counter.dataCommands();
        const started = process.hrtime.bigint();
        const reply = await login(t.gateway.url, { username, password: 'not the password at all' });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        expect(reply.status).toBe(401);
        return { commands: counter.dataCommands() - before, ms };
      };
      const unknown = [];
      const known = [];
      for (let i = 0; i < 3; i += 1) {
        unknown.push(await work(`nobody-${randomUUID().slice(0, 8)}`));
        known.push(await work('timed-op'));
      }
      report(
        `login work: unknown user ${unknown.map((w) => w.commands).join('/')} commands ` +
          `(${unknown.map((w) => w.ms.toFixed(0)).join('/')} ms), wrong password ${known.map((w) => w.commands).join('/')} ` +
          `commands (${known.map((w) => w.ms.toFixed(0)).join('/')} ms)`,
      );
      expect(known.map((w) => w.commands)).toEqual(unknown.map((w) => w.commands));
    } finally {
      await t.close();
      await counter.stop();
    }
  });
});
