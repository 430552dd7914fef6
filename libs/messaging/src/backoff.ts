export interface BackoffOptions {
  /** Delay before the second attempt. */
  initialMs: number;
  /** Upper bound for any single delay. */
  maxMs: number;
  /** Growth per attempt; 2 doubles. */
  multiplier: number;
}

export const DEFAULT_HANDLER_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 10_000, multiplier: 2 };

/**
 * Delay to wait after the `failedAttempts`-th consecutive failure (1-based): initial, initial*m, ...
 * capped at maxMs. Deterministic on purpose: retries are per message in one partition, so there is no
 * herd to spread out, and tests can reason about timing.
 */
export function backoffDelay(failedAttempts: number, options: BackoffOptions = DEFAULT_HANDLER_BACKOFF): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) {
    throw new RangeError(`failedAttempts must be a positive integer, got ${failedAttempts}`);
  }
  const exponent = failedAttempts - 1;
  // Math.pow overflows to Infinity for large exponents; min() then caps it, so no special case needed.
  return Math.min(options.maxMs, Math.round(options.initialMs * Math.pow(options.multiplier, exponent)));
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts, so shutdown never waits out a backoff. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
