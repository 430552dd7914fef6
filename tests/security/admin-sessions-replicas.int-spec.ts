import { uniqueName } from '@integrations/testing';
import { ADMIN, productionRateLimits, securityGateway } from './support/security-gateway';
import type { TestGateway } from '../../apps/gateway/test/support/gateway-harness';

jest.setTimeout(120_000);

/**
 * Two gateway replicas on one database (what N replicas behind a load balancer share): whatever ends
 * a session on one is in force on the other by the time the reply has been sent.
 */
describe('attack corpus: admin sessions across gateway replicas', () => {
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    const database = uniqueName('sec_replicas');
    a = await securityGateway({ database });
    b = await securityGateway({ database, bootstrapAdmin: undefined });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
  });

  const me = (t: TestGateway, token: string) => t.api.request('GET', '/admin/v1/auth/me', { token });

  it('a session logged out on one replica is refused by the other at once', async () => {
    const token = await a.api.login(ADMIN.username, ADMIN.password);
    for (let i = 0; i < 5; i += 1) expect((await me(b, token)).status).toBe(200);
    expect((await a.api.request('POST', '/admin/v1/auth/logout', { token })).status).toBe(204);
    const after = await me(b, token);
    expect([after.status, after.body.error.code]).toEqual([401, 'ADMIN.UNAUTHENTICATED']);
    expect(after.body.error.message).toMatch(/session has ended/);
  });

  it('a session ended by a lockout on one replica is refused by the other at once', async () => {
    await a.createAdmin('replica-op');
    const token = await a.api.login('replica-op', ADMIN.password);
    expect((await me(b, token)).status).toBe(200);
    let last;
    for (let i = 1; i <= 6; i += 1) {
      last = await a.api.request('POST', '/admin/v1/integrations', {
        token,
        body: { name: `never ${i}`, resourceAccess: 'all', currentPassword: `wrong password ${i}` },
      });
    }
    expect([last!.status, last!.body.error.code]).toEqual([423, 'ADMIN.LOCKED']);
    expect((await me(b, token)).status).toBe(401);
  });

  it('a session revoked by admin:add --reset (directly in the database) is refused by both replicas at once', async () => {
    const token = await b.api.login(ADMIN.username, ADMIN.password);
    expect((await me(a, token)).status).toBe(200);
    await a.db
      .collection('admin_sessions')
      .updateMany({ username: ADMIN.username }, { $set: { revokedAt: new Date() } });
    expect((await me(a, token)).status).toBe(401);
    expect((await me(b, token)).status).toBe(401);
  });

  it('the sign-in rate limit is shared: attempts alternating between the replicas meet one budget', async () => {
    const { loginPerAddress } = productionRateLimits();
    const database = uniqueName('sec_shared_limit');
    const x = await securityGateway({ database });
    const y = await securityGateway({ database, bootstrapAdmin: undefined });
    try {
      const statuses = [];
      for (let i = 0; i < loginPerAddress + 6; i += 1) {
        const replica = i % 2 === 0 ? x : y;
        const reply = await replica.api.request('POST', '/admin/v1/auth/login', {
          body: { username: `shared-${i}`, password: 'a guessed password' },
        });
        statuses.push(reply.status);
      }
      expect(statuses.filter((status) => status === 401)).toHaveLength(loginPerAddress);
      expect(statuses.slice(loginPerAddress)).toEqual(Array(6).fill(429));
    } finally {
      await y.stop();
      await x.close();
    }
  });
});
