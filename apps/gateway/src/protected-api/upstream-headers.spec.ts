import { clientResponseHeaders, upstreamRequestHeaders } from './upstream-headers';

const context = {
  integrationId: 'int-1',
  correlationId: 'corr-1',
  clientAddress: '10.0.0.7',
  host: 'shop.example.com',
  scheme: 'https' as const,
};

describe('headers towards the upstream', () => {
  it('drop the OAuth Authorization, hop-by-hop headers and those the Connection header names', () => {
    const headers = upstreamRequestHeaders(
      {
        authorization: 'OAuth oauth_consumer_key="k", oauth_signature="s"',
        connection: 'keep-alive, X-Private-Hop',
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
      'x-integration-id': 'int-1',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-host': 'shop.example.com',
      'x-forwarded-proto': 'https',
      'x-correlation-id': 'corr-1',
    });
  });

  it("never pass on a client's own X-Integration-Id; an anonymous call carries none", () => {
    const headers = upstreamRequestHeaders({ 'x-integration-id': 'someone-else' }, { ...context, integrationId: null });
    expect(headers['x-integration-id']).toBeUndefined();
    expect(upstreamRequestHeaders({ 'x-integration-id': 'someone-else' }, context)['x-integration-id']).toBe('int-1');
  });

  it('describe the body actually sent: a buffered (decoded) body gets its own length and no content-encoding', () => {
    const buffered = upstreamRequestHeaders(
      { 'content-length': '30', 'content-encoding': 'gzip', 'content-type': 'application/json' },
      { ...context, bodyLength: 57 },
    );
    expect(buffered['content-length']).toBe('57');
    expect(buffered['content-encoding']).toBeUndefined();
    const streamed = upstreamRequestHeaders({ 'content-length': '30', 'content-type': 'text/xml' }, context);
    expect(streamed['content-length']).toBe('30');
    const chunked = upstreamRequestHeaders({ 'transfer-encoding': 'chunked' }, context);
    expect(chunked['transfer-encoding']).toBeUndefined();
    expect(chunked['content-length']).toBeUndefined();
  });

  it('append the client address to an existing X-Forwarded-For', () => {
    expect(upstreamRequestHeaders({ 'x-forwarded-for': '1.2.3.4' }, context)['x-forwarded-for']).toBe(
      '1.2.3.4, 10.0.0.7',
    );
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
