import type { Logger } from '@integrations/service-kit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Agent, Dispatcher } from 'undici';
import { sendMagentoError, UNAVAILABLE } from './magento-reply';
import { clientResponseHeaders, type ForwardContext, upstreamRequestHeaders } from './upstream-headers';

// An upstream that accepted the connection but says nothing for this long is given up on (504).
const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * Sends an allowed call to its upstream and streams the answer back: status, headers (minus
 * hop-by-hop ones) and body, unbuffered, with backpressure. The request body is the one the gateway
 * read and checked. A client that goes away aborts the upstream call.
 *
 * Undici's dispatch handler rather than `request()`/`stream()`: those need an AbortSignal per call
 * to stop on a client that left, and wiring one costs more than the rest of the proxying
 * (docs/PERFORMANCE.md); the handler gets the abort function for free.
 */
export class UpstreamProxy {
  private readonly origins = new Map<string, { origin: string; basePath: string }>();

  constructor(
    private readonly agent: Agent,
    private readonly logger: Logger,
    private readonly timeoutMs = UPSTREAM_TIMEOUT_MS,
  ) {}

  forward(
    req: IncomingMessage,
    res: ServerResponse,
    baseUrl: string,
    path: string,
    body: Buffer | undefined,
    context: ForwardContext,
  ): Promise<void> {
    const { origin, basePath } = this.originOf(baseUrl);
    return new Promise((resolve) => {
      const exchange = new UpstreamExchange(
        res,
        origin,
        req.method ?? 'GET',
        context.correlationId,
        this.logger,
        resolve,
      );
      this.agent.dispatch(
        {
          origin,
          path: `${basePath}${path}`,
          method: req.method as Dispatcher.HttpMethod,
          headers: upstreamRequestHeaders(req.headers, context),
          body,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        },
        exchange,
      );
    });
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

class UpstreamExchange implements Dispatcher.DispatchHandler {
  private controller?: Dispatcher.DispatchController;
  private answered = false;
  private clientGone = false;
  private finished = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly origin: string,
    private readonly method: string,
    private readonly correlationId: string,
    private readonly logger: Logger,
    private readonly resolve: () => void,
  ) {
    res.once('close', this.onClientClose);
  }

  private readonly onClientClose = (): void => {
    if (this.finished || this.res.writableFinished) return;
    this.clientGone = true;
    this.controller?.abort(new Error('the client went away'));
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientGone) controller.abort(new Error('the client went away'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (statusCode < 200) return; // 1xx: informational, the real answer follows
    this.answered = true;
    this.res.writeHead(statusCode, clientResponseHeaders(headers));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.res.destroyed) return;
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.res.end();
    this.done();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.clientGone) return this.done();
    if (this.answered) {
      // Mid-body failure (upstream reset): the status line is sent, so all we can do is cut.
      this.logger.debug(
        { err: { message: error.message }, correlationId: this.correlationId },
        'proxied body interrupted',
      );
      this.res.destroy();
      return this.done();
    }
    const code = (error as { code?: string }).code ?? error.name;
    this.logger.warn(
      { upstream: this.origin, method: this.method, code, correlationId: this.correlationId },
      'upstream call failed',
    );
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
    sendMagentoError(
      this.res,
      timedOut ? 504 : 502,
      timedOut ? { message: 'The API did not answer in time. Try again later.' } : UNAVAILABLE,
    );
    this.done();
  }

  private done(): void {
    if (this.finished) return;
    this.finished = true;
    this.res.off('close', this.onClientClose);
    this.resolve();
  }
}
