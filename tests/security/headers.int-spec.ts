import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, securityGateway } from './support/security-gateway';

jest.setTimeout(60_000);

describe('attack corpus: response headers of the gateway', () => {
  it('fingerprinting: no X-Powered-By on any answer, nosniff on all of them', async () => {
    const t = await securityGateway();
    try {
      for (const path of ['/admin/v1/auth/me', '/admin/docs', '/no/such/route', '/oauth/token/request']) {
        const response = await fetch(`${t.gateway.url}${path}`);
        expect(response.headers.get('x-powered-by')).toBeNull();
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
    } finally {
      await t.close();
    }
  });

  it('fingerprinting and TLS stripping on the raw hot path: /rest and /auth/decision answers carry the same headers', async () => {
    // Port 9 (discard): nothing here may depend on a check service that another run left listening.
    const unreachable = 'http://127.0.0.1:9';
    const options = { oauthUrl: unreachable, aclUrl: unreachable };
    const withHsts = await securityGateway({ ...options, hstsMaxAgeSeconds: 31_536_000 });
    const without = await securityGateway(options);
    try {
      // A refused target (400 before any check), a refused decision (404 without the secret).
      for (const path of ['/rest/V1/cmsPage/%00', '/auth/decision']) {
        const hsts = await fetch(`${withHsts.gateway.url}${path}`);
        const plain = await fetch(`${without.gateway.url}${path}`);
        expect([hsts.status, plain.status]).toEqual(path === '/auth/decision' ? [404, 404] : [400, 400]);
        for (const response of [hsts, plain]) {
          expect(response.headers.get('x-powered-by')).toBeNull();
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        }
        expect(hsts.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
        expect(plain.headers.get('strict-transport-security')).toBeNull();
      }
    } finally {
      await withHsts.close();
      await without.close();
    }
  });

  it('content injection into /admin/: every admin API answer forbids loading, running and framing anything', async () => {
    const t = await securityGateway();
    try {
      const token = await t.api.login(ADMIN.username, ADMIN.password);
      for (const response of [
        await fetch(`${t.gateway.url}/admin/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }),
        await fetch(`${t.gateway.url}/admin/v1/integrations?name=%3Cscript%3E`),
      ]) {
        expect(response.headers.get('content-security-policy')).toBe(
          "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        );
      }
    } finally {
      await t.close();
    }
  });

  it('TLS stripping: HSTS is sent when the deployment sets GATEWAY_HSTS_MAX_AGE_SECONDS, and only then', async () => {
    const withHsts = await securityGateway({ hstsMaxAgeSeconds: 31_536_000 });
    const without = await securityGateway();
    try {
      expect((await fetch(`${withHsts.gateway.url}/admin/v1/auth/me`)).headers.get('strict-transport-security')).toBe(
        'max-age=31536000; includeSubDomains',
      );
      expect(
        (await fetch(`${without.gateway.url}/admin/v1/auth/me`)).headers.get('strict-transport-security'),
      ).toBeNull();
    } finally {
      await withHsts.close();
      await without.close();
    }
  });

  it('source disclosure: a UI build that contains source maps is served without them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>admin</title>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1);\n//# sourceMappingURL=app-1234.js.map');
    writeFileSync(join(dir, 'assets', 'app-1234.js.map'), '{"version":3,"sources":["secret.ts"]}');
    const previous = process.env.ADMIN_UI_DIR;
    process.env.ADMIN_UI_DIR = dir;
    const t = await securityGateway();
    try {
      expect((await fetch(`${t.gateway.url}/admin/assets/app-1234.js`)).status).toBe(200);
      const map = await fetch(`${t.gateway.url}/admin/assets/app-1234.js.map`);
      expect(map.status).toBe(404);
      expect(await map.text()).not.toContain('secret.ts');
      const page = await fetch(`${t.gateway.url}/admin/`);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    } finally {
      await t.close();
      if (previous === undefined) delete process.env.ADMIN_UI_DIR;
      else process.env.ADMIN_UI_DIR = previous;
    }
  });
});
