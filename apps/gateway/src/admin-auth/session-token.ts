import { createHash, randomBytes } from 'node:crypto';

/**
 * Admin session tokens: 32 random bytes, base64url (43 characters). Only the SHA-256 of a token
 * is stored, so a copy of the sessions collection cannot be replayed as logins. A fast hash is
 * right here: the token has 256 bits of entropy, there is nothing to brute-force.
 */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/i;

/** The token of an `Authorization: Bearer …` header, or `undefined` when absent or malformed. */
export function bearerTokenFrom(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header.trim())?.[1];
}
