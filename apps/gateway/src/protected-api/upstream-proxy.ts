import type { Logger } from '@integrations/service-kit';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Agent } from 'undici';
import { clientResponseHeaders, type ForwardContext, upstreamRequestHeaders } from './upstream-headers';
import { sendMagentoError } from './magento-reply';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

// An upstream that accepted the connection but says nothing for this long is given up on (504).
const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * Streams an allowed call to its upstream and the answer back: status, headers (minus hop-by-hop
 * ones) and body, without buffering the response. The request body goes as received: the bytes the
 * body parser read (`rawBody`), or the untouched stream for content types it does not parse.
 */
export class UpstreamProxy {
  private readonly origins = new Map<string, { origin: string; basePath: string }>();

  constructor(
    private readonly agent: Agent,
    private readonly logger: Logger,
  ) {}

  async forward(
    req: RequestWithRawBody,
    res: Response,
    baseUrl: string,
    path: string,
    context: Omit<ForwardContext, 'bodyLength'>,
  ): Promise<void> {
    const { origin, basePath } = this.originOf(baseUrl);
    const { body, bodyLength } = requestBody(req);
    // The client went away: stop waiting for (or reading) the upstream's answer.
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);

    let upstream;
    try {
      upstream = await this.agent.request({
        origin,
        path: `${basePath}${path}`,
        method: req.method as 'GET',
        headers: upstreamRequestHeaders(req.headers, { ...context, bodyLength }),
        body,
        signal: abort.signal,
        headersTimeout: UPSTREAM_TIMEOUT_MS,
        bodyTimeout: UPSTREAM_TIMEOUT_MS,
      });
    } catch (error) {
      res.off('close', onClose);
      if (abort.signal.aborted) return;
      const code = (error as { code?: string }).code ?? (error as Error).name;
      this.logger.warn(
        { upstream: origin, method: req.method, code, correlationId: context.correlationId },
        'upstream call failed',
      );
      const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
      sendMagentoError(res, timedOut ? 504 : 502, {
        message: timedOut
          ? 'The API did not answer in time. Try again later.'
          : 'The API is unavailable right now. Try again later.',
      });
      return;
    }
    res.writeHead(upstream.statusCode, clientResponseHeaders(upstream.headers));
    try {
      await pipeline(upstream.body, res);
    } catch (error) {
      // Mid-body failure (client gone, upstream reset): the status line is sent, so all we can do is cut.
      if (!abort.signal.aborted)
        this.logger.debug(
          { err: { message: (error as Error).message }, correlationId: context.correlationId },
          'proxied body interrupted',
        );
      res.destroy();
    } finally {
      res.off('close', onClose);
    }
  }

  private originOf(baseUrl: string): { origin: string; basePath: string } {
    let known = this.origins.get(baseUrl);
    if (!known) {
      const url = new URL(baseUrl);
      known = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
      this.origins.set(baseUrl, known);
    }
    return known;
  }
}

function requestBody(req: RequestWithRawBody): { body?: Buffer | Readable; bodyLength?: number } {
  if (req.rawBody) return { body: req.rawBody, bodyLength: req.rawBody.length };
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  // A content type the body parsers skip (XML, octet-stream…): still unread, it streams through.
  if (hasBody && !req.readableEnded) return { body: req };
  return {};
}
