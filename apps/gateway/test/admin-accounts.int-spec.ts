import { getTestInfra, uniqueName } from '@integrations/testing';
import pino from 'pino';
import { ChangeAdminAccountHandler } from '../src/admin-accounts/change-admin-account';
import { AdminAccountsStore } from '../src/admin-auth/admin-accounts.store';
import { AdminAuditStore } from '../src/admin-auth/admin-audit.store';
import { adminAuthModels } from '../src/admin-auth/admin-auth.models';
import type { AdminAuthService, AdminPrincipal } from '../src/admin-auth/admin-auth.service';
import { AdminSessionsStore } from '../src/admin-auth/admin-sessions.store';
import { hashPassword } from '../src/admin-auth/password-hashing';
import { ADMIN, startTestGateway, type TestGateway } from './support/gateway-harness';

/**
 * Admin accounts and roles on two gateway replicas sharing one database (FerretDB, real HTTP): what
 * an administrator changes on one replica is in force at the next request on the other, because
 * both read the session and its account on every request. No registry or config service here:
 * a route the role allows goes on to its (absent) upstream and answers 503, one it refuses answers
 * 403 before that, which is what tells them apart.
 */
jest.setTimeout(120_000);

const PASSWORD = ADMIN.password;
const FORBIDDEN = expect.objectContaining({ code: 'ADMIN.FORBIDDEN' });

describe('admin accounts and roles (two gateway replicas, one database)', () => {
  let a: TestGateway;
  let b: TestGateway;
  let database: string;
  let mongoUrl: string;
  const tokens: Record<string, string> = {};

  const admin = (t: TestGateway, who: string) => ({
    get: (path: string) => t.api.request('GET', path, { token: tokens[who] }),
    patch: (path: string, body: unknown) => t.api.request('PATCH', path, { token: tokens[who], body }),
  });

  beforeAll(async () => {
    mongoUrl = (await getTestInfra()).mongoUrl;
    database = uniqueName('gw_roles');
    a = await startTestGateway(mongoUrl, { database });
    b = await startTestGateway(mongoUrl, { database });
    await a.createAdmin('second-admin', PASSWORD, 'administrator');
    await a.createAdmin('manny', PASSWORD, 'integrations-manager');
    await a.createAdmin('vera', PASSWORD, 'viewer');
    for (const who of [ADMIN.username, 'second-admin', 'manny', 'vera']) tokens[who] = await a.api.login(who, PASSWORD);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
  });

  it('the bootstrap admin is an administrator; /me says each role and what it allows', async () => {
    const me = await admin(b, ADMIN.username).get('/admin/v1/auth/me');
    expect(me.body).toMatchObject({ username: ADMIN.username, role: 'administrator', interfaceLocale: null });
    expect(me.body.permissions).toContain('admins:manage');
    expect((await admin(b, 'manny').get('/admin/v1/auth/me')).body.permissions).toEqual([
      'integrations:read',
      'integrations:write',
      'config:read',
      'config:write',
    ]);
    expect((await admin(b, 'vera').get('/admin/v1/auth/me')).body).toMatchObject({
      role: 'viewer',
      permissions: ['integrations:read'],
    });
  });

  it('lists the accounts to administrators only, without passwords', async () => {
    const list = await admin(a, ADMIN.username).get('/admin/v1/admins');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { username: string; role: string }) => [item.username, item.role])).toEqual([
      ['manny', 'integrations-manager'],
      [ADMIN.username, 'administrator'],
      ['second-admin', 'administrator'],
      ['vera', 'viewer'],
    ]);
    expect(list.body.items[0]).toEqual({
      username: 'manny',
      role: 'integrations-manager',
      disabled: false,
      disabledAt: null,
      lockedUntil: null,
      createdAt: expect.any(String),
      passwordChangedAt: expect.any(String),
      interfaceLocale: null,
    });
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash/);
    for (const who of ['manny', 'vera']) {
      const refused = await admin(b, who).get('/admin/v1/admins');
      expect([refused.status, refused.body.error]).toEqual([403, FORBIDDEN]);
      expect(refused.body.error.details).toEqual({
        role: who === 'manny' ? 'integrations-manager' : 'viewer',
        permission: 'admins:manage',
      });
      expect((await admin(b, who).get('/admin/v1/admins/audit')).status).toBe(403);
    }
  });

  it('refuses a change from a non-administrator before reading its body or its password: nothing changes', async () => {
    const failuresBefore = await a.db.collection('admin_password_failures').countDocuments();
    const auditBefore = await a.db.collection('admin_audit').countDocuments();
    const refused = await admin(b, 'manny').patch('/admin/v1/admins/vera', {
      role: 'administrator',
      currentPassword: 'not even the right password',
    });
    expect([refused.status, refused.body.error]).toEqual([403, FORBIDDEN]);
    const malformed = await admin(b, 'vera').patch('/admin/v1/admins/manny', { nonsense: true });
    expect(malformed.status).toBe(403);
    expect((await admin(a, 'vera').get('/admin/v1/auth/me')).body.role).toBe('viewer');
    expect(await a.db.collection('admin_password_failures').countDocuments()).toBe(failuresBefore);
    expect(await a.db.collection('admin_audit').countDocuments()).toBe(auditBefore);
  });

  it.each([
    ['an unknown role', { role: 'superuser', currentPassword: PASSWORD }, 400, 'REQUEST.INVALID'],
    ['an unknown field', { role: 'viewer', admin: true, currentPassword: PASSWORD }, 400, 'REQUEST.INVALID'],
    ['nothing to change', { currentPassword: PASSWORD }, 400, 'REQUEST.INVALID'],
    ['no password', { role: 'viewer' }, 400, 'REQUEST.INVALID'],
    ['a wrong password', { role: 'viewer', currentPassword: 'not my password at all' }, 403, 'ADMIN.PASSWORD_MISMATCH'],
  ])('refuses %s and changes nothing', async (_case, body, status, code) => {
    const reply = await admin(a, ADMIN.username).patch('/admin/v1/admins/manny', body);
    expect([reply.status, reply.body.error.code]).toEqual([status, code]);
    expect((await admin(a, 'manny').get('/admin/v1/auth/me')).body.role).toBe('integrations-manager');
    // A right password forgets the failure the wrong one recorded (the lockout's own rule).
    if (code === 'ADMIN.PASSWORD_MISMATCH') await a.api.login(ADMIN.username, PASSWORD);
  });

  it('refuses changing oneself and unknown accounts', async () => {
    const self = await admin(a, ADMIN.username).patch(`/admin/v1/admins/${ADMIN.username}`, {
      role: 'viewer',
      currentPassword: PASSWORD,
    });
    expect([self.status, self.body.error.code]).toEqual([409, 'ADMIN.SELF_CHANGE']);
    const unknown = await admin(a, ADMIN.username).patch('/admin/v1/admins/nobody-here', {
      disabled: true,
      currentPassword: PASSWORD,
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'ADMIN.NOT_FOUND']);
  });

  it('a demotion made on one replica is in force at the next request on the other, and is audited', async () => {
    // Allowed: goes on to the (absent) config service.
    expect((await admin(b, 'manny').get('/admin/v1/config')).status).toBe(503);
    const changed = await admin(a, ADMIN.username).patch('/admin/v1/admins/manny', {
      role: 'viewer',
      currentPassword: PASSWORD,
    });
    expect([changed.status, changed.body.role]).toEqual([200, 'viewer']);
    const refused = await admin(b, 'manny').get('/admin/v1/config');
    expect([refused.status, refused.body.error]).toEqual([403, FORBIDDEN]);
    expect((await admin(b, 'manny').get('/admin/v1/auth/me')).body.role).toBe('viewer');

    const audit = await admin(b, 'second-admin').get('/admin/v1/admins/audit?pageSize=1');
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ page: 1, pageSize: 1, total: expect.any(Number) });
    expect(audit.body.items).toEqual([
      {
        at: expect.any(String),
        actor: ADMIN.username,
        action: 'role-changed',
        username: 'manny',
        changes: { role: { from: 'integrations-manager', to: 'viewer' } },
      },
    ]);
  });

  it('disabling an account ends its sessions on every replica at once and refuses its sign-in like a wrong password; enabling lets it back', async () => {
    expect((await admin(b, 'vera').get('/admin/v1/auth/me')).status).toBe(200);
    const disabled = await admin(a, 'second-admin').patch('/admin/v1/admins/vera', {
      disabled: true,
      currentPassword: PASSWORD,
    });
    expect(disabled.body).toMatchObject({ username: 'vera', disabled: true, disabledAt: expect.any(String) });
    const ended = await admin(b, 'vera').get('/admin/v1/auth/me');
    expect([ended.status, ended.body.error.code]).toEqual([401, 'ADMIN.UNAUTHENTICATED']);
    const signIn = await b.api.request('POST', '/admin/v1/auth/login', {
      body: { username: 'vera', password: PASSWORD },
    });
    const wrong = await b.api.request('POST', '/admin/v1/auth/login', {
      body: { username: 'vera', password: 'not her password, surely' },
    });
    expect([signIn.status, signIn.body]).toEqual([wrong.status, wrong.body]);
    expect(signIn.body.error.code).toBe('ADMIN.INVALID_CREDENTIALS');

    const enabled = await admin(b, ADMIN.username).patch('/admin/v1/admins/vera', {
      disabled: false,
      currentPassword: PASSWORD,
    });
    expect(enabled.body).toMatchObject({ disabled: false, disabledAt: null });
    tokens.vera = await b.api.login('vera', PASSWORD);
    const actions = (await admin(a, ADMIN.username).get('/admin/v1/admins/audit')).body.items
      .filter((entry: { username: string }) => entry.username === 'vera')
      .map((entry: { action: string; actor: string }) => [entry.action, entry.actor]);
    expect(actions.slice(0, 2)).toEqual([
      ['account-enabled', ADMIN.username],
      ['account-disabled', 'second-admin'],
    ]);
  });

  it('two administrators demoting each other at once never leave the platform without one', async () => {
    await a.createAdmin('duel-one', PASSWORD, 'administrator');
    await a.createAdmin('duel-two', PASSWORD, 'administrator');
    // Only these two stay administrators, so both demotions together would leave none.
    const others = [ADMIN.username, 'second-admin'] as never[];
    await a.db
      .collection('admin_users')
      .updateMany({ _id: { $in: others } }, { $set: { role: 'integrations-manager' } });
    const one = await a.api.login('duel-one', PASSWORD);
    const two = await b.api.login('duel-two', PASSWORD);
    const [first, second] = await Promise.all([
      a.api.request('PATCH', '/admin/v1/admins/duel-two', {
        token: one,
        body: { role: 'viewer', currentPassword: PASSWORD },
      }),
      b.api.request('PATCH', '/admin/v1/admins/duel-one', {
        token: two,
        body: { role: 'viewer', currentPassword: PASSWORD },
      }),
    ]);
    const outcomes = [first, second].map((reply) => (reply.status === 200 ? 200 : reply.body.error.code));
    process.stdout.write(`[roles] two administrators demoting each other at once: ${JSON.stringify(outcomes)}\n`);
    expect(outcomes.filter((outcome) => outcome === 200).length).toBeLessThanOrEqual(1);
    for (const outcome of outcomes) expect([200, 'ADMIN.LAST_ADMINISTRATOR', 'ADMIN.FORBIDDEN']).toContain(outcome);
    const administrators = await a.db
      .collection('admin_users')
      .countDocuments({ role: 'administrator', disabledAt: null });
    expect(administrators).toBeGreaterThanOrEqual(1);
    // Put the suite's administrators back for the tests after this one.
    await a.db.collection('admin_users').updateMany({ _id: { $in: others } }, { $set: { role: 'administrator' } });
  });

  it("keeps each admin's interface locale on the account, across sessions and replicas", async () => {
    const set = await admin(a, 'vera').patch('/admin/v1/auth/me', { interfaceLocale: 'fr-FR' });
    expect([set.status, set.body.interfaceLocale]).toEqual([200, 'fr-FR']);
    const later = await b.api.login('vera', PASSWORD);
    expect((await b.api.request('GET', '/admin/v1/auth/me', { token: later })).body.interfaceLocale).toBe('fr-FR');
    const refused = await admin(a, 'vera').patch('/admin/v1/auth/me', { interfaceLocale: 'de-DE' });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'REQUEST.INVALID']);
    expect(refused.body.error.message).toContain('en-US, fr-FR');
    const cleared = await admin(b, 'vera').patch('/admin/v1/auth/me', { interfaceLocale: null });
    expect(cleared.body.interfaceLocale).toBeNull();
  });

  it('an account from before roles becomes an administrator at the next start, recorded by "system"', async () => {
    await a.db.collection('admin_users').insertOne({
      _id: 'old-timer' as never,
      passwordHash: await hashPassword(PASSWORD),
      lockExpiresAt: null,
      createdAt: new Date(),
      passwordChangedAt: new Date(),
    });
    const c = await startTestGateway(mongoUrl, { database });
    try {
      const token = await c.api.login('old-timer', PASSWORD);
      expect((await c.api.request('GET', '/admin/v1/auth/me', { token })).body.role).toBe('administrator');
      expect(await c.db.collection('admin_users').findOne({ _id: 'old-timer' as never })).toMatchObject({
        role: 'administrator',
      });
      expect(
        await c.db.collection('admin_audit').findOne({ username: 'old-timer', action: 'role-changed' }),
      ).toMatchObject({ actor: 'system', changes: { role: { from: null, to: 'administrator' } } });
    } finally {
      await c.stop();
    }
  });

  it('undoes a change that leaves no enabled administrator (the actor demoted meanwhile) and says why', async () => {
    await a.createAdmin('last-one', PASSWORD, 'administrator');
    await a.createAdmin('acting', PASSWORD, 'administrator');
    const others = [ADMIN.username, 'second-admin', 'duel-one', 'duel-two', 'old-timer'] as never[];
    await a.db.collection('admin_users').updateMany({ _id: { $in: others } }, { $set: { role: 'viewer' } });
    const models = adminAuthModels(a.db);
    const accounts = new AdminAccountsStore(models.accounts);
    // The interleaving a second administrator's request produces: between this change's reads and its
    // write, someone demotes the acting administrator.
    const auth = {
      confirmCurrentPassword: async () => {
        await accounts.setRole('acting', 'viewer');
      },
    } as unknown as AdminAuthService;
    const handler = new ChangeAdminAccountHandler(
      accounts,
      new AdminSessionsStore(models.sessions),
      new AdminAuditStore(models.audit),
      auth,
      () => new Date(),
      pino({ level: 'silent' }),
    );
    const actor = { username: 'acting', role: 'administrator' } as AdminPrincipal;
    await expect(
      handler.execute(actor, 'last-one', { role: 'viewer', currentPassword: PASSWORD }),
    ).rejects.toMatchObject({ code: 'ADMIN.LAST_ADMINISTRATOR', status: 409 });
    expect((await accounts.find('last-one'))?.role).toBe('administrator');
    expect(await a.db.collection('admin_audit').countDocuments({ username: 'last-one', action: 'role-changed' })).toBe(
      0,
    );
    await a.db.collection('admin_users').updateMany({ _id: { $in: others } }, { $set: { role: 'administrator' } });
  });
});
