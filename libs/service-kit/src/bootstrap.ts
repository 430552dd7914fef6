import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError } from './config';
import { ErrorBodyFilter, toHttpError } from './error.filter';
import { PinoNestLogger } from './logger';
import { collectProcessMetrics, httpMetricsMiddleware, metricsEndpoint, observeHttpRequest } from './metrics';
import { ACTOR_HEADER, CORRELATION_HEADER, correlationIdFrom, runWithContext } from './request-context';

export interface StartOptions {
  service: string;
  logger: Logger;
  port: number;
  host?: string;
  /** Maximum request body size (JSON and form). Default 64 KiB. */
  bodyLimit?: string;
  /** Extra setup before listen (e.g. static files, raw routes). */
  configure?: (app: INestApplication) => void | Promise<void>;
  /**
   * `Strict-Transport-Security: max-age=<n>` on every answer, for deployments that end TLS in front
   * of the service. 0 or unset: not sent (it means nothing over plain http).
   */
  hstsMaxAgeSeconds?: number;
  /**
   * Prometheus `GET /metrics` and the HTTP latency histogram. Default true. Keep `/metrics` off the
   * public ingress (k8s/base/gateway/ingress.yaml routes only /admin, /oauth and /rest).
   */
  metrics?: boolean;
  /**
   * Requests answered by a plain `node:http` listener placed before Nest/express on the same server
   * (a hot path that cannot afford the framework): given the initialised app, returns the router
   * that picks a request's raw route, or undefined to leave the request to Nest. See `RawRoute`.
   */
  rawRoutes?: (app: INestApplication) => RawRouter;
  /**
   * How long the service keeps serving after SIGTERM (readiness 503 meanwhile) before it closes.
   * Default: `SHUTDOWN_DRAIN_MS` from the environment, else 5000 (see `drainMsFromEnv`).
   */
  drainMs?: number;
}

/**
 * A route served before Nest/express. The service kit gives it what every request gets: the security
 * headers (`nosniff`, HSTS when set), a sane correlation id (echoed in `x-correlation-id`, and the
 * log context), the request-duration metric under `name`, `Connection: close` while shutting down,
 * and a 500 with our error body if the handler throws. The handler does the rest itself: reading
 * the body within a limit, answering.
 */
export interface RawRoute {
  /** The metric's route label: a pattern such as `/rest/*`, never the raw path. */
  name: string;
  handle(req: IncomingMessage, res: ServerResponse, correlationId: string): Promise<void>;
}

/** Called for every request before Nest sees it: keep it to a look at `req.url`. */
export type RawRouter = (req: IncomingMessage) => RawRoute | undefined;

export interface RunningService {
  app: INestApplication;
  url: string;
  /**
   * Stops now (what SIGINT does): no new connections, in-flight requests finish and their
   * connections close, then the app's shutdown hooks (Kafka, Mongo). Idempotent.
   */
  close(): Promise<void>;
  /**
   * What SIGTERM does: readiness answers 503 and every response says `Connection: close` at once,
   * every request is still served for `drainMs` (default: the service's drain period), then close().
   * A close() meanwhile cuts the drain short.
   */
  drain(drainMs?: number): Promise<void>;
  /** True from the start of a drain or close: readiness answers 503. */
  readonly draining: boolean;
}

/** Default drain period: longer than a client's keep-alive idle time (undici: 4 s), see `drain`. */
export const DEFAULT_DRAIN_MS = 5_000;
const MAX_DRAIN_MS = 600_000;

/**
 * `SHUTDOWN_DRAIN_MS`: how long a service keeps serving after SIGTERM. In Kubernetes it covers the
 * time the endpoint removal takes to reach every load balancer and kube-proxy (the pod gets SIGTERM
 * while they still route to it); it must stay below `terminationGracePeriodSeconds`.
 */
export function drainMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHUTDOWN_DRAIN_MS?.trim();
  if (raw === undefined || raw === '') return DEFAULT_DRAIN_MS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > MAX_DRAIN_MS) {
    throw new ConfigError(
      `invalid configuration:\n  - SHUTDOWN_DRAIN_MS: must be a whole number of milliseconds from 0 to ${MAX_DRAIN_MS} (got "${raw}")`,
    );
  }
  return value;
}

/**
 * Starts a Nest HTTP service the way every service of the platform runs: JSON logs, correlation ids,
 * size-limited body parsing whose errors use our error body, one exception filter, a drain on
 * SIGTERM and a prompt graceful stop on SIGINT (see `drain` and `close` of RunningService). Port 0
 * picks a free port (tests).
 */
export async function startHttpService(
  module: Type<unknown> | DynamicModule,
  options: StartOptions,
): Promise<RunningService> {
  const { logger } = options;
  const drainMs = options.drainMs ?? drainMsFromEnv();
  // abortOnError: false, so a failing boot (database down, bad config) rejects with its message
  // instead of Nest calling process.abort().
  const app = await NestFactory.create(module, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  const limit = options.bodyLimit ?? '64kb';
  // Express announces itself by default ("X-Powered-By: Express"): nothing a client needs to know.
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  app.use(securityHeaders(options.hstsMaxAgeSeconds ?? 0));
  let draining = false;
  app.use(readinessWhileDraining(() => draining));
  app.use(correlationMiddleware);
  if (options.metrics !== false) {
    collectProcessMetrics();
    app.use(httpMetricsMiddleware(options.service));
    app.use('/metrics', metricsEndpoint());
  }
  app.use(guardedParser(express.json({ limit, verify: keepRawBody })));
  app.use(guardedParser(express.urlencoded({ extended: false, limit, verify: keepRawBody })));
  app.useGlobalFilters(new ErrorBodyFilter(logger));
  // SIGTERM and SIGINT are ours (below); Nest's hooks keep the other signals they always handled.
  app.enableShutdownHooks(NEST_SIGNALS);
  try {
    await options.configure?.(app);
    if (options.rawRoutes) {
      await app.init();
      serveRawRoutesFirst(app.getHttpServer() as Server, options.rawRoutes(app), options);
    }
    await app.listen(options.port, options.host ?? '127.0.0.1');
  } catch (error) {
    // Init hooks may have opened connections before one of them failed: release them.
    await app.close().catch(() => undefined);
    throw error;
  }
  const connections = closeKeepAliveOnShutdown(app.getHttpServer() as Server);
  const address = app.getHttpServer().address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  let closing: Promise<void> | undefined;
  let drained: Promise<void> | undefined;
  let endDrain: (() => void) | undefined;
  const forgetSignals = () => {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  };
  const close = () => {
    draining = true;
    endDrain?.();
    closing ??= app.close().finally(forgetSignals);
    return closing;
  };
  const drain = (ms = drainMs) => {
    if (closing && !drained) return closing;
    drained ??= (async () => {
      draining = true;
      connections.refuseKeepAlive();
      logger.info({ drainMs: ms }, `${options.service} draining: readiness 503, still serving for ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        endDrain = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await close();
    })();
    return drained;
  };
  function onSignal(signal: NodeJS.Signals) {
    // While draining, SIGINT (Ctrl-C, the launcher's "stop now") cuts the drain short.
    if (drained || closing) {
      if (signal === 'SIGINT') void close();
      return;
    }
    logger.info({ signal }, `${options.service} received ${signal}`);
    (signal === 'SIGTERM' ? drain() : close())
      // As Nest's hooks did: the process then ends the way the signal says (status 128+n).
      .then(() => process.kill(process.pid, signal))
      .catch((error: unknown) => {
        logger.error({ err: error }, `${options.service}: shutdown failed`);
        process.exit(1);
      });
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  logger.info({ url, drainMs }, `${options.service} listening`);
  return {
    app,
    url,
    close,
    drain,
    get draining() {
      return draining;
    },
  };
}

const NEST_SIGNALS = ['SIGHUP', 'SIGQUIT', 'SIGUSR2'];

/**
 * During a drain `GET /health/ready` answers 503 whatever the dependencies say, so Kubernetes (or
 * the local harness) takes the replica out of rotation, while every other request is still served.
 * The liveness probe stays 200: a draining replica must not be restarted.
 */
function readinessWhileDraining(isDraining: () => boolean): RequestHandler {
  return (req, res, next) => {
    if (!isDraining() || req.path !== '/health/ready') return next();
    res.status(503).json({ status: 'down', checks: { shutdown: 'draining' } });
  };
}

/**
 * Puts the raw routes in front: express's request listener (the one Nest's adapter registered) only
 * gets the requests the router leaves. Other listeners (closeKeepAliveOnShutdown's) are added after
 * this and see every request.
 */
function serveRawRoutesFirst(server: Server, router: RawRouter, options: StartOptions): void {
  const nest = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  const { logger, service } = options;
  const metrics = options.metrics !== false;
  // The same headers as securityHeaders() gives Nest routes; node:http sends no X-Powered-By.
  const headers = securityHeaderPairs(options.hstsMaxAgeSeconds ?? 0);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = router(req);
    if (!route) {
      for (const listener of nest) listener.call(server, req, res);
      return;
    }
    for (const [name, value] of headers) res.setHeader(name, value);
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, correlationId);
    if (metrics) {
      const started = process.hrtime.bigint();
      res.once('finish', () => observeHttpRequest(service, req.method ?? '', route.name, res.statusCode, started));
    }
    runWithContext({ correlationId }, () => route.handle(req, res, correlationId)).catch((error: unknown) => {
      logger.error(
        { err: { name: (error as Error)?.name, message: (error as Error)?.message, stack: (error as Error)?.stack } },
        'unhandled error',
      );
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const { status, body } = toHttpError(error);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    });
  });
}

/**
 * Headers every answer carries, from a Nest route or a raw route: no MIME sniffing (a JSON body
 * never runs as a script), and HSTS when configured. Pages set their own Content-Security-Policy.
 */
function securityHeaderPairs(hstsMaxAgeSeconds: number): ReadonlyArray<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [['X-Content-Type-Options', 'nosniff']];
  if (hstsMaxAgeSeconds > 0) {
    pairs.push(['Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}; includeSubDomains`]);
  }
  return pairs;
}

/** The express form of `securityHeaderPairs`. */
export function securityHeaders(hstsMaxAgeSeconds: number): (req: unknown, res: Response, next: NextFunction) => void {
  const pairs = securityHeaderPairs(hstsMaxAgeSeconds);
  return (_req, res, next) => {
    for (const [name, value] of pairs) res.setHeader(name, value);
    next();
  };
}

function correlationMiddleware(req: Request, res: Response, next: NextFunction) {
  const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
  const actor = typeof req.headers[ACTOR_HEADER] === 'string' ? (req.headers[ACTOR_HEADER] as string) : undefined;
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithContext({ correlationId, actor }, () => next());
}

/**
 * Shutdown (app.close(): HTTP first, then the apps' onApplicationShutdown closes Kafka and Mongo).
 * `server.close()` stops accepting and drops idle keep-alive connections, but a connection busy
 * with a request stays open after its response until the keep-alive timeout (5 s), delaying the
 * exit for nothing. Once the server is closing, a response says `Connection: close` and its
 * connection is dropped as soon as it is idle; in-flight requests still finish.
 *
 * During a drain (`refuseKeepAlive`) every response says `Connection: close` too, so each client
 * moves its next request to a new connection (which a load balancer sends elsewhere), but nothing
 * is closed under a client: closing an idle keep-alive connection races a request the client may be
 * sending on it at that moment, and a POST lost that way cannot be retried safely. Connections that
 * stay idle for the whole drain are closed by their clients first (undici's idle timeout is 4 s,
 * below the default drain of 5 s); what remains is closed by `server.close()`.
 */
function closeKeepAliveOnShutdown(server: Server): { refuseKeepAlive(): void } {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  let refusing = false;
  // Before the app's own listener, which may answer synchronously.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if ((closing || refusing) && !res.headersSent) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    res.once('finish', () => {
      inFlight.delete(res);
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  server.once('close', () => inFlight.clear());
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    closing = true;
    // Tells the clients of in-flight requests not to reuse their connection.
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    return close(callback);
  }) as Server['close'];
  return {
    refuseKeepAlive: () => {
      refusing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    },
  };
}

/**
 * Keeps the body's bytes as received on `req.rawBody` (a reference, no copy): a proxy must forward
 * them unchanged, and OAuth 1.0a signs the parameters of a form body as sent.
 */
function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buffer;
}

/** Body-parser errors (too large, bad JSON) would otherwise bypass Nest's filters and answer HTML. */
function guardedParser(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (error?: unknown) => {
      if (!error) return next();
      const { status, body } = toHttpError(error);
      res.status(status).json(body);
    });
}
