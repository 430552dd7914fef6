import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Magento's length for keys, secrets, tokens, verifiers and nonces (`FW/Oauth/Helper/Oauth.php`). */
export const CREDENTIAL_LENGTH = 32;
// 252 = 7 × 36: bytes at or above it are rejected, so `byte % 36` is uniform (no modulo bias).
const ACCEPT_BELOW = 252;

/** `length` characters of [0-9a-z] from the CSPRNG, uniformly distributed. */
export function randomToken(length: number = CREDENTIAL_LENGTH): string {
  let out = '';
  while (out.length < length) {
    // 4/256 of bytes are rejected; asking for a few extra usually finishes in one round.
    const bytes = randomBytes(length - out.length + 8);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      if (bytes[i] < ACCEPT_BELOW) out += ALPHABET[bytes[i] % 36];
    }
  }
  return out;
}
