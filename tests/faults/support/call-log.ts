/**
 * What the traffic loops record: one entry per HTTP call, with its start and end time, and whether
 * it failed cleanly (an HTTP status with an error body, or a refused/reset connection) or hung
 * until the client gave up.
 */
export type CallOutcome =
  /** An HTTP answer (any status). */
  | 'http'
  /** Connection refused or reset: the service is down. A clean failure. */
  | 'network'
  /** No answer within the client timeout: never acceptable. */
  | 'timeout';

export interface CallRecord {
  stream: 'admin' | 'signed';
  /** e.g. `POST /admin/v1/integrations`, `GET /rest/V1/products`. */
  what: string;
  startedAt: number;
  endedAt: number;
  outcome: CallOutcome;
  status?: number;
  /** First characters of a failed call's body or the network error, for the report. */
  detail?: string;
  /** A 4xx/5xx with a JSON error body (`{error: {...}}` or Magento's `{message}`). */
  cleanError?: boolean;
  /** That body's `error.code` (admin API) or `message` (Magento-style replies of the protected API). */
  errorCode?: string;
}

export interface OutageWindow {
  fault: string;
  /** SIGKILL (or broker stop) sent. */
  start: number;
  /** Ready again (the launcher's readiness probe, or the infra script's). */
  readyAt: number;
  /** readyAt + grace: calls overlapping [start, end] may fail. */
  end: number;
}

export const CLIENT_TIMEOUT_MS = 20_000;

/** fetch with a hard client timeout; never throws, always yields a record. */
export async function timedFetch(
  stream: CallRecord['stream'],
  what: string,
  url: string,
  init: RequestInit,
  accept: (status: number) => boolean,
): Promise<{ record: CallRecord; body: unknown }> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const ok = accept(response.status);
    const record: CallRecord = {
      stream,
      what,
      startedAt,
      endedAt: Date.now(),
      outcome: 'http',
      status: response.status,
    };
    if (!ok) {
      record.detail = text.slice(0, 200);
      record.cleanError = response.status >= 400 && typeof body === 'object' && body !== null;
      const reply = body as { error?: { code?: unknown }; message?: unknown } | undefined;
      const code = reply?.error?.code ?? reply?.message;
      if (code !== undefined) record.errorCode = String(code).slice(0, 80);
    }
    return { record, body };
  } catch (error) {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    return {
      record: {
        stream,
        what,
        startedAt,
        endedAt: Date.now(),
        outcome: timedOut ? 'timeout' : 'network',
        detail: `${err.name}: ${err.cause?.code ?? err.cause?.message ?? err.message}`.slice(0, 200),
      },
      body: undefined,
    };
  }
}

export function succeeded(record: CallRecord, accept: (status: number) => boolean): boolean {
  return record.outcome === 'http' && record.status !== undefined && accept(record.status);
}

/** The window the call overlaps, if any (a call in flight when the kill came counts as inside). */
export function windowOf(record: CallRecord, windows: readonly OutageWindow[]): OutageWindow | undefined {
  return windows.find((w) => record.startedAt <= w.end && record.endedAt >= w.start);
}
