import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import http from 'node:http';
import pino from 'pino';
import { DEFAULT_DRAIN_MS, drainMsFromEnv, type RawRoute, startHttpService } from './bootstrap';
import { ConfigError } from './config';
import { HealthController } from './health.controller';
import { currentContext } from './request-context';

let release: () => void = () => undefined;
let entered: () => void = () => undefined;

@Controller()
class TestController {
  @Get('slow')
  async slow() {
    entered();
    await new Promise<void>((resolve) => (release = resolve));
    return { done: true };
  }

  @Get('context')
  context() {
    return { correlationId: currentContext()?.correlationId };
  }
}

@Module({ controllers: [TestController, HealthController] })
class TestModule {}

const logger = pino({ level: 'silent' });

interface Answer {
  status: number;
  connection: string | undefined;
  correlationId: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
  socketClosed: Promise<void>;
}

/** A plain keep-alive client, so the test sees the connection header and who closes the socket. */
function get(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers }, (response) => {
      const socketClosed = new Promise<void>((done) => response.socket.once('close', () => done()));
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          correlationId: response.headers['x-correlation-id'] as string | undefined,
          headers: response.headers,
          body,
          socketClosed,
        }),
      );
    });
    request.on('error', reject);
  });
}

describe('startHttpService', () => {
  it('honours a sane x-correlation-id, returns it and runs the request in its context', async () => {
    const service = await startHttpService(TestModule, { service: 'bootstrap-test', logger, port: 0, metrics: false });
    const agent = new http.Agent({ keepAlive: false });
    try {
      const given = await get(`${service.url}/context`, agent, { 'x-correlation-id': 'gw-1234:abc.def_9' });
      expect(given.correlationId).toBe('gw-1234:abc.def_9');
      expect(JSON.parse(given.body)).toEqual({ correlationId: 'gw-1234:abc.def_9' });

      // Too long, or characters that could forge a log line: replaced by a fresh id.
      for (const bad of ['x'.repeat(101), 'a b', 'id"}{"admin":true', 'é']) {
        const replaced = await get(`${service.url}/context`, agent, { 'x-correlation-id': bad });
        expect(replaced.correlationId).toMatch(/^[0-9a-f-]{36}$/);
        expect(JSON.parse(replaced.body)).toEqual({ correlationId: replaced.correlationId });
      }
      const fresh = await get(`${service.url}/context`, agent);
      expect(fresh.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      agent.destroy();
      await service.close();
    }
  });

  it('on close, finishes the in-flight request, then drops its keep-alive connection', async () => {
    const service = await startHttpService(TestModule, { service: 'bootstrap-test', logger, port: 0, metrics: false });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const inHandler = new Promise<void>((resolve) => (entered = resolve));
      const inFlight = get(`${service.url}/slow`, agent);
      await inHandler;

      let closed = false;
      const closing = service.close().then(() => (closed = true));
      // The server no longer accepts connections, but the request in hand is still being served.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);
      await expect(get(`${service.url}/context`, new http.Agent({ keepAlive: false }))).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });

      release();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ done: true });
      // The client is told not to reuse the connection, and the server closes it instead of
      // keeping it for the keep-alive timeout, so close() does not wait for that timeout.
      expect(answer.connection).toBe('close');
      await answer.socketClosed;
      await closing;
      expect(closed).toBe(true);
    } finally {
      release();
      agent.destroy();
    }
  });
});

describe('startHttpService with raw routes (a node:http listener before Nest)', () => {
  const rawRoute: RawRoute = {
    name: '/raw/*',
    handle: async (req, res, correlationId) => {
      if (req.url === '/raw/throw') throw new Error('boom');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ raw: req.url, correlationId, context: currentContext()?.correlationId }));
    },
  };

  it('answers its routes itself, with the correlation id and the request metric, and leaves the rest to Nest', async () => {
    const service = await startHttpService(TestModule, {
      service: 'bootstrap-raw-test',
      logger,
      port: 0,
      rawRoutes: () => (req) => (req.url?.startsWith('/raw/') ? rawRoute : undefined),
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const raw = await get(`${service.url}/raw/x?y=1`, agent, { 'x-correlation-id': 'raw-1' });
      expect(raw.correlationId).toBe('raw-1');
      expect(JSON.parse(raw.body)).toEqual({ raw: '/raw/x?y=1', correlationId: 'raw-1', context: 'raw-1' });

      // Nest still serves everything else, on the same connection.
      const nest = await get(`${service.url}/context`, agent, { 'x-correlation-id': 'nest-1' });
      expect(JSON.parse(nest.body)).toEqual({ correlationId: 'nest-1' });

      const failed = await get(`${service.url}/raw/throw`, agent);
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.body)).toMatchObject({ error: { code: 'INTERNAL' } });

      const metrics = await get(`${service.url}/metrics`, agent);
      expect(metrics.body).toMatch(
        /http_server_request_duration_seconds_count\{service="bootstrap-raw-test",method="GET",route="\/raw\/\*",status="200"\} 1/,
      );
    } finally {
      agent.destroy();
      await service.close();
    }
  });

  it('gives raw answers the security headers of Nest answers: nosniff, HSTS when set, no X-Powered-By', async () => {
    const service = await startHttpService(TestModule, {
      service: 'bootstrap-raw-headers-test',
      logger,
      port: 0,
      hstsMaxAgeSeconds: 600,
      metrics: false,
      rawRoutes: () => (req) => (req.url?.startsWith('/raw/') ? rawRoute : undefined),
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      // An answer of the route, the 500 of a route that throws, and Nest's answer to compare with.
      for (const path of ['/raw/x', '/raw/throw', '/context']) {
        const { headers } = await get(`${service.url}${path}`, agent);
        expect({
          path,
          nosniff: headers['x-content-type-options'],
          hsts: headers['strict-transport-security'],
        }).toEqual({ path, nosniff: 'nosniff', hsts: 'max-age=600; includeSubDomains' });
        expect(headers['x-powered-by']).toBeUndefined();
      }
    } finally {
      agent.destroy();
      await service.close();
    }
  });

  it('on close, finishes an in-flight raw request, then drops its keep-alive connection, as for Nest routes', async () => {
    let releaseRaw: () => void = () => undefined;
    let enteredRaw: () => void = () => undefined;
    const slowRaw: RawRoute = {
      name: '/raw/*',
      handle: async (_req, res) => {
        enteredRaw();
        await new Promise<void>((resolve) => (releaseRaw = resolve));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"done":true}');
      },
    };
    const service = await startHttpService(TestModule, {
      service: 'bootstrap-raw-test',
      logger,
      port: 0,
      metrics: false,
      rawRoutes: () => (req) => (req.url?.startsWith('/raw/') ? slowRaw : undefined),
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const inHandler = new Promise<void>((resolve) => (enteredRaw = resolve));
      const inFlight = get(`${service.url}/raw/slow`, agent);
      await inHandler;
      let closed = false;
      const closing = service.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(closed).toBe(false);

      releaseRaw();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.connection).toBe('close');
      await answer.socketClosed;
      await closing;
      expect(closed).toBe(true);
    } finally {
      releaseRaw();
      agent.destroy();
    }
  });
});

describe('drain (what SIGTERM does)', () => {
  it('answers readiness 503 at once, keeps serving every request with Connection: close, then closes', async () => {
    const service = await startHttpService(TestModule, { service: 'bootstrap-test', logger, port: 0, metrics: false });
    const keepAlive = new http.Agent({ keepAlive: true });
    const fresh = () => new http.Agent({ keepAlive: false });
    try {
      expect((await get(`${service.url}/health/ready`, fresh())).status).toBe(200);
      // A keep-alive connection opened before the drain.
      const before = await get(`${service.url}/context`, keepAlive);
      expect(before.connection).toBe('keep-alive');

      let drained = false;
      const draining = service.drain(400).then(() => (drained = true));
      expect(service.draining).toBe(true);

      const ready = await get(`${service.url}/health/ready`, fresh());
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toEqual({ status: 'down', checks: { shutdown: 'draining' } });
      expect((await get(`${service.url}/health/live`, fresh())).status).toBe(200);

      // Still served, on the old connection and on new ones; each is told to close afterwards.
      const onOld = await get(`${service.url}/context`, keepAlive);
      expect(onOld.status).toBe(200);
      expect(onOld.connection).toBe('close');
      await onOld.socketClosed;
      const onNew = await get(`${service.url}/context`, fresh());
      expect(onNew.status).toBe(200);
      expect(drained).toBe(false);

      await draining;
      await expect(get(`${service.url}/context`, fresh())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      keepAlive.destroy();
      await service.close();
    }
  });

  it('is cut short by close()', async () => {
    const service = await startHttpService(TestModule, { service: 'bootstrap-test', logger, port: 0, metrics: false });
    const started = Date.now();
    const draining = service.drain(60_000);
    await service.close();
    await draining;
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('takes its period from SHUTDOWN_DRAIN_MS, naming the variable when it is not a duration', () => {
    expect(drainMsFromEnv({})).toBe(DEFAULT_DRAIN_MS);
    expect(drainMsFromEnv({ SHUTDOWN_DRAIN_MS: '0' })).toBe(0);
    expect(drainMsFromEnv({ SHUTDOWN_DRAIN_MS: '2500' })).toBe(2500);
    for (const bad of ['-1', '1.5', 'soon', '600001'])
      expect(() => drainMsFromEnv({ SHUTDOWN_DRAIN_MS: bad })).toThrow(
        new ConfigError(
          `invalid configuration:\n  - SHUTDOWN_DRAIN_MS: must be a whole number of milliseconds from 0 to 600000 (got "${bad}")`,
        ),
      );
  });
});
