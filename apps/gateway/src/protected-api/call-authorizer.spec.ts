import { carriesCredentials } from './call-authorizer';

describe('carriesCredentials', () => {
  const call = (authorization: string | undefined, target = '/rest/V1/products', formBody?: string) => ({
    authorization,
    target,
    formBody,
  });

  it('sees OAuth and Bearer Authorization headers, whatever the case of the scheme', () => {
    expect(carriesCredentials(call('OAuth oauth_consumer_key="k"'))).toBe(true);
    expect(carriesCredentials(call('oauth realm=""'))).toBe(true);
    expect(carriesCredentials(call('Bearer abc'))).toBe(true);
    expect(carriesCredentials(call('bearer'))).toBe(true);
  });

  it('treats no header, or another scheme, as an anonymous call', () => {
    expect(carriesCredentials(call(undefined))).toBe(false);
    expect(carriesCredentials(call('Basic dXNlcjpwYXNz'))).toBe(false);
    expect(carriesCredentials(call('OAuthish x'))).toBe(false);
  });

  it('sees protocol parameters sent in the query or a form body instead (RFC 5849 3.5.2, 3.5.3)', () => {
    expect(carriesCredentials(call(undefined, '/rest/V1/products?oauth_consumer_key=k&oauth_signature=s'))).toBe(true);
    expect(carriesCredentials(call(undefined, '/rest/V1/products?a=1&oauth_signature=s'))).toBe(true);
    expect(carriesCredentials(call(undefined, '/rest/V1/products', 'name=x&oauth_signature=s'))).toBe(true);
    expect(carriesCredentials(call(undefined, '/rest/V1/products?not_oauth_signature=s'))).toBe(false);
    expect(carriesCredentials(call(undefined, '/rest/V1/oauth_signature=x'))).toBe(false);
  });
});
