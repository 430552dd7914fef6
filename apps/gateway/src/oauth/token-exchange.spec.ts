import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { TokenExchangeClient } from './token-exchange.client';
import { forwardedTokenRequest, relayedReply, UNAVAILABLE_REPLY, UNCHECKABLE_REPLY } from './token-exchange.request';

describe('forwardedTokenRequest', () => {
  const base = {
    method: 'post',
    signedUrl: 'http://shop.test/oauth/token/access?x=a+b',
    authorization: 'OAuth oauth_consumer_key="k"',
  };

  it('forwards a form body as its raw bytes (no re-encoding of +, %20 or duplicates)', () => {
    const raw = Buffer.from('oauth_verifier=v&a=1&a=2&note=x+y%20z');
    expect(
      forwardedTokenRequest({ ...base, contentType: 'application/x-www-form-urlencoded; charset=UTF-8', rawBody: raw }),
    ).toEqual({
      method: 'POST',
      url: 'http://shop.test/oauth/token/access?x=a+b',
      authorization: 'OAuth oauth_consumer_key="k"',
      contentType: 'application/x-www-form-urlencoded; charset=UTF-8',
      body: 'oauth_verifier=v&a=1&a=2&note=x+y%20z',
    });
  });

  it('leaves out bodies that are not form-encoded (not signed, as in Magento) and absent headers', () => {
    const forwarded = forwardedTokenRequest({
      method: 'GET',
      signedUrl: base.signedUrl,
      authorization: undefined,
      contentType: 'application/json',
      rawBody: Buffer.from('{"a":1}'),
    });
    expect(forwarded).toEqual({
      method: 'GET',
      url: base.signedUrl,
      authorization: null,
      contentType: 'application/json',
      body: null,
    });
  });
});

describe('relayedReply', () => {
  it("passes the oauth service's status, body and code through", () => {
    expect(
      relayedReply({ status: 401, body: 'oauth_problem=Consumer+key+has+expired', code: 'OAUTH.CONSUMER_KEY_EXPIRED' }),
    ).toEqual({
      status: 401,
      body: 'oauth_problem=Consumer+key+has+expired',
      code: 'OAUTH.CONSUMER_KEY_EXPIRED',
    });
    expect(relayedReply({ status: 200, body: 'oauth_token=a&oauth_token_secret=b' })).toEqual({
      status: 200,
      body: 'oauth_token=a&oauth_token_secret=b',
    });
  });

  it.each([[null], ['text'], [{ status: 500, body: 'x' }], [{ status: 200 }], [{ status: '200', body: 'x' }]])(
    'refuses an unexpected answer %j',
    (answer) => {
      expect(relayedReply(answer)).toBeNull();
    },
  );
});

describe('TokenExchangeClient', () => {
  let server: Server;
  let answer: { status: number; body: string };
  const seen: Array<{ url: string; body: unknown; correlation: unknown }> = [];
  const agent = new Agent();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body: JSON.parse(body), correlation: req.headers['x-correlation-id'] });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (prefix = '') =>
    new TokenExchangeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`, agent);
  const request = {
    method: 'POST',
    url: 'http://shop.test/oauth/token/request',
    authorization: 'OAuth x',
    contentType: null,
    body: null,
  };

  it('posts the request to /oauth/verify/<step> under the base path and relays the answer', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({ status: 400, body: 'oauth_problem=x', code: 'OAUTH.PARAMETER_ABSENT' }),
    };
    seen.length = 0;
    expect(await client('/internal/oauth/').exchange('token-access', request, 'corr-1')).toEqual({
      reply: { status: 400, body: 'oauth_problem=x', code: 'OAUTH.PARAMETER_ABSENT' },
    });
    expect(seen).toEqual([{ url: '/internal/oauth/oauth/verify/token-access', body: request, correlation: 'corr-1' }]);
  });

  it('answers 400 when the service refuses to check the request, 503 for any other failure', async () => {
    answer = { status: 400, body: JSON.stringify({ error: { code: 'REQUEST.INVALID' } }) };
    expect(await client().exchange('token-request', request, 'c')).toEqual({
      reply: UNCHECKABLE_REPLY,
      failure: 'HTTP 400',
    });
    answer = { status: 500, body: '{}' };
    expect(await client().exchange('token-request', request, 'c')).toEqual({
      reply: UNAVAILABLE_REPLY,
      failure: 'HTTP 500',
    });
    answer = { status: 200, body: 'not json' };
    expect((await client().exchange('token-request', request, 'c')).reply).toBe(UNAVAILABLE_REPLY);
    answer = { status: 200, body: JSON.stringify({ ok: true }) };
    expect(await client().exchange('token-request', request, 'c')).toEqual({
      reply: UNAVAILABLE_REPLY,
      failure: 'unexpected answer shape',
    });
  });

  it('answers 503 with a form body when the service is unreachable', async () => {
    const down = new TokenExchangeClient('http://127.0.0.1:9', agent);
    const outcome = await down.exchange('token-request', request, 'c');
    expect(outcome.reply).toEqual({
      status: 503,
      body: 'oauth_problem=The+OAuth+service+is+unavailable+right+now.+Try+again+later.',
    });
    expect(outcome.failure).toMatch(/^E[A-Z]+/);
  });
});
