import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ErrorBodyFilter, toHttpError } from './error.filter';
import { PinoNestLogger } from './logger';
import { collectProcessMetrics, httpMetricsMiddleware, metricsEndpoint } from './metrics';
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
}

export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a Nest HTTP service the way every service of the platform runs: JSON logs, correlation ids,
 * size-limited body parsing whose errors use our error body, one exception filter, graceful shutdown
 * on SIGTERM/SIGINT. Port 0 picks a free port (tests).
 */
export async function startHttpService(
  module: Type<unknown> | DynamicModule,
  options: StartOptions,
): Promise<RunningService> {
  const { logger } = options;
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
  app.use(correlationMiddleware);
  if (options.metrics !== false) {
    collectProcessMetrics();
    app.use(httpMetricsMiddleware(options.service));
    app.use('/metrics', metricsEndpoint());
  }
  app.use(guardedParser(express.json({ limit, verify: keepRawBody })));
  app.use(guardedParser(express.urlencoded({ extended: false, limit, verify: keepRawBody })));
  app.useGlobalFilters(new ErrorBodyFilter(logger));
  app.enableShutdownHooks();
  try {
    await options.configure?.(app);
    await app.listen(options.port, options.host ?? '127.0.0.1');
  } catch (error) {
    // Init hooks may have opened connections before one of them failed: release them.
    await app.close().catch(() => undefined);
    throw error;
  }
  closeKeepAliveOnShutdown(app.getHttpServer() as Server);
  const address = app.getHttpServer().address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  logger.info({ url }, `${options.service} listening`);
  return { app, url, close: () => app.close() };
}

/**
 * Headers every answer carries: no MIME sniffing (a JSON body never runs as a script), and HSTS when
 * configured. Pages set their own Content-Security-Policy.
 */
export function securityHeaders(hstsMaxAgeSeconds: number): (req: unknown, res: Response, next: NextFunction) => void {
  const hsts = hstsMaxAgeSeconds > 0 ? `max-age=${hstsMaxAgeSeconds}; includeSubDomains` : undefined;
  return (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (hsts) res.setHeader('Strict-Transport-Security', hsts);
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
 * Shutdown (SIGTERM -> app.close(): HTTP first, then the apps' onApplicationShutdown closes Kafka and
 * Mongo). `server.close()` stops accepting and drops idle keep-alive connections, but a connection
 * busy with a request stays open after its response until the keep-alive timeout (5 s), delaying
 * the exit for nothing. Once the server is closing, a response says `Connection: close` and its
 * connection is dropped as soon as it is idle; in-flight requests still finish.
 */
function closeKeepAliveOnShutdown(server: Server): void {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
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
