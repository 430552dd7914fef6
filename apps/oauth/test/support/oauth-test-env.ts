import { randomBytes } from 'node:crypto';

/** A fresh OAUTH_ENCRYPTION_KEYS value (tests never touch the developer's .local key file). */
export function testEncryptionKeys(): string {
  return `test1:${randomBytes(32).toString('base64')}`;
}
