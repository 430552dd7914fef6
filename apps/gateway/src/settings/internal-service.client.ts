import { DomainError, isErrorBody, type Logger } from '@integrations/service-kit';

export interface InternalCall {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the service's base URL, already encoded. */
  path: string;
  body?: unknown;
  /** Admin username, sent as `x-actor` (recorded in events). */
  actor?: string;
  correlationId: string;
  /** Overrides the client's timeout (a call that waits on a third party takes longer). */
  timeoutMs?: number;
}

export interface InternalReply {
  status: number;
  body: unknown;
}

/**
 * JSON client for the platform's internal admin-side APIs (oauth credentials, acl resources, config
 * settings): answers, errors included, come back as `{status, body}` for the caller to pass through;
 * transport trouble becomes an `UPSTREAM.*` error naming the service. Global fetch: undici's pooled
 * keep-alive connections.
 */
export class InternalServiceClient {
  constructor(
    /** Named in messages, e.g. "the oauth service". */
    private readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async call(call: InternalCall): Promise<InternalReply> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-correlation-id': call.correlationId };
    if (call.actor) headers['x-actor'] = call.actor;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = call.timeoutMs ?? this.timeoutMs;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${call.path}`, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw this.transportError(call, error, timeoutMs);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(call, error, timeoutMs);
    }
    let body: unknown;
    try {
      body = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      throw this.badReply(call, response.status, 'body is not JSON');
    }
    if (response.status >= 400 && !isErrorBody(body))
      throw this.badReply(call, response.status, 'error without an error body');
    return { status: response.status, body };
  }

  private transportError(call: InternalCall, error: unknown, timeoutMs: number): DomainError {
    const name = (error as Error)?.name;
    const reason = (error as { cause?: { code?: string } })?.cause?.code ?? name ?? 'unknown';
    // Method and path only: bodies may carry credentials.
    this.logger.warn(
      { service: this.service, method: call.method, path: call.path, reason },
      'internal service call failed',
    );
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new DomainError(
        'UPSTREAM.TIMEOUT',
        `${capitalize(this.service)} did not answer within ${timeoutMs} ms. ` +
          (call.method === 'GET'
            ? 'Try again in a moment.'
            : 'The change may or may not have been made: reload before trying again.'),
        504,
      );
    }
    return new DomainError(
      'UPSTREAM.UNAVAILABLE',
      `${capitalize(this.service)} cannot be reached right now, so nothing was changed. Try again in a moment; if this persists, check that it is running.`,
      503,
    );
  }

  private badReply(call: InternalCall, status: number, problem: string): DomainError {
    this.logger.error(
      { service: this.service, method: call.method, path: call.path, status, problem },
      'internal service answered something unexpected',
    );
    return new DomainError(
      'UPSTREAM.BAD_RESPONSE',
      `${capitalize(this.service)} gave an unexpected answer. Try again; if it persists, contact the platform team with the correlation id.`,
      502,
    );
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
