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

/** A correlation id from a header, if it is sane (we echo it back and log it). */
export function correlationIdFrom(header: unknown): string {
  return typeof header === 'string' && /^[\w.:-]{1,100}$/.test(header) ? header : randomUUID();
}
