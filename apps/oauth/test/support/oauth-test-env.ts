import { randomBytes } from 'node:crypto';

/**
 * Addresses of the shared test infrastructure. Until `@integrations/testing` lands, read them from
 * the environment like it will, and fail with the next step to take.
 */
export function testInfra(): { mongoUrl: string; kafkaBrokers: string[] } {
  const mongoUrl = process.env.MONGO_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!mongoUrl || !brokers) {
    throw new Error('Integration tests need MONGO_URL and KAFKA_BROKERS: run `bash tools/infra/infra.sh up` then `source tools/infra/env.sh`.');
  }
  return { mongoUrl, kafkaBrokers: brokers.split(',').map((b) => b.trim()).filter(Boolean) };
}

/** A name no other test run uses (database, topic prefix). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** A fresh OAUTH_ENCRYPTION_KEYS value (tests never touch the developer's .local key file). */
export function testEncryptionKeys(): string {
  return `test1:${randomBytes(32).toString('base64')}`;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
