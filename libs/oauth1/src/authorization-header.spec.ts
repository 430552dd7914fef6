import { randomText, seededRandom } from '../test/support/seeded-random';
import { isOAuthAuthorization, parseAuthorizationHeader } from './authorization-header';
import { percentEncode } from './percent-encoding';

describe('parseAuthorizationHeader (RFC 5849 §3.5.1)', () => {
  it('reads quoted, percent-encoded parameters, drops realm, keeps only oauth_* names', () => {
    expect(
      parseAuthorizationHeader(
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", xoauth_requestor_id="5", ' +
          'oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready", oauth_signature="a%2Bb%2F%3D"',
      ),
    ).toEqual([
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_callback', 'http://printer.example.com/ready'],
      ['oauth_signature', 'a+b/='],
    ]);
  });

  it('treats the scheme case-insensitively and tolerates whitespace, line folds and empty list elements', () => {
    const expected = [
      ['oauth_nonce', 'n'],
      ['oauth_token', 't'],
    ];
    expect(parseAuthorizationHeader('oauth oauth_nonce="n",oauth_token="t"')).toEqual(expected);
    expect(parseAuthorizationHeader('  OAUTH   oauth_nonce = "n" ,\r\n\t, oauth_token="t",')).toEqual(expected);
  });

  it('unescapes quoted-pairs inside quoted values', () => {
    expect(parseAuthorizationHeader('OAuth oauth_nonce="a\\"b\\\\c", oauth_token="t"')).toEqual([
      ['oauth_nonce', 'a"b\\c'],
      ['oauth_token', 't'],
    ]);
  });

  it('finds escapes in any parameter, before or after plain quoted values', () => {
    expect(
      parseAuthorizationHeader(
        'OAuth oauth_nonce="n1", oauth_token="t", oauth_verifier="a\\"b", oauth_callback="x\\\\y", oauth_version="1.0", oauth_timestamp="\\1"',
      ),
    ).toEqual([
      ['oauth_nonce', 'n1'],
      ['oauth_token', 't'],
      ['oauth_verifier', 'a"b'],
      ['oauth_callback', 'x\\y'],
      ['oauth_version', '1.0'],
      ['oauth_timestamp', '1'],
    ]);
  });

  it('reads back 2,000 random headers of quoted, escaped, percent-encoded values (seed 7235)', () => {
    const random = seededRandom(7235);
    const NAMES = [
      'oauth_consumer_key',
      'oauth_token',
      'oauth_nonce',
      'oauth_timestamp',
      'oauth_signature',
      'oauth_verifier',
      'oauth_callback',
    ];
    const wrong: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const expected: Array<[string, string]> = [];
      const parts: string[] = [];
      for (const name of NAMES.filter(() => random() < 0.6)) {
        // A literal backslash or quote (escaped on the wire) sometimes ends the value.
        const value = `${randomText(random, { maxLength: 16, wellFormed: true })}${random() < 0.3 ? '\\' : ''}${random() < 0.3 ? '"' : ''}`;
        let wire = '';
        // Quotes and backslashes must be escaped; any other character may be (a quoted-pair).
        for (const c of percentEncode(value).replace(/%5C/g, '\\').replace(/%22/g, '"')) {
          wire += c === '"' || c === '\\' || random() < 0.1 ? `\\${c}` : c;
        }
        expected.push([name, value]);
        parts.push(`${name}="${wire}"`);
      }
      const header = `OAuth ${parts.join(', ')}`;
      if (JSON.stringify(parseAuthorizationHeader(header)) !== JSON.stringify(expected)) wrong.push(header);
    }
    expect(wrong).toEqual([]);
  });

  it('accepts bare values as Magento does, and an empty quoted value', () => {
    expect(parseAuthorizationHeader('OAuth oauth_nonce=abc%20d, oauth_token=""')).toEqual([
      ['oauth_nonce', 'abc d'],
      ['oauth_token', ''],
    ]);
  });

  it('does not let "+" mean space in the header (only form encoding does)', () => {
    expect(parseAuthorizationHeader('OAuth oauth_signature="ab+c="')).toEqual([['oauth_signature', 'ab+c=']]);
  });

  it('returns no parameters for a bare "OAuth"', () => {
    expect(parseAuthorizationHeader('OAuth')).toEqual([]);
  });

  it.each([
    ['Bearer abc', 'OAUTH.NOT_OAUTH_SCHEME'],
    ['', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth,oauth_nonce="a"', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth oauth_nonce="a\\"', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth oauth_nonce', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth oauth_nonce="abc', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth oauth_nonce="a" oauth_token="b"', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth ="a"', 'OAUTH.MALFORMED_AUTHORIZATION_HEADER'],
    ['OAuth oauth_nonce="%zz"', 'OAUTH.MALFORMED_ENCODING'],
    ['OAuth oauth_nonce="a", oauth_nonce="b"', 'OAUTH.DUPLICATE_PROTOCOL_PARAMETER'],
  ])('refuses %j with %s', (header, code) => {
    expect(() => parseAuthorizationHeader(header)).toThrow(expect.objectContaining({ code }));
  });

  it('never repeats a parameter value in its error message', () => {
    const secretish = 'zq9v7w1x3y5u8t2s4r6p0o1n3m5l7k9j';
    try {
      parseAuthorizationHeader(`OAuth oauth_token="${secretish}", oauth_token="${secretish}"`);
      throw new Error('expected a throw');
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish);
    }
  });
});

describe('isOAuthAuthorization', () => {
  it('recognises the scheme, not a prefix of another word', () => {
    expect(isOAuthAuthorization('OAuth oauth_nonce="1"')).toBe(true);
    expect(isOAuthAuthorization('oauth')).toBe(true);
    expect(isOAuthAuthorization('OAuth2 x')).toBe(false);
    expect(isOAuthAuthorization('Bearer abc')).toBe(false);
  });
});
