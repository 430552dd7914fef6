import { baseStringUri, splitRequestTarget } from './base-string-uri';

describe('baseStringUri (RFC 5849 §3.4.1.2)', () => {
  it.each([
    // The two RFC examples.
    ['http', 'EXAMPLE.COM:80', '/r%20v/X', 'http://example.com/r%20v/X'],
    ['https', 'www.example.net:8080', '/?q=1', 'https://www.example.net:8080/'],
    ['HTTPS', 'Shop.Example.com:443', '/rest/V1/products', 'https://shop.example.com/rest/V1/products'],
    ['https:', 'shop.example.com:80', '/a', 'https://shop.example.com:80/a'],
    ['http', 'shop.example.com:443', '/a', 'http://shop.example.com:443/a'],
    ['http', 'shop.example.com:', '/a', 'http://shop.example.com/a'],
    ['http', '127.0.0.1:8080', '/a', 'http://127.0.0.1:8080/a'],
    ['http', '[::1]:8080', '/a', 'http://[::1]:8080/a'],
    ['https', '[FE80::1]:443', '/a', 'https://[fe80::1]/a'],
    ['http', 'h', '', 'http://h/'],
    ['http', 'h', '/p#frag', 'http://h/p'],
  ])('%s + %s + %s -> %s', (protocol, host, rawPath, expected) => {
    expect(baseStringUri({ protocol, host, rawPath })).toBe(expected);
  });

  it('keeps the path exactly as received: no decoding, no re-encoding, case of escapes untouched', () => {
    const rawPath = '/rest/V1/products/ABC%2F10/%7Euser/a%2fb/%C3%A9';
    expect(baseStringUri({ protocol: 'https', host: 'shop.example.com', rawPath })).toBe(
      `https://shop.example.com${rawPath}`,
    );
  });

  it.each([
    ['ftp', 'h', '/a', 'OAUTH.UNSUPPORTED_PROTOCOL'],
    ['http', '', '/a', 'OAUTH.MALFORMED_HOST'],
    ['http', 'a b', '/a', 'OAUTH.MALFORMED_HOST'],
    ['http', 'h:99999', '/a', 'OAUTH.MALFORMED_HOST'],
    ['http', 'h:8o', '/a', 'OAUTH.MALFORMED_HOST'],
    ['http', 'h/x', '/a', 'OAUTH.MALFORMED_HOST'],
    ['http', '[::1', '/a', 'OAUTH.MALFORMED_HOST'],
    ['http', 'h', 'a', 'OAUTH.MALFORMED_REQUEST_TARGET'],
  ])('refuses %s + %j + %j (%s)', (protocol, host, rawPath, code) => {
    expect(() => baseStringUri({ protocol, host, rawPath })).toThrow(expect.objectContaining({ code }));
  });
});

describe('splitRequestTarget', () => {
  it('splits origin-form and absolute-form targets without decoding', () => {
    expect(splitRequestTarget('/a%2Fb?x=%20&y')).toEqual({ rawPath: '/a%2Fb', rawQuery: 'x=%20&y' });
    expect(splitRequestTarget('/a')).toEqual({ rawPath: '/a', rawQuery: '' });
    expect(splitRequestTarget('http://h:1/p?q=1#f')).toEqual({ rawPath: '/p', rawQuery: 'q=1' });
    expect(splitRequestTarget('/p?a=1?b')).toEqual({ rawPath: '/p', rawQuery: 'a=1?b' });
  });
});
