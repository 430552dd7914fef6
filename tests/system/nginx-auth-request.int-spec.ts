import { freePort, type IntegrationCredentials, oauthAuthorization, waitFor } from '@integrations/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTH_DECISION_SECRET_EXAMPLE } from '../../apps/gateway/src/gateway.env';
import {
  activeIntegration,
  anonymousCall,
  type GatewayStack,
  notAuthorized,
  signedRequest,
  startGatewayStack,
} from './support/gateway-stack';

/**
 * docs/nginx/nginx.conf run by the real (Debian) nginx, its auth_request asking the real gateway's
 * GET /auth/decision (oauth verification + acl decision) before proxying to the commerce API.
 */
jest.setTimeout(120_000);

let stack: GatewayStack;
let nginx: ChildProcess;
let nginxUrl: string;
let credentials: IntegrationCredentials;
let integrationId: string;
const prefixDir = join(tmpdir(), `nginx-gw-it-${process.pid}-${Date.now().toString(36)}`);
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

const decisionSecret = randomBytes(32).toString('hex');

beforeAll(async () => {
  stack = await startGatewayStack('gwnginx', { gateway: { authDecisionSecret: decisionSecret } });
  ({ id: integrationId, credentials } = await activeIntegration(stack, 'Nginx', ['Magento_Catalog::products']));

  const port = await freePort();
  mkdirSync(join(prefixDir, 'logs'), { recursive: true });
  const config = readFileSync('docs/nginx/nginx.conf', 'utf8')
    .replace('server 127.0.0.1:8080;', `server ${new URL(stack.base).host};`)
    .replace('server 127.0.0.1:3010;', `server ${new URL(stack.commerce.url).host};`)
    .replace('listen 127.0.0.1:8088;', `listen 127.0.0.1:${port};`)
    .replace('worker_processes auto;', 'worker_processes 1;')
    .replace(`"${AUTH_DECISION_SECRET_EXAMPLE}";  # SECRET`, `"${decisionSecret}";`);
  expect(config).toContain(decisionSecret);
  expect(config).toContain(`listen 127.0.0.1:${port};`);
  writeFileSync(join(prefixDir, 'nginx.conf'), config);
  // `daemon off;` is in the file: nginx stays our child and dies with the test.
  nginx = spawn(NGINX, ['-p', prefixDir, '-e', 'stderr', '-c', join(prefixDir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  nginx.on('error', (error) => {
    throw new Error(`Could not start nginx (${error.message}); install the Debian package: apt-get install nginx`);
  });
  nginxUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(nginxUrl).catch(() => null)) !== null, { message: 'nginx listening' });
}, 300_000);

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  rmSync(prefixDir, { recursive: true, force: true });
  await stack?.close();
}, 120_000);

describe('NGINX auth_request against the gateway (docs/nginx/nginx.conf)', () => {
  it("lets a call signed for NGINX's URL through to the commerce API, with the integration id and raw path", async () => {
    stack.upstreamSaw.length = 0;
    const reply = await signedRequest(nginxUrl, credentials, 'GET', '/rest/default/V1/products/ABC%2F10?fields=sku');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ sku: 'ABC/10' });
    expect(reply.headers.get('x-seen-integration-id')).toBe(integrationId);
    expect(stack.upstreamSaw).toEqual([
      { method: 'GET', url: '/rest/default/V1/products/ABC%2F10?fields=sku', integrationId },
    ]);
  });

  it('stops a call without the resource with 403 and Magento body; the commerce API never sees it', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await signedRequest(nginxUrl, credentials, 'GET', '/rest/V1/orders');
    expect(reply).toMatchObject({ status: 403, body: notAuthorized('Magento_Sales::actions_view') });
    expect(stack.upstreamSaw).toEqual([]);
  });

  it("refuses a signature made for the gateway's own address: the signed URL is the one the client called", async () => {
    stack.upstreamSaw.length = 0;
    const gatewayUrl = `${stack.base}/rest/V1/products`;
    const response = await fetch(`${nginxUrl}/rest/V1/products`, {
      headers: { authorization: oauthAuthorization('GET', gatewayUrl, credentials) },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(notAuthorized('Magento_Catalog::products'));
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('refuses a target that is not in normal form (searc%68): NGINX forwards the raw bytes, so only those are decided', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await signedRequest(nginxUrl, credentials, 'GET', '/rest/V1/product%73');
    expect(reply.status).toBe(401);
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('answers 401 to anonymous callers and 404 to unknown routes, never reaching the commerce API', async () => {
    stack.upstreamSaw.length = 0;
    expect(await anonymousCall(nginxUrl, 'GET', '/rest/V1/products')).toMatchObject({
      status: 401,
      body: notAuthorized('Magento_Catalog::products'),
    });
    expect(await signedRequest(nginxUrl, credentials, 'GET', '/rest/V1/nothing-here')).toMatchObject({
      status: 404,
      body: { message: 'Request does not match any route.' },
    });
    expect(stack.upstreamSaw).toEqual([]);
  });
});
