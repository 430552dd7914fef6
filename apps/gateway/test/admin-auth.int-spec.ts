import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { getTestInfra, uniqueName } from '@integrations/testing';
import mongoose from 'mongoose';
import { ADMIN, startTestGateway, type TestGateway } from './support/gateway-harness';

const INVALID_CREDENTIALS = {
  error: {
    code: 'ADMIN.INVALID_CREDENTIALS',
    message:
      'The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.',
  },
};
const VALID_BODY = { name: 'never stored', resourceAccess: 'all' };
// The shared gateway's lock outlasts the suite, so "did not lock" can only mean the count was reset.
// The expiry test uses its own gateway with a short lock and a clock it moves: with real time, six
// scrypt checks on a loaded machine can outlast a lock short enough to wait for, and the early
// failures would leave the window before the sixth.
const LONG_LOCK_MS = 10 * 60_000;
const SHORT_LOCK_MS = 60_000;

jest.setTimeout(60_000);

describe('gateway admin auth (FerretDB, real HTTP)', () => {
  let mongoUrl: string;
  let t: TestGateway;

  beforeAll(async () => {
    mongoUrl = (await getTestInfra()).mongoUrl;
    t = await startTestGateway(mongoUrl, { lockout: { threshold: 6, durationMs: LONG_LOCK_MS } });
  });
  afterAll(() => t?.close());

  describe('sign-in', () => {
    it('returns a Bearer session token that opens /me, and stores only its SHA-256', async () => {
      const response = await t.api.request('POST', '/admin/v1/auth/login', { body: ADMIN });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toEqual({
        accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const token = response.body.accessToken as string;

      const me = await t.api.request('GET', '/admin/v1/auth/me', { token });
      expect(me.status).toBe(200);
      expect(me.body.username).toBe(ADMIN.username);
      expect(Date.parse(me.body.expiresAt) - Date.now()).toBeGreaterThan(850_000);

      const sessions = await t.db.collection('admin_sessions').find({}).toArray();
      const hash = createHash('sha256').update(token).digest('hex');
      expect(sessions.map((s) => s._id)).toContain(hash);
      expect(JSON.stringify(sessions)).not.toContain(token);
      const account = await t.db.collection('admin_users').findOne({ _id: ADMIN.username as never });
      expect(account?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(JSON.stringify(account)).not.toContain(ADMIN.password);
    });

    it('accepts the username in any case (one account, as in Magento)', async () => {
      const token = await t.api.login(ADMIN.username.toUpperCase(), ADMIN.password);
      expect((await t.api.request('GET', '/admin/v1/auth/me', { token })).body.username).toBe(ADMIN.username);
    });

    it('answers an unknown user and a wrong password identically', async () => {
      const unknown = await t.api.request('POST', '/admin/v1/auth/login', {
        body: { username: 'nobody-here', password: ADMIN.password },
      });
      const wrong = await t.api.request('POST', '/admin/v1/auth/login', {
        body: { username: ADMIN.username, password: 'not the password' },
      });
      expect([unknown.status, unknown.body]).toEqual([401, INVALID_CREDENTIALS]);
      expect([wrong.status, wrong.body]).toEqual([401, INVALID_CREDENTIALS]);
      // A successful sign-in forgets the failure, so later tests start from zero.
      await t.api.login(ADMIN.username, ADMIN.password);
      expect(await t.db.collection('admin_password_failures').countDocuments({ username: ADMIN.username })).toBe(0);
    });

    it.each([
      ['no body', undefined, 400, 'REQUEST.INVALID'],
      ['missing password', { username: 'operator' }, 400, 'REQUEST.INVALID'],
      ['password not a string', { username: 'operator', password: 12345678901234 }, 400, 'REQUEST.INVALID'],
      ['unknown field', { ...ADMIN, remember: true }, 400, 'REQUEST.INVALID'],
    ])('rejects a malformed sign-in (%s)', async (_case, body, status, code) => {
      const response = await t.api.request('POST', '/admin/v1/auth/login', { body });
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
    });

    it('rejects invalid JSON and oversized bodies with our error body', async () => {
      const invalid = await t.api.request('POST', '/admin/v1/auth/login', { rawBody: '{"username": "operator",' });
      expect([invalid.status, invalid.body.error.code]).toEqual([400, 'REQUEST.INVALID_JSON']);
      const huge = await t.api.request('POST', '/admin/v1/auth/login', {
        body: { username: 'operator', password: 'x'.repeat(70 * 1024) },
      });
      expect([huge.status, huge.body.error.code]).toEqual([413, 'REQUEST.TOO_LARGE']);
    });
  });

  describe('session guard', () => {
    it.each([
      ['no header', undefined],
      ['not Bearer', { authorization: 'Basic b3BlcmF0b3I6eA==' }],
      ['malformed token', { authorization: 'Bearer short' }],
      ['unknown token', { authorization: `Bearer ${'A'.repeat(43)}` }],
    ])('refuses admin routes with %s: 401 ADMIN.UNAUTHENTICATED asking to sign in again', async (_case, headers) => {
      for (const [method, path] of [
        ['GET', '/admin/v1/auth/me'],
        ['GET', '/admin/v1/integrations'],
        ['POST', '/admin/v1/integrations'],
        ['GET', '/admin/v1/integrations/00000000-0000-4000-8000-000000000000/history'],
      ]) {
        const response = await t.api.request(method, path, {
          headers,
          body: method === 'POST' ? VALID_BODY : undefined,
        });
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('ADMIN.UNAUTHENTICATED');
        expect(response.body.error.message).toMatch(/Sign in again/);
      }
    });

    it('logout revokes the token; other sessions of the same admin stay valid', async () => {
      const token = await t.api.login(ADMIN.username, ADMIN.password);
      const other = await t.api.login(ADMIN.username, ADMIN.password);
      expect((await t.api.request('POST', '/admin/v1/auth/logout', { token })).status).toBe(204);
      const after = await t.api.request('GET', '/admin/v1/auth/me', { token });
      expect([after.status, after.body.error.code]).toEqual([401, 'ADMIN.UNAUTHENTICATED']);
      expect(after.body.error.message).toMatch(/session has ended/);
      expect((await t.api.request('GET', '/admin/v1/auth/me', { token: other })).status).toBe(200);
    });
  });

  describe('lockout (6 failures)', () => {
    it('locks after 6 wrong passwords: the right one gets the same 401 as a wrong one until the lock expires', async () => {
      let now = new Date();
      const short = await startTestGateway(mongoUrl, {
        lockout: { threshold: 6, durationMs: SHORT_LOCK_MS },
        clock: () => now,
      });
      try {
        const username = 'locked-op';
        await short.createAdmin(username);
        for (let attempt = 1; attempt <= 6; attempt += 1) {
          const response = await short.api.request('POST', '/admin/v1/auth/login', {
            body: { username, password: `wrong password ${attempt}` },
          });
          expect([response.status, response.body]).toEqual([401, INVALID_CREDENTIALS]);
        }
        const until = now.getTime() + SHORT_LOCK_MS;
        const account = await short.db.collection('admin_users').findOne({ _id: username as never });
        expect(account?.lockExpiresAt?.getTime()).toBe(until);
        // While locked, the right password gets exactly the answer of a wrong one: no oracle.
        const right = await short.api.request('POST', '/admin/v1/auth/login', {
          body: { username, password: ADMIN.password },
        });
        expect([right.status, right.body]).toEqual([401, INVALID_CREDENTIALS]);
        const wrong = await short.api.request('POST', '/admin/v1/auth/login', {
          body: { username, password: 'still wrong pw' },
        });
        expect([wrong.status, wrong.body]).toEqual([401, INVALID_CREDENTIALS]);

        now = new Date(until - 1);
        const stillLocked = await short.api.request('POST', '/admin/v1/auth/login', {
          body: { username, password: ADMIN.password },
        });
        expect([stillLocked.status, stillLocked.body]).toEqual([401, INVALID_CREDENTIALS]);
        now = new Date(until);
        const afterLock = await short.api.request('POST', '/admin/v1/auth/login', {
          body: { username, password: ADMIN.password },
        });
        expect(afterLock.status).toBe(200);
      } finally {
        await short.close();
      }
    });

    it('12 concurrent wrong passwords: all refused alike, the account locked, nothing recorded once it is', async () => {
      const username = 'burst-op';
      await t.createAdmin(username);
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          t.api.request('POST', '/admin/v1/auth/login', { body: { username, password: `burst wrong ${i}` } }),
        ),
      );
      expect(responses.map((r) => [r.status, r.body])).toEqual(Array(12).fill([401, INVALID_CREDENTIALS]));
      // Every attempt is recorded before its password is checked, except those that find the lock
      // already set (waiting it out must be enough to sign in again).
      const recorded = await t.db.collection('admin_password_failures').countDocuments({ username });
      expect(recorded).toBeGreaterThanOrEqual(7);
      expect(recorded).toBeLessThanOrEqual(12);
      const account = await t.db.collection('admin_users').findOne({ _id: username as never });
      expect(account?.lockExpiresAt?.getTime()).toBeGreaterThan(Date.now());
      const right = await t.api.request('POST', '/admin/v1/auth/login', {
        body: { username, password: ADMIN.password },
      });
      expect([right.status, right.body]).toEqual([401, INVALID_CREDENTIALS]);
    });

    it('a successful sign-in resets the count: 5 failures, success, 5 failures do not lock', async () => {
      const username = 'reset-op';
      await t.createAdmin(username);
      const fail = () =>
        t.api.request('POST', '/admin/v1/auth/login', { body: { username, password: 'a wrong password' } });
      for (let i = 0; i < 5; i += 1) expect((await fail()).status).toBe(401);
      await t.api.login(username, ADMIN.password);
      for (let i = 0; i < 5; i += 1) expect((await fail()).status).toBe(401);
      expect(
        (await t.api.request('POST', '/admin/v1/auth/login', { body: { username, password: ADMIN.password } })).status,
      ).toBe(200);
    });

    it('currentPassword: missing is 400, wrong is 403 and counts; the 6th locks and ends the session', async () => {
      const username = 'confirm-op';
      await t.createAdmin(username);
      const token = await t.api.login(username, ADMIN.password);

      const missing = await t.api.request('POST', '/admin/v1/integrations', { token, body: VALID_BODY });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({
        code: 'ADMIN.PASSWORD_REQUIRED',
        details: [{ field: 'currentPassword' }],
      });

      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const wrong = await t.api.request('POST', '/admin/v1/integrations', {
          token,
          body: { ...VALID_BODY, currentPassword: `nope ${attempt}` },
        });
        expect(wrong.status).toBe(403);
        expect(wrong.body.error).toMatchObject({
          code: 'ADMIN.PASSWORD_MISMATCH',
          message: 'You have entered an invalid password for current user.',
        });
      }
      const sixth = await t.api.request('PUT', '/admin/v1/integrations/00000000-0000-4000-8000-000000000000', {
        token,
        body: { ...VALID_BODY, currentPassword: 'nope 6' },
      });
      expect([sixth.status, sixth.body.error.code]).toEqual([423, 'ADMIN.LOCKED']);
      expect(sixth.body.error.message).toMatch(/signed out/);
      const me = await t.api.request('GET', '/admin/v1/auth/me', { token });
      expect([me.status, me.body.error.code]).toEqual([401, 'ADMIN.UNAUTHENTICATED']);
    });
  });

  it('an expired session is refused (inactivity timeout, controlled clock)', async () => {
    let now = new Date();
    const clocked = await startTestGateway(mongoUrl, { clock: () => now });
    try {
      const token = await clocked.api.login(ADMIN.username, ADMIN.password);
      now = new Date(now.getTime() + 600_000);
      expect((await clocked.api.request('GET', '/admin/v1/auth/me', { token })).status).toBe(200);
      // That use slid the expiry: 600 s of inactivity later it is still valid, 901 s later it is not.
      now = new Date(now.getTime() + 600_000);
      expect((await clocked.api.request('GET', '/admin/v1/auth/me', { token })).status).toBe(200);
      now = new Date(now.getTime() + 901_000);
      const expired = await clocked.api.request('GET', '/admin/v1/auth/me', { token });
      expect([expired.status, expired.body.error.code]).toEqual([401, 'ADMIN.UNAUTHENTICATED']);
      expect(expired.body.error.message).toMatch(/expired/);
    } finally {
      await clocked.close();
    }
  });

  it('serves the OpenAPI document and its page without a session, with no external assets', async () => {
    const json = await t.api.request('GET', '/admin/docs/openapi.json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toBe('3.1.0');
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/admin/v1/auth/login', '/admin/v1/integrations/{id}/history']),
    );
    const page = await t.api.request('GET', '/admin/docs', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('/admin/v1/integrations/{id}');
    expect(page.body).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[^"'<\s]*\.(js|css)/);
  });

  describe('admin:add CLI', () => {
    const cli = (args: string[], input: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
        const child = spawn(
          process.execPath,
          ['-r', '@swc-node/register', 'apps/gateway/src/cli/add-admin.ts', ...args],
          {
            env: { ...process.env, MONGO_URL: mongoUrl, GATEWAY_DB: t.gateway.config.database, ADMIN_NEW_PASSWORD: '' },
            stdio: ['pipe', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('error', fail);
        child.on('close', (code) => done({ code, stdout, stderr }));
        child.stdin.end(input);
      });

    it('adds an admin with a role from a piped password, refuses duplicates and weak passwords, --reset ends sessions', async () => {
      const added = await cli(['CLI-Op', '--role', 'integrations-manager'], 'cli pass phrase one\n');
      expect([added.code, added.stdout]).toEqual([
        0,
        expect.stringContaining('Admin "cli-op" (integrations-manager) created'),
      ]);
      expect(added.stdout + added.stderr).not.toContain('cli pass phrase one');
      const token = await t.api.login('cli-op', 'cli pass phrase one');
      expect((await t.api.request('GET', '/admin/v1/auth/me', { token })).body.role).toBe('integrations-manager');

      const duplicate = await cli(['cli-op', '--role', 'viewer'], 'cli pass phrase two\n');
      expect([duplicate.code, duplicate.stderr]).toEqual([1, expect.stringContaining('--reset')]);
      const weak = await cli(['weak-cli', '--role', 'viewer'], 'short\n');
      expect([weak.code, weak.stderr]).toEqual([1, expect.stringContaining('at least 12 characters')]);

      const reset = await cli(['cli-op', '--reset', '--role', 'viewer'], 'cli pass phrase two\n');
      expect([reset.code, reset.stdout]).toEqual([
        0,
        expect.stringMatching(/role integrations-manager -> viewer,.* 1 session\(s\) ended/),
      ]);
      expect((await t.api.request('GET', '/admin/v1/auth/me', { token })).status).toBe(401);
      const again = await t.api.login('cli-op', 'cli pass phrase two');
      expect((await t.api.request('GET', '/admin/v1/auth/me', { token: again })).body.role).toBe('viewer');

      // Each change is in the audit trail with the operator as its author, and no password.
      const audit = await t.db.collection('admin_audit').find({ username: 'cli-op' }).sort({ at: 1 }).toArray();
      expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
        ['account-created', expect.stringMatching(/^cli:/)],
        ['password-reset', expect.stringMatching(/^cli:/)],
        ['role-changed', expect.stringMatching(/^cli:/)],
      ]);
      expect(audit[2]?.changes).toEqual({ role: { from: 'integrations-manager', to: 'viewer' } });
      expect(JSON.stringify(audit)).not.toContain('pass phrase');
    });

    it.each([
      ['--help', 0, ['--help']],
      ['-h', 0, ['-h']],
      ['an unknown option', 64, ['someone', '--role', 'viewer', '--admin']],
      ['no role for a new admin', 64, ['someone']],
      ['an unknown role', 64, ['someone', '--role', 'superuser']],
      ['two usernames', 64, ['someone', 'else', '--role', 'viewer']],
    ])('%s: exits %i, creates nothing', async (_case, code, args) => {
      const run = await cli(args, 'a long enough password\n');
      expect(run.code).toBe(code);
      expect(code === 0 ? run.stdout : run.stderr).toContain('usage: npm run admin:add -- <username> --role <role>');
      expect(await t.db.collection('admin_users').countDocuments({ _id: 'someone' as never })).toBe(0);
    });
  });

  describe('bootstrap admin', () => {
    it.each([
      ['a terminal', true],
      ['a pipe or a container log', false],
    ])(
      'generates an admin once when none exists, writes it with mode 600, prints it only on %s',
      async (_where, interactive) => {
        const database = uniqueName('gw_boot');
        const credentialsFile = `tmp/${database}/admin-credentials.json`;
        const printed: string[] = [];
        const wasTty = process.stdout.isTTY;
        process.stdout.isTTY = interactive;
        const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
          printed.push(String(chunk));
          return true;
        });
        try {
          const first = await startTestGateway(mongoUrl, { database, bootstrapAdmin: undefined, credentialsFile });
          await first.stop();
          // A second start must neither regenerate nor print again.
          const second = await startTestGateway(mongoUrl, { database, bootstrapAdmin: undefined, credentialsFile });
          spy.mockRestore();
          process.stdout.isTTY = wasTty;
          const credentials = JSON.parse(await readFile(resolve(credentialsFile), 'utf8'));
          expect(credentials).toEqual({ username: 'admin', password: expect.stringMatching(/^[A-Za-z0-9]{24}$/) });
          expect((await stat(resolve(credentialsFile))).mode & 0o777).toBe(0o600);
          const banners = printed.filter((text) => text.includes('FIRST START'));
          expect(banners).toHaveLength(interactive ? 1 : 0);
          expect(printed.join('').includes(credentials.password)).toBe(interactive);
          await second.close();
        } finally {
          spy.mockRestore();
          process.stdout.isTTY = wasTty;
          await rm(dirname(resolve(credentialsFile)), { recursive: true, force: true });
        }
      },
    );

    it('the generated password must be replaced at the first sign-in, and then no longer works', async () => {
      const database = uniqueName('gw_boot_change');
      const credentialsFile = `tmp/${database}/admin-credentials.json`;
      const t2 = await startTestGateway(mongoUrl, { database, bootstrapAdmin: undefined, credentialsFile });
      try {
        const { password } = JSON.parse(await readFile(resolve(credentialsFile), 'utf8'));
        const plain = await t2.api.request('POST', '/admin/v1/auth/login', { body: { username: 'admin', password } });
        expect(plain.status).toBe(403);
        expect(plain.body.error).toMatchObject({
          code: 'ADMIN.PASSWORD_CHANGE_REQUIRED',
          details: [{ field: 'newPassword' }],
        });
        expect(await t2.db.collection('admin_sessions').countDocuments()).toBe(0);
        const weak = await t2.api.request('POST', '/admin/v1/auth/login', {
          body: { username: 'admin', password, newPassword: 'short' },
        });
        expect([weak.status, weak.body.error.code]).toEqual([400, 'ADMIN.NEW_PASSWORD_REJECTED']);
        const same = await t2.api.request('POST', '/admin/v1/auth/login', {
          body: { username: 'admin', password, newPassword: password },
        });
        expect([same.status, same.body.error.code]).toEqual([400, 'ADMIN.NEW_PASSWORD_REJECTED']);
        const changed = await t2.api.request('POST', '/admin/v1/auth/login', {
          body: { username: 'admin', password, newPassword: 'a password of my own' },
        });
        expect(changed.status).toBe(200);
        expect((await t2.api.request('GET', '/admin/v1/auth/me', { token: changed.body.accessToken })).status).toBe(
          200,
        );
        const old = await t2.api.request('POST', '/admin/v1/auth/login', { body: { username: 'admin', password } });
        expect([old.status, old.body]).toEqual([401, INVALID_CREDENTIALS]);
        expect(await t2.api.login('admin', 'a password of my own')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      } finally {
        await t2.close();
        await rm(dirname(resolve(credentialsFile)), { recursive: true, force: true });
      }
    });

    it('creates the configured admin once and never overwrites its password from the environment', async () => {
      const database = uniqueName('gw_boot_env');
      const first = await startTestGateway(mongoUrl, {
        database,
        bootstrapAdmin: { username: 'root-op', password: 'first password ok' },
      });
      await first.stop();
      const second = await startTestGateway(mongoUrl, {
        database,
        bootstrapAdmin: { username: 'root-op', password: 'second password ok' },
      });
      try {
        expect(await second.api.login('root-op', 'first password ok')).toBeTruthy();
        expect(
          (
            await second.api.request('POST', '/admin/v1/auth/login', {
              body: { username: 'root-op', password: 'second password ok' },
            })
          ).status,
        ).toBe(401);
      } finally {
        await second.close();
      }
    });

    it('refuses to start with a bootstrap password under 12 characters, saying why, and creates no admin', async () => {
      const database = uniqueName('gw_weak');
      await expect(
        startTestGateway(mongoUrl, { database, bootstrapAdmin: { username: 'weak-op', password: 'short' } }),
      ).rejects.toThrow(/ADMIN_USERNAME\/ADMIN_PASSWORD: The password must be at least 12 characters/);
      const db = await mongoose.createConnection(mongoUrl, { dbName: database }).asPromise();
      try {
        expect(await db.collection('admin_users').countDocuments()).toBe(0);
      } finally {
        await db.dropDatabase();
        await db.close();
      }
    });
  });
});
