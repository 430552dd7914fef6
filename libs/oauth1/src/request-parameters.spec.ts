import {
  collectRequestParameters,
  isFormUrlencoded,
  type OAuthHttpRequest,
  protocolParameters,
} from './request-parameters';

const base: OAuthHttpRequest = {
  method: 'POST',
  url: '/rest/V1/x?searchCriteria%5Bfilter_groups%5D%5B0%5D=a+b&q=%2B&q=1',
  protocol: 'https',
  headers: { host: 'shop.example.com', authorization: 'OAuth oauth_nonce="n1", oauth_token="t"' },
};

describe('collectRequestParameters (RFC 5849 §3.4.1.3.1)', () => {
  it('takes the query (form-decoded, duplicates kept) and the OAuth header', () => {
    expect(collectRequestParameters(base)).toEqual([
      ['searchCriteria[filter_groups][0]', 'a b'],
      ['q', '+'],
      ['q', '1'],
      ['oauth_nonce', 'n1'],
      ['oauth_token', 't'],
    ]);
  });

  it('adds a form body only when the content type is application/x-www-form-urlencoded', () => {
    const form = { ...base, formBody: 'x=1+2&x=3' };
    expect(
      collectRequestParameters({ ...form, headers: { ...form.headers, contentType: 'application/json' } }),
    ).toHaveLength(5);
    expect(
      collectRequestParameters({
        ...form,
        headers: { ...form.headers, contentType: 'Application/X-WWW-Form-Urlencoded ; charset=UTF-8' },
      }).slice(5),
    ).toEqual([
      ['x', '1 2'],
      ['x', '3'],
    ]);
  });

  it('ignores an Authorization header of another scheme', () => {
    const pairs = collectRequestParameters({ ...base, headers: { ...base.headers, authorization: 'Bearer abc' } });
    expect(pairs.map(([n]) => n)).toEqual(['searchCriteria[filter_groups][0]', 'q', 'q']);
  });

  it('signs oauth_* parameters from the query too (RFC), unlike Magento', () => {
    const pairs = collectRequestParameters({ ...base, url: '/x?oauth_consumer_key=k&a=1', headers: { host: 'h' } });
    expect(pairs).toEqual([
      ['oauth_consumer_key', 'k'],
      ['a', '1'],
    ]);
  });
});

describe('protocolParameters', () => {
  it('maps the oauth_* parameters', () => {
    const params = protocolParameters(collectRequestParameters(base));
    expect({ ...params }).toEqual({ oauth_nonce: 'n1', oauth_token: 't' });
  });

  it('refuses a protocol parameter sent in two places (RFC 5849 §3.1)', () => {
    const pairs = collectRequestParameters({ ...base, url: '/x?oauth_nonce=n2' });
    expect(() => protocolParameters(pairs)).toThrow(
      expect.objectContaining({ code: 'OAUTH.DUPLICATE_PROTOCOL_PARAMETER' }),
    );
  });

  it('ignores non-oauth names such as __proto__, so nothing reaches the prototype', () => {
    const params = protocolParameters([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['oauth_x', 'y'],
    ]);
    expect(Object.keys(params)).toEqual(['oauth_x']);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });
});

describe('isFormUrlencoded', () => {
  it('matches the media type only', () => {
    expect(isFormUrlencoded('application/x-www-form-urlencoded')).toBe(true);
    expect(isFormUrlencoded('application/x-www-form-urlencoded-not')).toBe(false);
    expect(isFormUrlencoded('multipart/form-data; boundary=x')).toBe(false);
    expect(isFormUrlencoded(undefined)).toBe(false);
  });
});
