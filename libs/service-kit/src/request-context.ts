import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Per-request context so logs and events carry the correlation id without threading it by hand. */
export interface RequestContext {
  correlationId: string;
  actor?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const CORRELATION_HEADER = 'x-correlation-id';
export const ACTOR_HEADER = 'x-actor';

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Letters, digits, `_ . : -`, at most 100 characters: enough for UUIDs, W3C trace ids and the ids
 * other gateways send, and nothing that could forge a log line or a header.
 */
const SANE_CORRELATION_ID = /^[\w.:-]{1,100}$/;

/** The value as a correlation id, or undefined when it is not a sane one (a message header, …). */
export function validCorrelationId(value: unknown): string | undefined {
  return typeof value === 'string' && SANE_CORRELATION_ID.test(value) ? value : undefined;
}

/** A correlation id from a header, if it is sane (we echo it back and log it); else a new one. */
export function correlationIdFrom(header: unknown): string {
  return validCorrelationId(header) ?? randomUUID();
}
