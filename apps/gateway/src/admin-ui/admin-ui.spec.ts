import { Controller, Get, Module } from '@nestjs/common';
import { createLogger, startHttpService, type RunningService } from '@integrations/service-kit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminUiConfig, loadAdminUiConfig } from './admin-ui.config';
import { IMMUTABLE, REVALIDATE, routeUiRequest } from './admin-ui.files';
import { AdminUiModule } from './admin-ui.module';

// Stand-ins for the admin API and docs, registered AFTER the UI module: the UI must not shadow them.
@Controller('admin/v1')
class PingController {
  @Get('ping')
  ping() {
    return { pong: true };
  }
}
@Controller('admin/docs')
class DocsController {
  @Get()
  docs() {
    return { docs: true };
  }
}

describe('admin UI served by the gateway at /admin/', () => {
  let parent: string;
  let root: string;
  let service: RunningService;
  const get = (path: string, init?: RequestInit) => fetch(`${service.url}${path}`, { redirect: 'manual', ...init });

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'admin-ui-'));
    writeFileSync(join(parent, 'secret.txt'), 'TOP-SECRET');
    root = join(parent, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'assets', 'index-AbC123.js'), 'console.log("app")');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    @Module({
      imports: [AdminUiModule.forRoot(new AdminUiConfig(root))],
      controllers: [PingController, DocsController],
    })
    class TestModule {}
    service = await startHttpService(TestModule, {
      service: 'gateway-test',
      logger: createLogger('test', 'silent'),
      port: 0,
      metrics: false,
    });
  });
  afterAll(async () => {
    await service?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('answers 503 with build instructions until the UI is built, then serves it without a restart', async () => {
    const before = await get('/admin/integrations/new');
    expect(before.status).toBe(503);
    expect(before.headers.get('cache-control')).toBe('no-store');
    expect(await before.text()).toContain('npm run build:admin-ui');

    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Admin</title>');
    const after = await get('/admin/');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('<title>Admin</title>');
  });

  it('serves index.html for client-side routes, revalidated, with a restrictive CSP', async () => {
    for (const path of ['/admin/', '/admin/integrations/new', '/admin/oauth/success?oauth_consumer_key=x']) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe(REVALIDATE);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('redirects /admin to /admin/, keeping the query', async () => {
    const response = await get('/admin?x=1');
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/admin/?x=1');
  });

  it('serves hashed assets as immutable, and a missing asset as a 404 instead of the HTML page', async () => {
    const asset = await get('/admin/assets/index-AbC123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(await asset.text()).toBe('console.log("app")');

    const missing = await get('/admin/assets/index-Old999.js');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ROUTE.NOT_FOUND');
  });

  it('leaves /admin/v1 and /admin/docs to their controllers; an unknown API path is a JSON 404, never the UI', async () => {
    expect(await (await get('/admin/v1/ping')).json()).toEqual({ pong: true });
    expect(await (await get('/admin/docs')).json()).toEqual({ docs: true });
    const unknown = await get('/admin/v1/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/json/);
  });

  it('never serves files outside the build folder or hidden files', async () => {
    // Sent byte for byte: fetch() would normalise the dot segments away before sending.
    const raw = (path: string) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const { hostname, port } = new URL(service.url);
        request({ hostname, port, path }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        })
          .on('error', fail)
          .end();
      });
    for (const path of [
      '/admin/../secret.txt',
      '/admin/%2e%2e/secret.txt',
      '/admin/..%2fsecret.txt',
      '/admin/assets/..%2f..%2fsecret.txt',
    ]) {
      const response = await raw(path);
      expect([path, response.status === 400 || response.status === 404]).toEqual([path, true]);
      expect(response.body).not.toContain('TOP-SECRET');
    }
    expect((await raw('/admin/.env')).status).toBe(404);
  });

  it('does not answer other methods', async () => {
    expect((await get('/admin/', { method: 'POST' })).status).toBe(404);
  });
});

describe('routeUiRequest', () => {
  const root = '/srv/ui';
  it('maps paths to files, fallbacks and pass-throughs', () => {
    expect(routeUiRequest(root, '/admin/assets/a-1.css')).toEqual({
      kind: 'file',
      path: '/srv/ui/assets/a-1.css',
      cacheControl: IMMUTABLE,
      fallback: false,
    });
    expect(routeUiRequest(root, '/admin/settings')).toEqual({
      kind: 'file',
      path: '/srv/ui/settings',
      cacheControl: REVALIDATE,
      fallback: true,
    });
    expect(routeUiRequest(root, '/admin/v1/integrations')).toEqual({ kind: 'pass' });
    expect(routeUiRequest(root, '/administrator')).toEqual({ kind: 'pass' });
    expect(routeUiRequest(root, '/rest/V1/products')).toEqual({ kind: 'pass' });
    expect(routeUiRequest(root, '/admin/%E0%A4%A')).toEqual({ kind: 'bad-request' });
  });

  it('resolves ADMIN_UI_DIR against the working directory', () => {
    expect(loadAdminUiConfig({}, '/repo').dir).toBe('/repo/apps/admin-ui/dist');
    expect(loadAdminUiConfig({ ADMIN_UI_DIR: '/opt/ui' }, '/repo').dir).toBe('/opt/ui');
    expect(() => loadAdminUiConfig({ ADMIN_UI_DIR: '  ' }, '/repo')).toThrow(/ADMIN_UI_DIR/);
  });
});
