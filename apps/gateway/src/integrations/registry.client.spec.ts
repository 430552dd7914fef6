import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@integrations/service-kit';
import pino from 'pino';
import { z } from 'zod';
import { InternalServiceClient } from '../settings/internal-service.client';
import { RegistryClient } from './registry.client';

/**
 * The upstream clients against a real HTTP server that stalls: undici's own limits (300 s for the
 * headers and between body chunks) must never be what ends a call; the configured timeout must.
 */
type Stall = 'headers' | 'body';

let server: Server;
let baseUrl: string;
let stall: Stall = 'headers';
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    held.push(res);
    if (stall === 'body') {
      // Headers and the start of a body, then nothing: a registry stuck mid-answer.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const logger = pino({ level: 'silent' });
const TIMEOUT_MS = 300;

async function failure(call: Promise<unknown>): Promise<{ error: DomainError; elapsedMs: number }> {
  const started = Date.now();
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { error: error as DomainError, elapsedMs: Date.now() - started };
}

describe.each<Stall>(['headers', 'body'])('an upstream that stalls before its %s end', (mode) => {
  beforeEach(() => {
    stall = mode;
  });

  it.each(['GET', 'POST'] as const)(
    'RegistryClient %s: 504 UPSTREAM.TIMEOUT after the configured timeout',
    async (method) => {
      const client = new RegistryClient(baseUrl, TIMEOUT_MS, logger);
      const { error, elapsedMs } = await failure(
        client.call({
          method,
          path: '/integrations',
          actor: 'admin',
          correlationId: 'c-1',
          reply: z.unknown(),
          ...(method === 'POST' ? { body: {} } : {}),
        }),
      );
      expect(error).toMatchObject({ code: 'UPSTREAM.TIMEOUT', status: 504 });
      expect(error.message).toContain(`${TIMEOUT_MS} ms`);
      // Bounded by our timeout (a GET is tried twice at most), nowhere near undici's 300 s.
      // (Timers may fire a little early relative to Date.now(); the point is "not at once".)
      expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS / 2);
      expect(elapsedMs).toBeLessThan(30_000);
    },
  );

  it('InternalServiceClient: 504 UPSTREAM.TIMEOUT naming the service', async () => {
    const client = new InternalServiceClient('the acl service', baseUrl, TIMEOUT_MS, logger);
    const { error, elapsedMs } = await failure(
      client.call({ method: 'GET', path: '/acl/resources', correlationId: 'c-2', reply: z.unknown() }),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM.TIMEOUT', status: 504 });
    expect(error.message).toMatch(/^The acl service did not answer within 300 ms/);
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it('readiness: the registry counts as unreachable', async () => {
    const client = new RegistryClient(baseUrl, TIMEOUT_MS, logger);
    await expect(client.isReachable()).resolves.toBe(false);
  });
});

it('an upstream that is down: 503 UPSTREAM.UNAVAILABLE at once', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const { error } = await failure(
    new RegistryClient(url, 5_000, logger).call({
      method: 'GET',
      path: '/x',
      actor: 'a',
      correlationId: 'c',
      reply: z.unknown(),
    }),
  );
  expect(error).toMatchObject({ code: 'UPSTREAM.UNAVAILABLE', status: 503 });
});
