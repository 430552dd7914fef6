import autocannon from 'autocannon';
import { type LatencySummary, summarize } from './stats';

export interface LoadOptions {
  title: string;
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  durationSeconds?: number;
  /** Stop after this many responses instead of after a duration. */
  amount?: number;
  method?: 'GET' | 'POST';
  /** Path of every request when `requests` is not given. */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Cycled in order by every connection; each may rewrite its request (fresh signature, next page). */
  requests?: autocannon.Request[];
  /** Seconds before a request counts as a timeout (autocannon's default is 10). */
  timeoutSeconds?: number;
}

export interface LoadResult {
  title: string;
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses with another status, by status. */
  failures: Record<number, number>;
  /** Connection errors and timeouts. */
  errors: number;
  durationSeconds: number;
  /** 2xx responses per second of wall time. */
  rps: number;
  /** Of 2xx responses, in milliseconds, measured by autocannon's client (float, not its 1-ms histogram). */
  latency: LatencySummary;
  /** Every 2xx latency (ms), to merge runs before taking percentiles. */
  samplesMs: number[];
  /** Latency (ms) of each non-2xx answer: how long a failure took to arrive. */
  failedSamplesMs: number[];
}

/**
 * One autocannon run, in this process. The SUT runs in child processes (see child-service.ts) so the
 * load tool and the server do not share an event loop; every baseline goes through this same function.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const failedLatencies: number[] = [];
  const failures: Record<number, number> = {};
  let ok = 0;
  let errors = 0;
  let startedAt = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        title: options.title,
        url: options.path ? `${options.url}${options.path}` : options.url,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        requests: options.requests,
        timeout: options.timeoutSeconds ?? 10,
      },
      (error) => {
        if (error) return reject(error);
        const durationSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
        resolve({
          title: options.title,
          ok,
          failures,
          errors,
          durationSeconds,
          rps: ok / durationSeconds,
          latency: summarize(latencies),
          samplesMs: latencies,
          failedSamplesMs: failedLatencies,
        });
      },
    );
    instance.on('start', () => {
      startedAt = process.hrtime.bigint();
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        latencies.push(responseTime);
      } else {
        failures[statusCode] = (failures[statusCode] ?? 0) + 1;
        failedLatencies.push(responseTime);
      }
    });
    instance.on('reqError', () => {
      errors += 1;
    });
  });
}

/** A run that got non-2xx answers or errors measured something else than intended: say so loudly. */
export function describeFailures(result: LoadResult): string | undefined {
  const statuses = Object.entries(result.failures).map(([status, count]) => `${count}× ${status}`);
  if (result.errors > 0) statuses.push(`${result.errors} errors/timeouts`);
  return statuses.length > 0
    ? `${result.title}: ${statuses.join(', ')} (out of ${result.ok + result.errors + Object.values(result.failures).reduce((a, b) => a + b, 0)})`
    : undefined;
}
