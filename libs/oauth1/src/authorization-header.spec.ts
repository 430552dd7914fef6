import { isOAuthAuthorization, parseAuthorizationHeader } from './authorization-header';

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
