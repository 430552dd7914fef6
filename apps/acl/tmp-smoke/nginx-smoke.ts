import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { toCloudEvent } from '@integrations/contracts';
import { createKafkaMessageBus } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { startAcl } from '../src/start';
import { startCommerceApi } from '../../../examples/commerce-api/src/start';
import { waitFor } from '../src/test/test-infra';

async function main() {
  const run = randomUUID().slice(0, 8);
  const commerce = await startCommerceApi({ port: 0 });
  const acl = await startAcl({ ACL_PORT: 0, ACL_DB: `acl_smoke_${run}`, ACL_TOPIC_PREFIX: `smoke-${run}.`, logger: createLogger('acl', 'warn'), env: { UPSTREAM_COMMERCE_URL: commerce.url } });
  const bus = createKafkaMessageBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'smoke', logLevel: 'error' });
  await bus.connect();
  const id = `int-${run}`;
  let v = 0;
  for (const [type, payload] of [
    ['IntegrationCreated', { integrationId: id, name: id, email: null, callbackUrl: null, identityLinkUrl: null, resourceAccess: 'custom', resources: ['Magento_Catalog::products'], setupType: 'manual', insecure: false }],
    ['IntegrationActivated', { integrationId: id, mode: 'tokens' }],
  ] as const) {
    v++;
    const ev = toCloudEvent({ streamId: id, version: v, type, payload, timestamp: new Date(), metadata: { eventId: randomUUID(), correlationId: 'c' } }, '/smoke');
    await bus.publish(acl.topics.integration, [{ key: id, value: JSON.stringify(ev) }]);
  }

  // Stub of the gateway's GET /auth/decision (the real one verifies the OAuth signature first).
  let lastSeen: Record<string, unknown> = {};
  const stub = createServer(async (req, res) => {
    const auth = req.headers.authorization;
    const integrationId = auth?.startsWith('Test ') ? auth.slice(5) : null;
    lastSeen = { method: req.headers['x-original-method'], uri: req.headers['x-original-uri'], host: req.headers['x-forwarded-host'], port: req.headers['x-forwarded-port'], proto: req.headers['x-forwarded-proto'] };
    const r = await fetch(`${acl.url}/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: req.headers['x-original-method'], path: req.headers['x-original-uri'], integrationId }) });
    const d = (await r.json()) as { decision: string; status: number; resources: string[] };
    if (d.decision === 'allow') {
      res.writeHead(200, { 'x-integration-id': integrationId ?? '' }).end();
    } else {
      res.writeHead(d.status === 401 ? 401 : 403, { 'x-acl-status': String(d.status), 'x-acl-resources': d.resources.join(', ') }).end();
    }
  });
  await new Promise<void>((ok) => stub.listen(0, '127.0.0.1', ok));
  const stubPort = (stub.address() as AddressInfo).port;
  const nginxPort = 18000 + Math.floor(Math.random() * 2000);
  const prefix = `/tmp/nginx-smoke-${run}`;
  mkdirSync(`${prefix}/logs`, { recursive: true });
  const conf = readFileSync('docs/nginx/nginx.conf', 'utf8')
    .replace('127.0.0.1:8080;', `127.0.0.1:${stubPort};`)
    .replace('127.0.0.1:3010;', `${new URL(commerce.url).host};`)
    .replace('listen 127.0.0.1:8088;', `listen 127.0.0.1:${nginxPort};`)
    .replace('worker_processes auto;', 'worker_processes 1;');
  writeFileSync(`${prefix}/nginx.conf`, conf);
  const nginx = spawn('nginx', ['-p', prefix, '-e', 'stderr', '-c', `${prefix}/nginx.conf`], { stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${nginxPort}`;
  await waitFor(async () => (await fetch(`${base}/`).catch(() => null)) !== null, { timeoutMs: 5000 });
  await waitFor(async () => (await fetch(`${acl.url}/integrations/${id}/grants`)).status === 200 && (await (await fetch(`${acl.url}/integrations/${id}/grants`)).json()).status === 'active', { timeoutMs: 10000 });

  const show = async (label: string, path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const r = await fetch(`${base}${path}`, { method, headers });
    const text = await r.text();
    console.log(`${label}: ${r.status} seen=${r.headers.get('x-seen-integration-id')} ct=${r.headers.get('content-type')} body=${text.slice(0, 140)}`);
  };
  await show('allowed products', '/rest/V1/products?searchCriteria[pageSize]=1', { authorization: `Test ${id}` });
  console.log('  decision endpoint saw', lastSeen);
  await show('allowed slash sku', '/rest/default/V1/products/ABC%2F10', { authorization: `Test ${id}` });
  await show('orders (403)', '/rest/V1/orders', { authorization: `Test ${id}` });
  await show('anonymous (401)', '/rest/V1/products', { 'x-integration-id': 'spoofed' });
  await show('unknown route (404)', '/rest/V1/nothing', { authorization: `Test ${id}` });
  await show('dot segments', '/rest/V1/products/..%2F..%2Forders', { authorization: `Test ${id}` });
  await show('normalised by nginx', '/rest/V1/products/../orders', { authorization: `Test ${id}` });
  await show('not exposed', '/admin/v1/integrations');
  await show('inactive/unknown (401)', '/rest/V1/products', { authorization: 'Test nobody' });

  const { execFileSync } = await import('node:child_process');
  for (const raw of ['/rest/V1/products/../orders', '/rest/V1/orders/../products', '/x/../rest/V1/products', '/rest/V1/products/..%2F..%2Forders', '/rest//V1/products']) {
    const out = execFileSync('curl', ['-s', '--path-as-is', '-H', `Authorization: Test ${id}`, '-o', '/dev/stdout', '-w', ' [%{http_code}]', `${base}${raw}`]).toString();
    console.log(`raw ${raw}: ${out.slice(0, 100)} ... ${out.slice(-6)}`);
  }
  nginx.kill('SIGQUIT');
  stub.close();
  await bus.disconnect();
  await acl.close();
  await commerce.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
