import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'gcm1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** A sealed value that cannot be opened: unknown key id, tampered data, or the wrong context. */
export class SecretUnreadableError extends Error {
  override readonly name = 'SecretUnreadableError';
  readonly code = 'OAUTH.SECRET_UNREADABLE';
}

/**
 * AES-256-GCM for the secrets the oauth service stores (consumer secrets, token secrets, verifiers).
 *
 * Sealed text: `gcm1:<key id>:<iv>:<ciphertext>:<tag>` (base64url parts). The key id travels with
 * the ciphertext so keys can rotate: new values are sealed with the active key, old ones still open
 * with theirs as long as that key is configured.
 *
 * `context` is bound as additional authenticated data (e.g. `consumer:<key>:secret`): a sealed
 * secret copied onto another row, or into another field, does not open there.
 */
export class SecretBox {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    if (!keys.has(activeKeyId))
      throw new Error(`The active encryption key "${activeKeyId}" is not among the configured keys`);
    for (const [id, key] of keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`Encryption key id "${id}" must match ${KEY_ID_PATTERN}`);
      if (key.length !== 32) throw new Error(`Encryption key "${id}" must be 32 bytes, got ${key.length}`);
    }
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.activeKeyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.activeKeyId, b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join(':');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT)
      throw new SecretUnreadableError('A stored secret is not in the gcm1 format');
    const [, keyId, iv, ciphertext, tag] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretUnreadableError(
        `A stored secret was sealed with key "${keyId}", which is not configured (OAUTH_ENCRYPTION_KEYS)`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadableError(
        `A stored secret (key "${keyId}") failed authentication: tampered, or moved from another record`,
      );
    }
  }

  /** Whether a key id is configured (tells an unknown key from a value that fails authentication). */
  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** The configured key ids (never the keys). */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** The key a sealed value was sealed with (re-encryption jobs look for values not under the active key). */
  static keyIdOf(sealed: string): string | undefined {
    const parts = sealed.split(':');
    return parts.length === 5 && parts[0] === FORMAT ? parts[1] : undefined;
  }
}

const b64 = (buffer: Buffer) => buffer.toString('base64url');
