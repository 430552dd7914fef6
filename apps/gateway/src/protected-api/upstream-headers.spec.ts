import { clientResponseHeaders, upstreamRequestHeaders } from './upstream-headers';

const context = {
  integrationId: 'int-1',
  correlationId: 'corr-1',
  clientAddress: '10.0.0.7',
  host: 'shop.example.com',
  scheme: 'https' as const,
  bodyLength: undefined,
  decoded: false,
};

const ours = {
  'x-integration-id': 'int-1',
  'x-forwarded-for': '10.0.0.7',
  'x-forwarded-host': 'shop.example.com',
  'x-forwarded-proto': 'https',
  forwarded: 'for=10.0.0.7;host="shop.example.com";proto=https',
  'x-correlation-id': 'corr-1',
};

describe('headers towards the upstream', () => {
  it('drop the OAuth Authorization, hop-by-hop headers and those the Connection header names', () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'OAuth oauth_consumer_key="k", oauth_signature="s"',
        connection: 'keep-alive, X_Private_Hop',
        'keep-alive': 'timeout=5',
        'x-private-hop': 'secret',
        te: 'trailers',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic abc',
        host: 'shop.example.com',
        accept: 'application/json',
        'content-type': 'application/json',
        'x-custom': 'kept',
      },
      context,
    );
    expect(headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'x-custom': 'kept',
      ...ours,
    });
  });

  it('drop every name that CGI, PHP, WSGI or Rack would read as a protected one (case, `_` for `-`)', () => {
    const smuggled = {
      x_integration_id: 'someone',
      'x-integration_id': 'someone',
      x_forwarded_for: '1.2.3.4',
      'x-forwarded-port': '443',
      'x-forwarded-prefix': '/admin',
      x_original_url: '/rest/V1/orders',
      'x-rewrite-url': '/rest/V1/orders',
      forwarded: 'for=1.2.3.4',
      'x-real-ip': '1.2.3.4',
      x_real_ip: '1.2.3.4',
      'true-client-ip': '1.2.3.4',
      x_correlation_id: 'forged',
      'x-http-method-override': 'DELETE',
      x_http_method_override: 'DELETE',
      'x-http-method': 'DELETE',
      'x-method-override': 'DELETE',
      proxy: 'http://evil.example:8080',
      content_length: '999',
      transfer_encoding: 'chunked',
      'x-kept': 'yes',
    };
    expect(upstreamRequestHeaders(smuggled, context)).toEqual({ 'x-kept': 'yes', ...ours });
  });

  it("never pass on a client's own X-Integration-Id; an anonymous call carries none", () => {
    const headers = upstreamRequestHeaders({ 'x-integration-id': 'someone-else' }, { ...context, integrationId: null });
    expect(headers['x-integration-id']).toBeUndefined();
    expect(upstreamRequestHeaders({ 'x-integration-id': 'someone-else' }, context)['x-integration-id']).toBe('int-1');
  });

  it('describe the body actually sent: its length, and no content-encoding once decompressed', () => {
    const decoded = upstreamRequestHeaders(
      { 'content-length': '30', 'content-encoding': 'gzip', 'content-type': 'application/json' },
      { ...context, bodyLength: 57, decoded: true },
    );
    expect(decoded['content-length']).toBe('57');
    expect(decoded['content-encoding']).toBeUndefined();
    const asSent = upstreamRequestHeaders(
      { 'transfer-encoding': 'chunked', 'content-encoding': 'gzip', 'content-type': 'text/xml' },
      { ...context, bodyLength: 30 },
    );
    expect(asSent['transfer-encoding']).toBeUndefined();
    expect(asSent['content-length']).toBe('30');
    expect(asSent['content-encoding']).toBe('gzip');
    expect(upstreamRequestHeaders({}, context)['content-length']).toBeUndefined();
  });

  it("set Forwarded and X-Forwarded-* from the gateway's own view only, replacing the client's", () => {
    const headers = upstreamRequestHeaders(
      { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      { ...context, clientAddress: '::ffff:10.0.0.7' },
    );
    expect(headers).toMatchObject({
      'x-forwarded-for': '::ffff:10.0.0.7',
      'x-forwarded-host': 'shop.example.com',
      'x-forwarded-proto': 'https',
      forwarded: 'for="[::ffff:10.0.0.7]";host="shop.example.com";proto=https',
    });
  });
});

describe('headers back to the client', () => {
  it('keep the upstream answer but not its hop-by-hop headers', () => {
    expect(
      clientResponseHeaders({
        'content-type': 'application/json',
        'content-length': '12',
        connection: 'keep-alive',
        'keep-alive': 'timeout=65',
        'transfer-encoding': 'chunked',
        'x-seen-integration-id': 'int-1',
      }),
    ).toEqual({ 'content-type': 'application/json', 'content-length': '12', 'x-seen-integration-id': 'int-1' });
  });
});
