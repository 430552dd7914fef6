import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Admin password hashing with scrypt (memory-hard), stored as a self-describing string
 * `scrypt$N$r$p$salt$hash` (salt and hash base64url) so the cost can be raised later without
 * breaking existing hashes: `needsRehash` tells the login to upgrade them.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 B = 32 MiB and ~0.1 s per hash on our machines. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds on what we agree to compute from a stored string, so a corrupted row cannot make a
// login allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const PREFIX = 'scrypt';

function scrypt(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  // Node refuses when 128·N·r reaches maxmem (32 MiB by default, exactly our cost): give headroom.
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  assertSaneParams(params);
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, params);
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** Parses a stored hash; `undefined` for anything that is not a well-formed scrypt string. */
export function parsePasswordHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [, n, r, p, salt, key] = parts;
  if (![n, r, p].every((value) => /^[1-9]\d{0,7}$/.test(value))) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!isSaneParams(params)) return undefined;
  const saltBytes = Buffer.from(salt, 'base64url');
  const keyBytes = Buffer.from(key, 'base64url');
  if (saltBytes.length < 8 || keyBytes.length < 16 || keyBytes.length > 128) return undefined;
  return { params, salt: saltBytes, key: keyBytes };
}

/**
 * True when `password` matches `stored`. A malformed stored string never matches (and never
 * throws), so one bad row cannot turn a login into a 500.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const candidate = await scrypt(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(candidate, parsed.key);
}

/** True when a stored hash was made with other (older) parameters than `params`. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return true;
  return (
    parsed.params.N !== params.N ||
    parsed.params.r !== params.r ||
    parsed.params.p !== params.p ||
    parsed.key.length !== KEY_BYTES
  );
}

function isSaneParams({ N, r, p }: ScryptParams): boolean {
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  return powerOfTwo && N <= MAX_N && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P;
}

function assertSaneParams(params: ScryptParams): void {
  if (!isSaneParams(params)) {
    throw new RangeError(`scrypt parameters out of range (N a power of two ≤ 2^20, r ≤ ${MAX_R}, p ≤ ${MAX_P})`);
  }
}
