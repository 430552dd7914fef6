import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string equality for verifiers and other secrets. Both sides are hashed first so
 * the comparison always runs on two 32-byte digests: neither the length nor the position of the
 * first difference shows in the timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
