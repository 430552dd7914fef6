import {
  describeIssues,
  ErrorBodySchema,
  InternalHeaders,
  toContractIssues,
  type PlatformErrorBody,
} from '@integrations/contracts';
import { DomainError, type Logger } from '@integrations/service-kit';
import type { z } from 'zod';

export interface InternalCall<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the service's base URL, already encoded. */
  path: string;
  /** Written as text; undefined values are left out. */
  query?: Readonly<Record<string, string | number | undefined>>;
  body?: unknown;
  /** The version a command expects, sent as `If-Match` (`ifMatchFor`). */
  ifMatch?: string;
  /** Admin username, sent as `x-actor` (recorded in events). */
  actor?: string;
  correlationId: string;
  /** Overrides the client's timeout (a call that waits on a third party takes longer). */
  timeoutMs?: number;
  /** The contract of a 2xx answer's body (libs/contracts); anything else is a 502. */
  reply: z.ZodType<T>;
}

/** A 2xx answer, its body as the contract parsed it, or the service's error, to pass through. */
export type InternalReply<T> =
  | {
      ok: true;
      status: number;
      body: T;
      /** `timeout` when the service served a read before it caught up with the awaited write. */
      readYourWrites?: string;
    }
  | { ok: false; status: number; body: PlatformErrorBody };

/**
 * JSON client for the platform's internal APIs (registry, oauth credentials, acl resources, config
 * settings). Replies are checked against their contract: a 2xx body against the call's `reply`
 * schema, an error against the platform's error body; either comes back for the caller to pass
 * through. Transport trouble becomes an `UPSTREAM.*` error naming the service, and a reply that
 * breaks its contract a 502 `UPSTREAM.BAD_RESPONSE`, logged with the fields at fault but never
 * their values (bodies may carry credentials). Global fetch: undici's pooled keep-alive connections.
 */
export class InternalServiceClient {
  constructor(
    /** Named in messages, e.g. "the oauth service". */
    private readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async call<T>(call: InternalCall<T>): Promise<InternalReply<T>> {
    const url = new URL(`${this.baseUrl}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      [InternalHeaders.correlationId]: call.correlationId,
    };
    if (call.actor) headers[InternalHeaders.actor] = call.actor;
    if (call.ifMatch !== undefined) headers[InternalHeaders.ifMatch] = call.ifMatch;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = call.timeoutMs ?? this.timeoutMs;
    const init: RequestInit = {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      // An internal service never redirects; following one would send the body elsewhere.
      redirect: 'manual',
    };

    let response: Response;
    try {
      response = await this.fetchOnce(url, init, timeoutMs);
    } catch (error) {
      // A pooled keep-alive socket may have been closed by the service just as we reused it;
      // repeating is only safe for reads.
      if (call.method !== 'GET' || isTimeout(error)) throw this.transportError(call, error, timeoutMs);
      try {
        response = await this.fetchOnce(url, init, timeoutMs);
      } catch (retryError) {
        throw this.transportError(call, retryError, timeoutMs);
      }
    }
    return this.readReply(call, response, timeoutMs);
  }

  /** Readiness: the service answers its liveness probe. */
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

  private fetchOnce(url: URL, init: RequestInit, timeoutMs: number): Promise<Response> {
    return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  }

  private async readReply<T>(call: InternalCall<T>, response: Response, timeoutMs: number): Promise<InternalReply<T>> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(call, error, timeoutMs);
    }
    const { status } = response;
    let body: unknown;
    try {
      body = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      throw this.badReply(call, status, 'the body is not JSON');
    }
    if (status >= 200 && status < 300) {
      const parsed = call.reply.safeParse(body);
      if (!parsed.success) throw this.badReply(call, status, 'the body breaks its contract', parsed.error);
      const readYourWrites = response.headers.get(InternalHeaders.readYourWrites) ?? undefined;
      return { ok: true, status, body: parsed.data, ...(readYourWrites ? { readYourWrites } : {}) };
    }
    if (status < 400) throw this.badReply(call, status, 'an unexpected status');
    const error = ErrorBodySchema.safeParse(body);
    if (!error.success) throw this.badReply(call, status, 'an error without the error body', error.error);
    return { ok: false, status, body: error.data };
  }

  private transportError(call: InternalCall<unknown>, error: unknown, timeoutMs: number): DomainError {
    const name = (error as Error)?.name;
    const reason = (error as { cause?: { code?: string } })?.cause?.code ?? name ?? 'unknown';
    // Method and path only: bodies may carry credentials.
    this.logger.warn(
      { service: this.service, method: call.method, path: call.path, reason },
      'internal service call failed',
    );
    if (isTimeout(error)) {
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

  /** Logs which fields broke the contract and how (paths and rules, never values). */
  private badReply(call: InternalCall<unknown>, status: number, problem: string, issues?: z.ZodError): DomainError {
    this.logger.error(
      {
        service: this.service,
        method: call.method,
        path: call.path,
        status,
        problem,
        ...(issues ? { issues: describeIssues(toContractIssues(issues)) } : {}),
      },
      'internal service answered something unexpected',
    );
    return new DomainError(
      'UPSTREAM.BAD_RESPONSE',
      `${capitalize(this.service)} gave an unexpected answer. Try again; if it persists, contact the platform team with the correlation id.`,
      502,
    );
  }
}

function isTimeout(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
