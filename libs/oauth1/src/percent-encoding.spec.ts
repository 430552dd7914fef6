import { OAuth1FormatError } from './oauth1.errors';
import { randomText, seededRandom } from '../test/support/seeded-random';
import {
  formDecode,
  isUnreserved,
  parseFormUrlencoded,
  percentDecode,
  percentEncode,
  percentEncodeSlow,
  phpUrlencode,
} from './percent-encoding';

describe('percentEncode (RFC 5849 §3.6)', () => {
  it('keeps exactly ALPHA DIGIT - . _ ~ and encodes every other ASCII character as upper-case %XX', () => {
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      const expected = /[A-Za-z0-9\-._~]/.test(c) ? c : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(percentEncode(c)).toBe(expected);
    }
  });

  it('encodes UTF-8 octets', () => {
    expect(percentEncode('été ✓')).toBe('%C3%A9t%C3%A9%20%E2%9C%93');
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
    expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
  });

  it('refuses a lone surrogate, which has no UTF-8 form', () => {
    expect(() => percentEncode('\uD800')).toThrow(OAuth1FormatError);
  });
});

describe('percentEncode fast path (unreserved ASCII returned as is)', () => {
  const outcome = (encode: (value: string) => string, value: string) => {
    try {
      return encode(value);
    } catch (error) {
      return `throws ${(error as OAuth1FormatError).code}`;
    }
  };

  it('isUnreserved holds for exactly the UTF-16 code units that encoding leaves unchanged', () => {
    const wrong: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      if (isUnreserved(c) !== (outcome(percentEncodeSlow, c) === c)) wrong.push(code);
    }
    expect(wrong).toEqual([]);
    expect(isUnreserved('')).toBe(true);
    expect(isUnreserved('abc\n')).toBe(false);
  });

  it('agrees with the slow path on 20,000 random strings (seed 5849), errors included', () => {
    const random = seededRandom(5849);
    const disagreements: string[] = [];
    let fastPathTaken = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = randomText(random, { maxLength: 24, unreservedBias: i % 2 === 0 ? 0.5 : 0.97 });
      if (isUnreserved(value)) fastPathTaken++;
      if (outcome(percentEncode, value) !== outcome(percentEncodeSlow, value))
        disagreements.push(JSON.stringify(value));
    }
    expect(disagreements).toEqual([]);
    // Both paths were exercised: a property over inputs that all take one path proves nothing.
    expect(fastPathTaken).toBeGreaterThan(2_000);
    expect(fastPathTaken).toBeLessThan(18_000);
  });
});

describe('percentDecode / formDecode', () => {
  it('decodes UTF-8 percent escapes in either hex case', () => {
    expect(percentDecode('%C3%a9t%c3%A9')).toBe('été');
    expect(percentDecode('a+b')).toBe('a+b');
    expect(formDecode('a+b%2Bc%20d')).toBe('a b+c d');
  });

  it.each(['%', '%2', '%zz', '%FF', '%C3', '%C0%AF', '%ED%A0%80'])('refuses malformed or non-UTF-8 %s', (bad) => {
    expect(() => percentDecode(bad)).toThrow(expect.objectContaining({ code: 'OAUTH.MALFORMED_ENCODING' }));
  });
});

describe('parseFormUrlencoded', () => {
  it('keeps order and duplicates, reads a bare name as empty, skips empty segments, splits on the first "="', () => {
    expect(parseFormUrlencoded('c2&a3=2+q&a3=a&&x=y=z&', 'form body')).toEqual([
      ['c2', ''],
      ['a3', '2 q'],
      ['a3', 'a'],
      ['x', 'y=z'],
    ]);
    expect(parseFormUrlencoded('', 'query')).toEqual([]);
  });

  it('decodes names too (brackets, "+")', () => {
    expect(parseFormUrlencoded('searchCriteria%5BpageSize%5D=10&a+b=1', 'query')).toEqual([
      ['searchCriteria[pageSize]', '10'],
      ['a b', '1'],
    ]);
  });
});

describe('phpUrlencode (what Magento writes in oauth_problem bodies)', () => {
  it('writes spaces as "+", keeps - _ . and encodes "~" like PHP urlencode', () => {
    expect(phpUrlencode('Consumer key has expired')).toBe('Consumer+key+has+expired');
    expect(phpUrlencode('"a~b-c_d.e" é&=')).toBe('%22a%7Eb-c_d.e%22+%C3%A9%26%3D');
  });
});
