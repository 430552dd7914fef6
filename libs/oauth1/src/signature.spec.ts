import {
  collectRequestParameters,
  normalizeParameters,
  type OAuthHttpRequest,
  requestSignatureBaseString,
  sign,
  signatureBaseString,
  verifySignature,
} from './index';
import { randomText, seededRandom } from '../test/support/seeded-random';
import { percentEncode } from './percent-encoding';
import { encodedNormalizedParameters } from './signature';

// RFC 5849 §3.4.1.1, the request as printed (header folded across lines as in the RFC text).
const RFC_3_4_1_1_REQUEST: OAuthHttpRequest = {
  method: 'POST',
  url: '/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  protocol: 'http',
  headers: {
    host: 'example.com',
    contentType: 'application/x-www-form-urlencoded',
    authorization: [
      'OAuth realm="Example",',
      '        oauth_consumer_key="9djdj82h48djs9d2",',
      '        oauth_token="kkk9d7dh3k39sjv7",',
      '        oauth_signature_method="HMAC-SHA1",',
      '        oauth_timestamp="137131201",',
      '        oauth_nonce="7d8f3e4a",',
      '        oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"',
    ].join('\r\n'),
  },
  formBody: 'c2&a3=2+q',
};

// Copied from the RFC text; its line breaks are "for display purposes only".
const RFC_3_4_1_1_BASE_STRING = [
  'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q',
  '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_',
  'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m',
  'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk',
  '9d7dh3k39sjv7',
].join('');

const RFC_3_4_1_3_2_NORMALIZED =
  'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a' +
  '&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7';

describe('RFC 5849 §3.4.1.1 example', () => {
  it('collects the RFC parameter table: query, header (no realm) and body, duplicates kept, "+" decoded', () => {
    const pairs = collectRequestParameters(RFC_3_4_1_1_REQUEST);
    expect(pairs).toEqual([
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['oauth_signature', 'djosJKDKJSD8743243/jdk33klY='],
      ['c2', ''],
      ['a3', '2 q'],
    ]);
  });

  it('normalizes the parameters exactly as §3.4.1.3.2 shows (oauth_signature excluded)', () => {
    expect(normalizeParameters(collectRequestParameters(RFC_3_4_1_1_REQUEST))).toBe(RFC_3_4_1_3_2_NORMALIZED);
  });

  it('builds the signature base string byte for byte', () => {
    expect(requestSignatureBaseString(RFC_3_4_1_1_REQUEST)).toBe(RFC_3_4_1_1_BASE_STRING);
    expect(signatureBaseString('post', 'http://example.com/request', RFC_3_4_1_3_2_NORMALIZED)).toBe(
      RFC_3_4_1_1_BASE_STRING,
    );
  });
});

// RFC 5849 §1.2: the three signed requests of the photo-printing walkthrough, with their secrets.
describe('RFC 5849 §1.2 signatures (HMAC-SHA1)', () => {
  const consumerSecret = 'kd94hf93k423kf44';
  const cases: Array<{ name: string; request: OAuthHttpRequest; tokenSecret?: string; signature: string }> = [
    {
      name: 'temporary credentials request',
      request: {
        method: 'POST',
        url: '/initiate',
        protocol: 'https',
        headers: {
          host: 'photos.example.net',
          authorization:
            'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_signature_method="HMAC-SHA1", ' +
            'oauth_timestamp="137131200", oauth_nonce="wIjqoS", ' +
            'oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready", oauth_signature="74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D"',
        },
      },
      signature: '74KNZJeDHnMBp0EMJ9ZHt/XKycU=',
    },
    {
      name: 'token request',
      request: {
        method: 'POST',
        url: '/token',
        protocol: 'https',
        headers: {
          host: 'photos.example.net',
          authorization:
            'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="hh5s93j4hdidpola", ' +
            'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="walatlh", ' +
            'oauth_verifier="hfdp7dh39dks9884", oauth_signature="gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D"',
        },
      },
      tokenSecret: 'hdhd0244k9j7ao03',
      signature: 'gKgrFCywp7rO0OXSjdot/IHF7IU=',
    },
    {
      name: 'protected resource request',
      request: {
        method: 'GET',
        url: '/photos?file=vacation.jpg&size=original',
        protocol: 'http',
        headers: {
          host: 'photos.example.net',
          authorization:
            'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", ' +
            'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", ' +
            'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
        },
      },
      tokenSecret: 'pfkkdhi9sl3r4s00',
      signature: 'MdpQcU8iPSUjWoN/UDMsK2sui9I=',
    },
  ];

  it.each(cases)('$name: sign() reproduces the RFC signature and verifySignature() accepts it', (c) => {
    const baseString = requestSignatureBaseString(c.request);
    const input = { method: 'HMAC-SHA1' as const, baseString, consumerSecret, tokenSecret: c.tokenSecret };
    expect(sign(input)).toBe(c.signature);
    expect(verifySignature({ ...input, signature: c.signature })).toBe(true);
  });
});

describe('sign / verifySignature', () => {
  const input = {
    method: 'HMAC-SHA256' as const,
    baseString: 'GET&https%3A%2F%2Fshop.example.com%2Frest%2FV1%2Fproducts&a%3D1',
    consumerSecret: 'c0nsumer secret~!',
    tokenSecret: 'tok&en',
  };

  it('keys with enc(consumer secret)&enc(token secret) and outputs base64 of the raw HMAC', () => {
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const expected = createHmac('sha256', 'c0nsumer%20secret~%21&tok%26en').update(input.baseString).digest('base64');
    expect(sign(input)).toBe(expected);
    expect(Buffer.from(sign(input), 'base64')).toHaveLength(32);
    expect(Buffer.from(sign({ ...input, method: 'HMAC-SHA1' }), 'base64')).toHaveLength(20);
  });

  it('an absent token secret signs with "consumer&" (the request-token call)', () => {
    expect(sign({ ...input, tokenSecret: undefined })).toBe(sign({ ...input, tokenSecret: '' }));
    expect(sign({ ...input, tokenSecret: undefined })).not.toBe(sign(input));
  });

  it('rejects a signature made with another key, method or base string', () => {
    const good = sign(input);
    expect(verifySignature({ ...input, signature: good })).toBe(true);
    expect(verifySignature({ ...input, tokenSecret: 'other', signature: good })).toBe(false);
    expect(verifySignature({ ...input, method: 'HMAC-SHA1', signature: good })).toBe(false);
    expect(verifySignature({ ...input, baseString: `${input.baseString}2`, signature: good })).toBe(false);
  });

  it('rejects wrong lengths, empty and non-canonical base64 spellings of the right bytes', () => {
    const good = sign(input);
    expect(verifySignature({ ...input, signature: '' })).toBe(false);
    expect(verifySignature({ ...input, signature: good.slice(0, -4) })).toBe(false);
    expect(verifySignature({ ...input, signature: `${good}AAAA` })).toBe(false);
    expect(verifySignature({ ...input, signature: good.replace(/=+$/, '') })).toBe(false);
    expect(verifySignature({ ...input, signature: ` ${good}` })).toBe(false);
    const flipped = Buffer.from(good, 'base64');
    flipped[31] ^= 1;
    expect(verifySignature({ ...input, signature: flipped.toString('base64') })).toBe(false);
  });

  it('compares in constant time on equal-length buffers, whatever the received length', () => {
    const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      for (const signature of ['', 'AAAA', sign(input), `${sign(input)}AAAA`]) {
        spy.mockClear();
        verifySignature({ ...input, signature });
        expect(spy).toHaveBeenCalledTimes(1);
        const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
        expect(a.length).toBe(32);
        expect(b.length).toBe(32);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('encodedNormalizedParameters (the fast parameter part of requestSignatureBaseString)', () => {
  // Names that collide, prefix one another, differ only after encoding, or sort differently
  // decoded and encoded ("{" > "a" decoded, "%7B" < "a" encoded).
  const NAMES = [
    'a',
    'a0',
    'a b',
    'a%',
    'a{',
    'a~',
    'A',
    'a=',
    'oauth_signature',
    'oauth_nonce',
    'é',
    'q[0]',
    'q[1]',
    '',
  ];

  it('equals percentEncode(normalizeParameters(pairs)) on 3,000 random parameter lists (seed 3412)', () => {
    const random = seededRandom(3412);
    const disagreements: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      // Up to 40 pairs: both the insertion sort (short lists) and Array.prototype.sort run.
      const count = Math.floor(random() * 41);
      const pairs: Array<[string, string]> = [];
      for (let j = 0; j < count; j++) {
        const name =
          random() < 0.5
            ? NAMES[Math.floor(random() * NAMES.length)]!
            : randomText(random, { maxLength: 12, wellFormed: true });
        const value = random() < 0.2 ? 'same' : randomText(random, { maxLength: 12, wellFormed: true });
        pairs.push([name, value]);
      }
      const expected = percentEncode(normalizeParameters(pairs));
      if (encodedNormalizedParameters(pairs) !== expected) disagreements.push(JSON.stringify(pairs));
    }
    expect(disagreements).toEqual([]);
  });

  it('stays exact when more distinct names pass through than its cache of encoded names holds', () => {
    const names = Array.from({ length: 2_000 }, (_, i) => `searchCriteria[filter_groups][${i}][field]`);
    for (const round of [1, 2]) {
      for (const name of names) {
        const pairs: Array<[string, string]> = [
          [name, `v${round}`],
          ['oauth_nonce', 'n'],
        ];
        expect(encodedNormalizedParameters(pairs)).toBe(percentEncode(normalizeParameters(pairs)));
      }
    }
  });

  it('refuses a lone surrogate in a name or value, as percentEncode does', () => {
    expect(() => encodedNormalizedParameters([['a\ud800', 'x']])).toThrow(
      expect.objectContaining({ code: 'OAUTH.MALFORMED_ENCODING' }),
    );
    expect(() => encodedNormalizedParameters([['a', '\udfff']])).toThrow(
      expect.objectContaining({ code: 'OAUTH.MALFORMED_ENCODING' }),
    );
  });
});
