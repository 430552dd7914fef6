import { randomBytes } from 'node:crypto';

/** A fresh OAUTH_ENCRYPTION_KEYS value (tests never touch the developer's .local key file). */
export function testEncryptionKeys(): string {
  return `test1:${randomBytes(32).toString('base64')}`;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
