import type { Logger } from '@integrations/service-kit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent } from 'undici';
import { sendMagentoError, UNAVAILABLE } from './magento-reply';
import { clientResponseHeaders, type ForwardContext, upstreamRequestHeaders } from './upstream-headers';

// An upstream that accepted the connection but says nothing for this long is given up on (504).
const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * Sends an allowed call to its upstream and streams the answer back: status, headers (minus
 * hop-by-hop ones) and body, unbuffered (undici writes the body straight into the response). The
 * request body is the one the gateway read and checked.
 */
export class UpstreamProxy {
  private readonly origins = new Map<string, { origin: string; basePath: string }>();

  constructor(
    private readonly agent: Agent,
    private readonly logger: Logger,
  ) {}

  async forward(
    req: IncomingMessage,
    res: ServerResponse,
    baseUrl: string,
    path: string,
    body: Buffer | undefined,
    context: ForwardContext,
  ): Promise<void> {
    const { origin, basePath } = this.originOf(baseUrl);
    // The client went away: stop waiting for (or reading) the upstream's answer.
    const abort = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);
    let answered = false;
    try {
      await this.agent.stream(
        {
          origin,
          path: `${basePath}${path}`,
          method: req.method as 'GET',
          headers: upstreamRequestHeaders(req.headers, context),
          body,
          signal: abort.signal,
          headersTimeout: UPSTREAM_TIMEOUT_MS,
          bodyTimeout: UPSTREAM_TIMEOUT_MS,
        },
        ({ statusCode, headers }) => {
          answered = true;
          res.writeHead(statusCode, clientResponseHeaders(headers));
          return res;
        },
      );
    } catch (error) {
      if (abort.signal.aborted) return;
      if (answered) {
        // Mid-body failure (upstream reset): the status line is sent, so all we can do is cut.
        this.logger.debug(
          { err: { message: (error as Error).message }, correlationId: context.correlationId },
          'proxied body interrupted',
        );
        res.destroy();
        return;
      }
      const code = (error as { code?: string }).code ?? (error as Error).name;
      this.logger.warn(
        { upstream: origin, method: req.method, code, correlationId: context.correlationId },
        'upstream call failed',
      );
      const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
      sendMagentoError(
        res,
        timedOut ? 504 : 502,
        timedOut ? { message: 'The API did not answer in time. Try again later.' } : UNAVAILABLE,
      );
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
