/**
 * A small seeded PRNG (mulberry32) for property-style tests: every run draws the same cases, so a
 * failure reproduces, and the seed in the test name says which sequence it was.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters chosen to hit every branch of the encoders: unreserved ASCII, the sub-delims that
// encodeURIComponent keeps (! ' ( ) *), other reserved ASCII, "%" and "+", controls, space, 2- and
// 3-byte UTF-8, an astral pair, and the lone surrogates that have no UTF-8 form.
const POOLS: string[][] = [
  [...'abcxyzABCXYZ0189-._~'],
  [..."!'()*"],
  [...':/?#[]@$&+,;= %"<>\\^`{|}'],
  ['\u0000', '\t', '\n', '\u007f'],
  ['é', 'ß', '\u00a0', '✓', '\u20ac', '\uffff'],
  ['😀', '\u{10ffff}'],
  ['\ud800', '\udfff'],
];

export interface RandomTextOptions {
  maxLength: number;
  /** Leave out the lone surrogates (text that can always be encoded). */
  wellFormed?: boolean;
  /** Weight of the unreserved pool, 0..1: high values exercise the fast paths. */
  unreservedBias?: number;
}

export function randomText(
  random: () => number,
  { maxLength, wellFormed = false, unreservedBias = 0.5 }: RandomTextOptions,
): string {
  const pools = wellFormed ? POOLS.slice(0, -1) : POOLS;
  const length = Math.floor(random() * (maxLength + 1));
  let text = '';
  for (let i = 0; i < length; i++) {
    const pool = random() < unreservedBias ? pools[0]! : pools[1 + Math.floor(random() * (pools.length - 1))]!;
    text += pool[Math.floor(random() * pool.length)];
  }
  return text;
}
