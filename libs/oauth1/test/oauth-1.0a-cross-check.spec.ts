/**
 * Cross-check with the `oauth-1.0a` npm package (2.2.6) as an independent signer: what it signs,
 * we verify; what is tampered with, we refuse. Where the package departs from RFC 5849, the test
 * below documents it and our side stays RFC-correct (the RFC vectors in src/signature.spec.ts are
 * the arbiter).
 */
import {
  normalizeParameters,
  type OAuthConsumerRecord,
  type OAuthTokenRecord,
  randomToken,
  requestSignatureBaseString,
  collectRequestParameters,
  verifyRequest,
  type VerifyLookups,
} from '../src';
import { type ClientCall, type Method, received, referenceClient, signWithReference } from './support/reference-client';

interface Token extends OAuthTokenRecord {
  token: string;
}
const consumer = { id: 'c-1', key: randomToken(), secret: randomToken() };
const access: Token = { token: randomToken(), consumerId: consumer.id, type: 'access', secret: randomToken() };
const verifierRow: Token = { token: randomToken(), consumerId: consumer.id, type: 'verifier', secret: randomToken() };

function lookups(): VerifyLookups<OAuthConsumerRecord, Token> {
  const nonces = new Set<string>();
  return {
    findConsumer: async (key) => (key === consumer.key ? consumer : null),
    findToken: async (token) => (token === access.token ? access : null),
    findConsumerToken: async () => verifierRow,
    nonceStore: { claim: async (id, nonce) => !nonces.has(`${id}:${nonce}`) && !!nonces.add(`${id}:${nonce}`) },
  };
}

const verify = (request: ReturnType<typeof received>, mode: 'api-call' | 'request-token' = 'api-call') =>
  verifyRequest(request, lookups(), { mode, allowHmacSha1: true });

const signed = (method: Method, call: ClientCall) =>
  received(call, signWithReference(method, consumer, call, { token: { key: access.token, secret: access.secret } }));

const calls: Array<[string, ClientCall]> = [
  [
    'brackets in query names (searchCriteria, #33940)',
    {
      method: 'GET',
      url: 'https://shop.example.com/rest/V1/products?searchCriteria[pageSize]=10&searchCriteria[currentPage]=2&searchCriteria[filter_groups][0][filters][0][field]=name',
    },
  ],
  [
    'spaces and an encoded "+" in the query',
    { method: 'GET', url: 'https://shop.example.com/rest/V1/search?q=red%20shirt&tag=a%2Bb%20c' },
  ],
  [
    'unicode in the query',
    {
      method: 'GET',
      url: 'https://shop.example.com/rest/V1/products?name=%C3%A9t%C3%A9%20%E2%9C%93&emoji=%F0%9F%98%80',
    },
  ],
  [
    'duplicate query parameters',
    { method: 'GET', url: 'https://shop.example.com/rest/V1/products?color=red&color=blue&color=green&size=m' },
  ],
  ['a non-default port', { method: 'GET', url: 'http://127.0.0.1:8080/rest/V1/products?x=1' }],
  [
    'an encoded slash in the path (#37913)',
    { method: 'GET', url: 'https://shop.example.com/rest/V1/products/ABC%2F10' },
  ],
  [
    'an encoded slash with a query on a non-default port',
    { method: 'PUT', url: 'https://shop.example.com:8443/rest/default/V1/products/ABC%2F10?storeId=1' },
  ],
  [
    'a form body with spaces, "+", unicode, reserved characters and duplicates',
    {
      method: 'POST',
      url: 'https://shop.example.com/rest/V1/comments?src=app',
      form: { comment: 'a b+c & d=e', name: 'été ✓', tag: ['x', 'y'], 'items[0][sku]': 'ABC/10' },
    },
  ],
];

describe.each<Method>(['HMAC-SHA256', 'HMAC-SHA1'])('requests signed by oauth-1.0a with %s', (method) => {
  it.each(calls)('%s: verifies', async (_name, call) => {
    const request = signed(method, call);
    await expect(verify(request)).resolves.toMatchObject({ ok: true, token: access, signatureMethod: method });
    // And the base strings agree byte for byte.
    const client = referenceClient(method, consumer);
    const params = Object.fromEntries(collectRequestParameters(request).filter(([n]) => n.startsWith('oauth_')));
    delete params.oauth_signature;
    expect(requestSignatureBaseString(request)).toBe(
      client.getBaseString({ url: call.url, method: call.method, data: call.form ? { ...call.form } : {} }, {
        ...params,
      } as never),
    );
  });

  it.each(calls)('%s: tampered, is refused', async (_name, call) => {
    const request = signed(method, call);
    const tamperedQuery = {
      ...request,
      url: request.url.includes('?') ? `${request.url}&extra=1` : `${request.url}?extra=1`,
    };
    const tamperedPath = { ...request, url: request.url.replace('/V1/', '/V2/') };
    const tamperedSignature = {
      ...request,
      headers: {
        ...request.headers,
        authorization: request.headers.authorization!.replace(/oauth_signature="([^"]{4})/, 'oauth_signature="AAAA'),
      },
    };
    for (const bad of [tamperedQuery, tamperedPath, tamperedSignature]) {
      await expect(verify(bad)).resolves.toMatchObject({ ok: false, status: 401, code: 'OAUTH.SIGNATURE_INVALID' });
    }
    if (request.formBody) {
      const tamperedBody = { ...request, formBody: `${request.formBody}&extra=1` };
      await expect(verify(tamperedBody)).resolves.toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
    }
  });
});

describe('oauth-1.0a request-token call (no token: key "consumer_secret&")', () => {
  it('verifies', async () => {
    const call = { method: 'POST', url: 'https://shop.example.com/oauth/token/request' };
    const request = received(call, signWithReference('HMAC-SHA256', consumer, call));
    await expect(verify(request, 'request-token')).resolves.toMatchObject({ ok: true, token: verifierRow });
  });
});

describe('where oauth-1.0a departs from RFC 5849 (we keep the RFC)', () => {
  it('host case: a client that signs the lower-cased URL verifies even when the Host header arrives upper-case', async () => {
    const call = { method: 'GET', url: 'https://shop.example.com:8443/rest/V1/products?a=1' };
    const request = signed('HMAC-SHA256', call);
    request.headers.host = 'SHOP.Example.COM:8443';
    await expect(verify(request)).resolves.toMatchObject({ ok: true });
  });

  it('host case: oauth-1.0a signs an upper-case host verbatim; RFC §3.4.1.2 lower-cases it, so we refuse', async () => {
    const call = { method: 'GET', url: 'https://SHOP.Example.com/rest/V1/products' };
    const request = signed('HMAC-SHA256', call);
    expect(requestSignatureBaseString(request)).toContain('https%3A%2F%2Fshop.example.com%2F');
    await expect(verify(request)).resolves.toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
  });

  it('default port: oauth-1.0a keeps ":443" in what it signs; RFC §3.4.1.2 drops it, so we refuse', async () => {
    const withPort = signed('HMAC-SHA256', { method: 'GET', url: 'https://shop.example.com:443/rest/V1/products' });
    await expect(verify(withPort)).resolves.toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
    // Signed without the port, it verifies whatever the Host header says about the default port.
    const call = { method: 'GET', url: 'https://shop.example.com/rest/V1/products' };
    const request = signed('HMAC-SHA256', call);
    request.headers.host = 'shop.example.com:443';
    await expect(verify(request)).resolves.toMatchObject({ ok: true });
  });

  it('a raw "+" in the query: oauth-1.0a signs a literal plus; form encoding (RFC example a3=2+q) reads a space', async () => {
    const request = signed('HMAC-SHA256', {
      method: 'GET',
      url: 'https://shop.example.com/rest/V1/search?q=red+shirt',
    });
    expect(normalizeParameters(collectRequestParameters(request))).toContain('q=red%20shirt');
    await expect(verify(request)).resolves.toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
  });

  it('percent-encoded query names: oauth-1.0a does not decode names and double-encodes them; we decode (RFC)', async () => {
    const request = signed('HMAC-SHA256', {
      method: 'GET',
      url: 'https://shop.example.com/rest/V1/products?searchCriteria%5BpageSize%5D=10',
    });
    expect(normalizeParameters(collectRequestParameters(request))).toContain('searchCriteria%5BpageSize%5D=10');
    await expect(verify(request)).resolves.toMatchObject({ code: 'OAUTH.SIGNATURE_INVALID' });
  });
});
