import { DecideBatchRequestSchema } from '@integrations/contracts';
import {
  CORRELATION_HEADER,
  correlationIdFrom,
  httpMetricsMiddleware,
  parseInput,
  toHttpError,
  type Logger,
} from '@integrations/service-kit';
import type { Request, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AclErrorCodes } from '../acl.errors';
import type { DecisionService } from './decision.service';

export const DECIDE_BATCH_PATH = '/decisions/batch';

export interface DecideBatchListenerOptions {
  decisions: Pick<DecisionService, 'decideBatch'>;
  /** Larger bodies are refused with 413 REQUEST.TOO_LARGE. */
  bodyLimitBytes: number;
  logger: Logger;
}

/**
 * Serves `POST /decisions/batch` from a plain node:http listener placed before Nest/express, and
 * hands every other request on to them (docs/adr/0006 §5). The batch is on the path of every signed
 * call; through express and Nest it costs about three times what deciding it does. The contract, the
 * error bodies (service-kit's `toHttpError`), the correlation header and the request metrics are the
 * same as on any other route.
 */
export function serveDecideBatchFirst(server: Server, options: DecideBatchListenerOptions): void {
  const others = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  const metrics = httpMetricsMiddleware('acl');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && req.url?.split('?')[0] === DECIDE_BATCH_PATH) {
      // The metrics middleware reads express's fields: the route is known, so give them.
      Object.assign(req, { originalUrl: req.url, baseUrl: '', route: { path: DECIDE_BATCH_PATH } });
      metrics(req as Request, res as Response, () => undefined);
      decideBatch(req, res, options);
      return;
    }
    for (const listener of others) listener.call(server, req, res);
  });
}

function decideBatch(req: IncomingMessage, res: ServerResponse, options: DecideBatchListenerOptions): void {
  res.setHeader(CORRELATION_HEADER, correlationIdFrom(req.headers[CORRELATION_HEADER]));
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    req.resume();
    reply(res, 415, {
      error: { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', message: 'Send the batch as application/json.' },
    });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= options.bodyLimitBytes) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > options.bodyLimitBytes) return fail(res, { type: 'entity.too.large' }, options.logger);
    let body: unknown;
    try {
      // No body at all is a missing batch (400 with the contract's message), as express reads it.
      body = size === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail(res, { type: 'entity.parse.failed' }, options.logger);
    }
    let requests;
    try {
      ({ requests } = parseInput(DecideBatchRequestSchema, body, AclErrorCodes.invalidDecisionRequest));
    } catch (error) {
      return fail(res, error, options.logger);
    }
    options.decisions.decideBatch(requests).then(
      (decisions) => reply(res, 200, { decisions }),
      (error: unknown) => fail(res, error, options.logger),
    );
  });
  req.on('error', (error) => fail(res, error, options.logger));
}

function fail(res: ServerResponse, error: unknown, logger: Logger): void {
  const { status, body } = toHttpError(error);
  if (status >= 500) logger.error({ err: { message: (error as Error)?.message } }, 'decision batch failed');
  reply(res, status, body);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
