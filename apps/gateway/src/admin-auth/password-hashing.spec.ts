import {
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  parsePasswordHash,
  verifyPassword,
} from './password-hashing';

// A cheap cost keeps the suite fast; the default cost is exercised once below.
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('admin password hashing (scrypt)', () => {
  it('stores a self-describing scrypt$N$r$p$salt$hash string with a 16-byte salt and no plaintext', async () => {
    const stored = await hashPassword('correct horse battery', CHEAP);
    const [prefix, n, r, p, salt, key] = stored.split('$');
    expect([prefix, n, r, p]).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('correct horse');
  });

  it('uses N=2^15, r=8, p=1 by default and verifies with it', async () => {
    const stored = await hashPassword('default cost password');
    expect(parsePasswordHash(stored)?.params).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    await expect(verifyPassword('default cost password', stored)).resolves.toBe(true);
  });

  it('verifies the right password and rejects others', async () => {
    const stored = await hashPassword('correct horse battery', CHEAP);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery ', stored)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently each time, both verify', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password here', CHEAP),
      hashPassword('same password here', CHEAP),
    ]);
    expect(a).not.toEqual(b);
    await expect(verifyPassword('same password here', a)).resolves.toBe(true);
    await expect(verifyPassword('same password here', b)).resolves.toBe(true);
  });

  it('treats Unicode compositions of the same text as the same password (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9 au lait ok', CHEAP);
    await expect(verifyPassword('cafe\u0301 au lait ok', stored)).resolves.toBe(true);
  });

  it('never matches (and never throws on) malformed or hostile stored strings', async () => {
    const good = await hashPassword('pw for tampering', CHEAP);
    const [, , r, p, salt, key] = good.split('$');
    const hostile = [
      '',
      'plaintext',
      'bcrypt$10$abc',
      good.replace(/^scrypt/, 'Scrypt'),
      ['scrypt', '1000', r, p, salt, key].join('$'), // N not a power of two
      ['scrypt', String(2 ** 24), r, p, salt, key].join('$'), // would allocate gigabytes
      ['scrypt', '1024', '0', p, salt, key].join('$'),
      ['scrypt', '1024', r, '99', salt, key].join('$'),
      ['scrypt', '1024', r, p, '', key].join('$'),
      ['scrypt', '1024', r, p, salt, 'AA'].join('$'),
      `${good}$extra`,
    ];
    for (const stored of hostile) {
      expect(parsePasswordHash(stored)).toBeUndefined();
      await expect(verifyPassword('pw for tampering', stored)).resolves.toBe(false);
    }
  });

  it('detects a tampered hash or salt', async () => {
    const stored = await hashPassword('pw for tampering', CHEAP);
    const parts = stored.split('$');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64url');
      bytes[0] ^= 1;
      return bytes.toString('base64url');
    };
    const tamperedKey = [...parts.slice(0, 5), flip(parts[5])].join('$');
    const tamperedSalt = [...parts.slice(0, 4), flip(parts[4]), parts[5]].join('$');
    await expect(verifyPassword('pw for tampering', tamperedKey)).resolves.toBe(false);
    await expect(verifyPassword('pw for tampering', tamperedSalt)).resolves.toBe(false);
  });

  it('asks for a rehash when the stored cost differs from the current one', async () => {
    const cheap = await hashPassword('pw to upgrade later', CHEAP);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(cheap, CHEAP)).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
    expect(DEFAULT_SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 14);
  });

  it('refuses to create hashes with unsafe parameters', async () => {
    await expect(hashPassword('x'.repeat(12), { N: 1000, r: 8, p: 1 })).rejects.toThrow(RangeError);
  });
});
