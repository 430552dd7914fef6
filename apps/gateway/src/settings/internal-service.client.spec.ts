import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IntegrationJsonSchema, ifMatchFor } from '@integrations/contracts';
import { DomainError } from '@integrations/service-kit';
import pino from 'pino';
import { InternalServiceClient } from './internal-service.client';

/**
 * Replies checked against their contract, against a real HTTP server: what passes, what becomes a
 * 502 UPSTREAM.BAD_RESPONSE, and what the log says about it (fields and rules, never values).
 */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

let server: Server;
let baseUrl: string;
let answer: Answer;
let seen: { url: string; headers: IncomingHttpHeaders } | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen = { url: req.url ?? '', headers: req.headers };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const SECRET = 's3cr3t-consumer-secret-value';
const integration = {
  id: '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
  name: 'ERP',
  email: null,
  callbackUrl: null,
  identityLinkUrl: null,
  status: 'inactive',
  setupType: 'manual',
  resourceAccess: 'all',
  resources: [],
  insecure: false,
  createdAt: '2025-01-02T03:04:05.000Z',
  updatedAt: '2025-01-02T03:04:05.000Z',
  version: 1,
};

function client() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { client: new InternalServiceClient('the integration registry', baseUrl, 5_000, logger), lines };
}

const get = (c: InternalServiceClient) =>
  c.call({
    method: 'GET',
    path: '/integrations/x',
    query: { minVersion: 3, name: undefined },
    ifMatch: ifMatchFor(2),
    actor: 'alice',
    correlationId: 'corr-1',
    reply: IntegrationJsonSchema,
  });

async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

it('passes a reply that keeps its contract, without the fields the contract does not name', async () => {
  answer = {
    status: 200,
    headers: { 'x-read-your-writes': 'timeout' },
    body: JSON.stringify({ ...integration, extra: 1 }),
  };
  const { client: c } = client();
  await expect(get(c)).resolves.toEqual({ ok: true, status: 200, body: integration, readYourWrites: 'timeout' });
  expect(seen?.url).toBe('/integrations/x?minVersion=3');
  expect(seen?.headers).toMatchObject({ 'if-match': '"2"', 'x-actor': 'alice', 'x-correlation-id': 'corr-1' });
});

it('answers 502 UPSTREAM.BAD_RESPONSE for a 2xx that breaks its contract, logging fields but not values', async () => {
  answer = { status: 200, body: JSON.stringify({ ...integration, version: SECRET, status: undefined }) };
  const { client: c, lines } = client();
  const error = await refusal(get(c));
  expect(error).toMatchObject({ code: 'UPSTREAM.BAD_RESPONSE', status: 502 });
  expect(error.message).toMatch(/^The integration registry gave an unexpected answer\./);
  expect(lines).toEqual([
    expect.objectContaining({
      msg: 'internal service answered something unexpected',
      service: 'the integration registry',
      method: 'GET',
      path: '/integrations/x',
      status: 200,
      problem: 'the body breaks its contract',
      issues: expect.stringMatching(/status: .*; version: /),
    }),
  ]);
  expect(JSON.stringify(lines)).not.toContain(SECRET);
  expect(JSON.stringify(error)).not.toContain(SECRET);
});

it('passes an error with the platform error body through', async () => {
  const body = { error: { code: 'INTEGRATION.NOT_FOUND', message: 'This integration no longer exists.' } };
  answer = { status: 404, body: JSON.stringify(body) };
  await expect(get(client().client)).resolves.toEqual({ ok: false, status: 404, body });
});

it.each<[string, Answer, string]>([
  [
    'an error without the error body',
    { status: 500, body: JSON.stringify({ message: SECRET }) },
    'an error without the error body',
  ],
  ['a body that is not JSON', { status: 200, body: `<html>${SECRET}</html>` }, 'the body is not JSON'],
  ['an empty 2xx', { status: 200, body: '' }, 'the body breaks its contract'],
  [
    'a redirect (never followed)',
    { status: 302, headers: { location: 'http://127.0.0.1:9/' }, body: '' },
    'an unexpected status',
  ],
])('answers 502 for %s', async (_case, reply, problem) => {
  answer = reply;
  const { client: c, lines } = client();
  await expect(refusal(get(c))).resolves.toMatchObject({ code: 'UPSTREAM.BAD_RESPONSE', status: 502 });
  expect(lines[0]).toMatchObject({ problem, status: reply.status });
  expect(JSON.stringify(lines)).not.toContain(SECRET);
});
