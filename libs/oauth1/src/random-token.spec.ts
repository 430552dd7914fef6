import { CREDENTIAL_LENGTH, randomToken } from './random-token';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

describe('randomToken', () => {
  const samples = Array.from({ length: 10_000 }, () => randomToken());

  it('is 32 characters of [0-9a-z], as Magento keys, secrets, tokens and verifiers', () => {
    expect(CREDENTIAL_LENGTH).toBe(32);
    for (const token of samples) expect(token).toMatch(/^[0-9a-z]{32}$/);
    expect(randomToken(7)).toMatch(/^[0-9a-z]{7}$/);
  });

  it('does not repeat over 10k samples', () => {
    expect(new Set(samples).size).toBe(samples.length);
  });

  it('spreads characters uniformly (chi-square over 320k characters, and at every position)', () => {
    const counts = new Map<string, number>(Array.from(ALPHABET, (c) => [c, 0]));
    const firstChar = new Map<string, number>(Array.from(ALPHABET, (c) => [c, 0]));
    for (const token of samples) {
      for (const c of token) counts.set(c, (counts.get(c) ?? 0) + 1);
      firstChar.set(token[0], (firstChar.get(token[0]) ?? 0) + 1);
    }
    const chiSquare = (observed: Map<string, number>, total: number) => {
      const expected = total / 36;
      return [...observed.values()].reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    };
    // 35 degrees of freedom: P(chi² > 80) ≈ 2e-5 for a uniform source. A modulo-biased generator
    // (byte % 36 without rejection) gives chi² in the hundreds over 320k characters.
    expect(chiSquare(counts, samples.length * 32)).toBeLessThan(80);
    expect(chiSquare(firstChar, samples.length)).toBeLessThan(80);
  });
});
