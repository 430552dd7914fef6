import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toCloudEvent, type ContractEvent } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, type MessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { getTestInfra, uniqueName, waitFor, type TestInfra } from '@integrations/testing';
import { startAcl, type RunningAcl } from '../start';

/**
 * docs/nginx/nginx.conf, run by the real (Debian) nginx, in front of a recording stand-in of the
 * commerce API (it answers every call with what it received), asking a stand-in of the gateway's
 * `GET /auth/decision` that follows the contract of docs/nginx-auth-request.md but skips the OAuth
 * signature (the caller is `Authorization: Test <id>`).
 * Decisions come from a real acl service fed over Kafka.
 */
jest.setTimeout(120_000);

let infra: TestInfra;
const run = uniqueName('acl_nginx_it');
const integrationId = `int-nginx-${run}`;
let upstream: Server;
let acl: RunningAcl;
let bus: MessageBus;
let gatewayStub: Server;
let nginx: ChildProcess;
let nginxUrl: string;
let lastAuthRequest: Record<string, string | undefined> = {};
const upstreamSaw: Array<{ method: string; url: string; integrationId: string | null }> = [];
const prefixDir = join(tmpdir(), `nginx-${run}`);
const database = run;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  infra = await getTestInfra();
  upstream = createServer((req, res) => {
    const integrationId = typeof req.headers['x-integration-id'] === 'string' ? req.headers['x-integration-id'] : null;
    const seen = { method: req.method ?? '', url: req.url ?? '', integrationId };
    upstreamSaw.push(seen);
    res.writeHead(200, { 'content-type': 'application/json', 'x-seen-integration-id': integrationId ?? '' });
    res.end(JSON.stringify(seen));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  acl = await startAcl({
    KAFKA_BROKERS: infra.kafkaBrokers,
    MONGO_URL: infra.mongoUrl,
    ACL_DB: database,
    ACL_TOPIC_PREFIX: `${run}.`,
    ACL_PORT: 0,
    logger: createLogger('acl-test', process.env.TEST_LOG_LEVEL ?? 'warn'),
  });
  bus = createKafkaMessageBus({
    brokers: infra.kafkaBrokers,
    clientId: `acl-nginx-it-${run}`,
    logLevel: 'error',
  });
  await bus.connect();
  const events: ContractEvent[] = [
    {
      type: 'IntegrationCreated',
      payload: {
        integrationId,
        name: integrationId,
        email: null,
        callbackUrl: null,
        identityLinkUrl: null,
        resourceAccess: 'custom',
        resources: ['Magento_Catalog::products'],
        setupType: 'manual',
        insecure: false,
      },
    },
    { type: 'IntegrationActivated', payload: { integrationId, mode: 'tokens' } },
  ];
  for (const [index, event] of events.entries()) {
    const cloudEvent = toCloudEvent(
      {
        streamId: integrationId,
        version: index + 1,
        type: event.type,
        payload: event.payload,
        timestamp: new Date(),
        metadata: { eventId: randomUUID(), correlationId: run },
      },
      '/integrations/test',
    );
    await bus.publish(acl.topics.integration, [{ key: integrationId, value: JSON.stringify(cloudEvent) }]);
  }

  gatewayStub = createServer((req, res) => {
    lastAuthRequest = {
      method: req.headers['x-original-method'] as string,
      uri: req.headers['x-original-uri'] as string,
      host: req.headers['x-forwarded-host'] as string,
      port: req.headers['x-forwarded-port'] as string,
      proto: req.headers['x-forwarded-proto'] as string,
      contentLength: req.headers['content-length'],
    };
    const auth = req.headers.authorization;
    const caller = auth?.startsWith('Test ') ? auth.slice(5) : null;
    fetch(`${acl.url}/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: lastAuthRequest.method, path: lastAuthRequest.uri, integrationId: caller }),
    })
      .then((response) => response.json() as Promise<{ decision: string; status: number; resources: string[] }>)
      .then((decision) => {
        if (decision.decision === 'allow') res.writeHead(200, { 'x-integration-id': caller ?? '' }).end();
        else
          res
            .writeHead(decision.status === 401 ? 401 : 403, {
              'x-acl-status': String(decision.status),
              'x-acl-resources': decision.resources.join(', '),
            })
            .end();
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => gatewayStub.listen(0, '127.0.0.1', resolve));

  const nginxPort = await freePort();
  mkdirSync(join(prefixDir, 'logs'), { recursive: true });
  const config = readFileSync('docs/nginx/nginx.conf', 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${(gatewayStub.address() as AddressInfo).port};`)
    .replace('server 127.0.0.1:3010;', `server 127.0.0.1:${(upstream.address() as AddressInfo).port};`)
    .replace('listen 127.0.0.1:8088;', `listen 127.0.0.1:${nginxPort};`)
    .replace('worker_processes auto;', 'worker_processes 1;');
  expect(config).toContain(`listen 127.0.0.1:${nginxPort};`);
  writeFileSync(join(prefixDir, 'nginx.conf'), config);
  nginx = spawn('nginx', ['-p', prefixDir, '-e', 'stderr', '-c', join(prefixDir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  nginx.on('error', (error) => {
    throw new Error(`Could not start nginx (${error.message}); install the Debian package: apt-get install nginx`);
  });
  nginxUrl = `http://127.0.0.1:${nginxPort}`;
  await waitFor(async () => (await fetch(nginxUrl).catch(() => null)) !== null, { timeoutMs: 10_000 });
  await waitFor(
    async () =>
      ((await fetch(`${acl.url}/integrations/${integrationId}/grants`).then((r) => r.json())) as { status?: string })
        ?.status === 'active',
    { timeoutMs: 10_000 },
  );
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await exited;
  }
  await new Promise((resolve) => gatewayStub?.close(resolve));
  await bus?.disconnect();
  await acl?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(prefixDir, { recursive: true, force: true });
  const mongo = await connectMongo(infra.mongoUrl, database);
  await mongo.db?.dropDatabase();
  await mongo.close();
});

/** curl, because fetch() normalises `..` out of a URL before sending it. */
async function call(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; seen: string | null }> {
  upstreamSaw.length = 0;
  const args = [
    '-s',
    '--path-as-is',
    '-D',
    '-',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    `${nginxUrl}${path}`,
  ];
  const { stdout } = await promisify(execFile)('curl', args);
  const [head, ...rest] = stdout.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const seen = /\r\nx-seen-integration-id: ([^\r]*)/i.exec(head)?.[1] ?? null;
  return { status, body: rest.join('\r\n\r\n'), seen };
}

const asIntegration = { authorization: `Test ${integrationId}` };
const notAuthorized = (resources: string) =>
  JSON.stringify({ message: "The consumer isn't authorized to access %resources.", parameters: { resources } });

describe('NGINX auth_request (docs/nginx/nginx.conf)', () => {
  it('lets an allowed call through with the integration id, raw path (encoded slash) and query', async () => {
    const response = await call('/rest/default/V1/products/ABC%2F10?fields=sku', asIntegration);
    expect(response).toMatchObject({ status: 200, seen: integrationId });
    expect(upstreamSaw).toEqual([
      { method: 'GET', url: '/rest/default/V1/products/ABC%2F10?fields=sku', integrationId },
    ]);
    expect(JSON.parse(response.body)).toMatchObject({ url: '/rest/default/V1/products/ABC%2F10?fields=sku' });
    expect(lastAuthRequest).toMatchObject({
      method: 'GET',
      uri: '/rest/default/V1/products/ABC%2F10?fields=sku',
      host: new URL(nginxUrl).host,
      port: new URL(nginxUrl).port,
      proto: 'http',
    });
  });

  it('stops a call without the resource with 403 and Magento body; the upstream never sees it', async () => {
    expect(await call('/rest/V1/orders', asIntegration)).toEqual({
      status: 403,
      seen: null,
      body: notAuthorized('Magento_Sales::actions_view'),
    });
    expect(upstreamSaw).toEqual([]);
  });

  it('answers 401 to anonymous and unknown callers, whatever X-Integration-Id they send', async () => {
    expect(await call('/rest/V1/products', { 'x-integration-id': integrationId })).toEqual({
      status: 401,
      seen: null,
      body: notAuthorized('Magento_Catalog::products'),
    });
    expect(upstreamSaw).toEqual([]);
    expect(await call('/rest/V1/products', { authorization: 'Test nobody' })).toMatchObject({
      status: 401,
      seen: null,
    });
    expect(upstreamSaw).toEqual([]);
  });

  it.each([
    '/rest/V1/nothing',
    '/rest/V1/products/../orders',
    '/x/../rest/V1/products',
    '/rest/V1/products/..%2F..%2Forders',
    '/rest//V1/products',
    '/admin/v1/integrations',
  ])('answers 404 with Magento body to %s', async (path) => {
    expect(await call(path, asIntegration)).toEqual({
      status: 404,
      seen: null,
      body: JSON.stringify({ message: 'Request does not match any route.' }),
    });
    expect(upstreamSaw).toEqual([]);
  });
});
