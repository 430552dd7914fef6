export interface WaitForOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** Default 50 ms. */
  intervalMs?: number;
  /** Says what was awaited; the timeout error starts with it. A function is called at the timeout. */
  message?: string | (() => string);
}

/**
 * Polls `predicate` until it returns a truthy value (returned) or the time is up (throws, with
 * the last error the predicate threw, if any). For eventually-consistent assertions.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const what = typeof options.message === 'function' ? options.message() : (options.message ?? 'condition');
      throw new Error(`${what} not met within ${timeoutMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** `waitFor`, answering how long it took (ms): for a figure a test prints or bounds. */
export async function timeUntil<T>(predicate: () => T | Promise<T>, options: WaitForOptions = {}): Promise<number> {
  const started = Date.now();
  await waitFor(predicate, options);
  return Date.now() - started;
}
