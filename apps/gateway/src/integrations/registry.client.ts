import { DomainError, isErrorBody, type Logger } from '@integrations/service-kit';

export interface RegistryCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the registry's base URL, already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Forwarded as is (only `if-match` today). */
  ifMatch?: string;
  /** Admin username, sent as `x-actor` (the registry records it in history). */
  actor: string;
  correlationId: string;
}

export interface RegistryReply {
  status: number;
  body: unknown;
  /** `timeout` when the registry served a read before it caught up with the awaited write. */
  readYourWrites?: string;
}

/**
 * HTTP client to the registry's internal API. Uses Node's global fetch (undici: pooled keep-alive
 * connections). Registry errors (our error body) come back as replies for the caller to pass
 * through; transport trouble becomes an `UPSTREAM.*` error for the admin.
 */
export const READ_YOUR_WRITES_HEADER = 'x-read-your-writes';

export class RegistryClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async call(call: RegistryCall): Promise<RegistryReply> {
    const url = new URL(`${this.baseUrl}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-actor': call.actor,
      'x-correlation-id': call.correlationId,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.ifMatch !== undefined) headers['if-match'] = call.ifMatch;
    const init: RequestInit = {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    };

    let response: Response;
    try {
      response = await this.fetchOnce(url, init);
    } catch (error) {
      // A pooled keep-alive socket may have been closed by the registry just as we reused it;
      // repeating is only safe for reads.
      if (call.method !== 'GET' || isTimeout(error)) throw this.transportError(call, error);
      try {
        response = await this.fetchOnce(url, init);
      } catch (retryError) {
        throw this.transportError(call, retryError);
      }
    }
    return this.readReply(call, response);
  }

  /** Readiness: the registry answers its liveness probe. */
  async isReachable(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/health/live`, {
        signal: AbortSignal.timeout(Math.min(this.timeoutMs, 2000)),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  private fetchOnce(url: URL, init: RequestInit): Promise<Response> {
    return fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
  }

  private async readReply(call: RegistryCall, response: Response): Promise<RegistryReply> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(call, error);
    }
    const readYourWrites = response.headers.get(READ_YOUR_WRITES_HEADER) ?? undefined;
    if (response.status === 204 || text.length === 0) {
      if (response.status < 400) return { status: response.status, body: undefined, readYourWrites };
      throw this.badReply(call, response.status, 'empty error body');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.badReply(call, response.status, 'body is not JSON');
    }
    if (response.status >= 400 && !isErrorBody(body))
      throw this.badReply(call, response.status, 'error without an error body');
    return { status: response.status, body, readYourWrites };
  }

  private transportError(call: RegistryCall, error: unknown): DomainError {
    const reason = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.name ?? 'unknown';
    this.logger.warn({ method: call.method, path: call.path, reason }, 'registry call failed');
    if (isTimeout(error)) {
      return new DomainError(
        'UPSTREAM.TIMEOUT',
        `The integration registry did not answer within ${this.timeoutMs} ms. ` +
          (call.method === 'GET'
            ? 'Try again in a moment.'
            : 'The change may or may not have been saved: reload the list before trying again.'),
        504,
      );
    }
    return new DomainError(
      'UPSTREAM.UNAVAILABLE',
      'The integration registry cannot be reached right now, so nothing was changed. Try again in a moment; if this persists, check that the registry service is running.',
      503,
    );
  }

  private badReply(call: RegistryCall, status: number, problem: string): DomainError {
    this.logger.error(
      { method: call.method, path: call.path, status, problem },
      'registry answered something unexpected',
    );
    return new DomainError(
      'UPSTREAM.BAD_RESPONSE',
      'The integration registry gave an unexpected answer. Try again; if it persists, contact the platform team with the correlation id.',
      502,
    );
  }
}

function isTimeout(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
