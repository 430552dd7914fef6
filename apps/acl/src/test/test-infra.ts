/**
 * Stand-in for `@integrations/testing` until that library lands: the addresses of the local
 * infrastructure, and a polling helper.
 */
export function requireTestInfra(): { kafkaBrokers: string; mongoUrl: string } {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const mongoUrl = process.env.MONGO_URL;
  if (!kafkaBrokers || !mongoUrl) {
    throw new Error(
      'Integration tests need KAFKA_BROKERS and MONGO_URL. Start local infrastructure with `bash tools/infra/infra.sh up`, then `source tools/infra/env.sh`.',
    );
  }
  return { kafkaBrokers, mongoUrl };
}

export async function waitFor(check: () => Promise<boolean> | boolean, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${options.timeoutMs ?? 5_000} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}
