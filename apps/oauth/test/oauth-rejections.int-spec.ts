import { randomUUID } from 'node:crypto';
import { CallbackServer, OauthHarness } from './support/oauth-harness';
import { parseTokenReply, signed, type Credentials } from './support/partner-client';

/**
 * Every refusal of the token endpoints and of signed API calls, with Magento's status and
 * `oauth_problem`, against the running service (real Kafka + FerretDB), clients signing with the
 * `oauth-1.0a` package; and the RFC 5849 cases Magento gets wrong (brackets, encoded slash, form body).
 */

let harness: OauthHarness;
let callback: CallbackServer;

beforeAll(async () => {
  harness = await OauthHarness.start();
  callback = await CallbackServer.start();
  await harness.setSettings({ 'oauth/consumer/outbound_allowlist': '127.0.0.1' });
});

afterAll(async () => {
  await callback?.close();
  await harness?.close();
});

/** Magento's body: `oauth_problem=` + PHP urlencode (spaces as "+", and ! ' ( ) * ~ escaped too). */
const problem = (text: string) =>
  `oauth_problem=${encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')}`;
const unknownKey = () => 'x'.repeat(28) + randomUUID().slice(0, 4).replace(/-/g, 'y');

/** An integration whose exchange was started: its consumer and the POSTed verifier. */
async function startedExchange(): Promise<{ id: string; consumer: Credentials; verifier: string }> {
  const id = randomUUID();
  await harness.createIntegration(id);
  const reply = await harness.credentials(id, {
    mode: 'exchange',
    reauthorize: false,
    callbackUrl: callback.url,
    storeBaseUrl: 'https://shop.example.com/',
  });
  expect(reply.status).toBe(200);
  const form = callback.posts.at(-1)!.form;
  return {
    id,
    consumer: { key: form.get('oauth_consumer_key')!, secret: form.get('oauth_consumer_secret')! },
    verifier: form.get('oauth_verifier')!,
  };
}

async function requestTokenOf(consumer: Credentials): Promise<Credentials> {
  const reply = await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }));
  expect(reply.status).toBe(200);
  return parseTokenReply(reply.body);
}

/** An active tokens-mode integration and its credentials. */
async function activeIntegration(): Promise<{ id: string; consumer: Credentials; token: Credentials }> {
  const id = randomUUID();
  await harness.createIntegration(id);
  const reply = await harness.credentials(id, { mode: 'tokens', reauthorize: false });
  await harness.activate(id);
  const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = reply.body;
  return {
    id,
    consumer: { key: consumerKey, secret: consumerSecret },
    token: { key: accessToken, secret: accessTokenSecret },
  };
}

describe('POST /oauth/token/request refusals, in Magento order', () => {
  let exchange: Awaited<ReturnType<typeof startedExchange>>;
  beforeAll(async () => {
    exchange = await startedExchange();
  });
  const request = (options: Partial<Parameters<typeof signed>[0]> = {}) =>
    harness.tokenRequest(signed({ path: '/oauth/token/request', consumer: exchange.consumer, ...options }));

  it('bad oauth_version: 400', async () => {
    expect(await request({ oauth: { oauth_version: '2.0' } })).toMatchObject({
      status: 400,
      body: problem('The "2.0" Oauth version isn\'t supported.'),
    });
  });

  it.each(['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method', 'oauth_nonce', 'oauth_timestamp'])(
    'missing %s: 400',
    async (name) => {
      expect(await request({ omit: [name] })).toMatchObject({
        status: 400,
        body: problem(`"${name}" is required. Enter and try again.`),
      });
    },
  );

  it('oauth_token of the wrong length: 400', async () => {
    expect(await request({ oauth: { oauth_token: 'short' } })).toMatchObject({
      status: 400,
      body: problem('The token length is invalid. Check the length and try again.'),
    });
  });

  it('unsupported signature method: 400; HMAC-SHA1 refused unless enabled', async () => {
    expect(await request({ oauth: { oauth_signature_method: 'PLAINTEXT' } })).toMatchObject({
      status: 400,
      body: problem('Signature method PLAINTEXT is not supported'),
    });
    expect(await request({ signatureMethod: 'HMAC-SHA1' })).toMatchObject({
      status: 400,
      body: problem('Signature method HMAC-SHA1 is not supported'),
    });
  });

  it('unknown consumer: 401', async () => {
    const reply = await request({ consumer: { key: unknownKey(), secret: 's'.repeat(32) } });
    expect(reply).toMatchObject({ status: 401, body: problem('A consumer having the specified key does not exist') });
  });

  it('timestamp too new or too old (600 s window both ways): 400', async () => {
    const now = Math.floor(Date.now() / 1000);
    const refused = { status: 400, body: problem('Incorrect timestamp value in the oauth_timestamp parameter') };
    expect(await request({ oauth: { oauth_timestamp: String(now + 700) } })).toMatchObject(refused);
    expect(await request({ oauth: { oauth_timestamp: String(now - 700) } })).toMatchObject(refused);
  });

  it('reused nonce: 401', async () => {
    const once = signed({
      path: '/oauth/token/request',
      consumer: exchange.consumer,
      signWithConsumerSecret: 'x'.repeat(32),
    });
    expect((await harness.tokenRequest(once)).status).toBe(401); // bad signature, but the nonce is claimed first (Magento order)
    const again = await harness.tokenRequest(once);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/^oauth_problem=The\+nonce\+is\+already\+being\+used\+by\+the\+consumer\+with\+ID\+/);
  });

  it('bad signature: 401', async () => {
    expect(await request({ signWithConsumerSecret: 'y'.repeat(32) })).toMatchObject({
      status: 401,
      body: problem('The signature is invalid. Verify and try again.'),
    });
  });

  it('expired consumer (oauth/consumer/expiration_period): 401 "Consumer key has expired"', async () => {
    await harness.setSettings({ 'oauth/consumer/expiration_period': 1 });
    try {
      const late = await startedExchange();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(
        await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer: late.consumer })),
      ).toMatchObject({
        status: 401,
        body: problem('Consumer key has expired'),
      });
    } finally {
      await harness.setSettings({ 'oauth/consumer/expiration_period': 300 });
    }
  });

  it('a tokens-mode consumer never started an exchange: its key has "expired" for the handshake', async () => {
    const { consumer } = await activeIntegration();
    expect(await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }))).toMatchObject({
      status: 401,
      body: problem('Consumer key has expired'),
    });
  });
});

describe('POST /oauth/token/access refusals', () => {
  it.each(['oauth_token', 'oauth_verifier'])('missing %s: 400', async (name) => {
    const { consumer, verifier } = await startedExchange();
    const token = await requestTokenOf(consumer);
    const reply = await harness.tokenAccess(
      signed({ path: '/oauth/token/access', consumer, token, oauth: { oauth_verifier: verifier }, omit: [name] }),
    );
    expect(reply).toMatchObject({ status: 400, body: problem(`"${name}" is required. Enter and try again.`) });
  });

  it('wrong verifier: 401, and the request token still works with the right one', async () => {
    const { consumer, verifier } = await startedExchange();
    const token = await requestTokenOf(consumer);
    const wrong = await harness.tokenAccess(
      signed({ path: '/oauth/token/access', consumer, token, oauth: { oauth_verifier: 'v'.repeat(32) } }),
    );
    expect(wrong).toMatchObject({ status: 401, body: problem('Token verifier and verifier token do not match') });
    const right = await harness.tokenAccess(
      signed({ path: '/oauth/token/access', consumer, token, oauth: { oauth_verifier: verifier } }),
    );
    expect(right.status).toBe(200);
  });

  it('bad signature (request token secret wrong): 401', async () => {
    const { consumer, verifier } = await startedExchange();
    const token = await requestTokenOf(consumer);
    const reply = await harness.tokenAccess(
      signed({
        path: '/oauth/token/access',
        consumer,
        token: { key: token.key, secret: 'z'.repeat(32) },
        oauth: { oauth_verifier: verifier },
      }),
    );
    expect(reply).toMatchObject({ status: 401, body: problem('The signature is invalid. Verify and try again.') });
  });

  it('an access token used as a request token: 401 "Token is already being used"', async () => {
    const { consumer, verifier } = await startedExchange();
    const token = await requestTokenOf(consumer);
    const access = parseTokenReply(
      (
        await harness.tokenAccess(
          signed({ path: '/oauth/token/access', consumer, token, oauth: { oauth_verifier: verifier } }),
        )
      ).body,
    );
    const reply = await harness.tokenAccess(
      signed({ path: '/oauth/token/access', consumer, token: access, oauth: { oauth_verifier: verifier } }),
    );
    expect(reply).toMatchObject({ status: 401, body: problem('Token is already being used') });
    // …and the spent request token cannot be exchanged twice.
    const replay = await harness.tokenAccess(
      signed({ path: '/oauth/token/access', consumer, token, oauth: { oauth_verifier: verifier } }),
    );
    expect(replay).toMatchObject({ status: 401, body: problem('Specified token does not exist') });
  });
});

describe('POST /oauth/verify/api-call', () => {
  let active: Awaited<ReturnType<typeof activeIntegration>>;
  beforeAll(async () => {
    active = await activeIntegration();
  });
  const call = (options: Partial<Parameters<typeof signed>[0]> & { path: string }) =>
    harness.apiCall(signed({ method: 'GET', consumer: active.consumer, token: active.token, ...options }));
  const accepted = () => ({ ok: true, integrationId: active.id, consumerKey: active.consumer.key, scheme: 'oauth' });

  it('accepts RFC 5849 requests Magento gets wrong: brackets and spaces in the query, an encoded slash, a form body', async () => {
    expect(
      await call({
        path: '/rest/V1/products?searchCriteria[filterGroups][0][filters][0][value]=blue%20shirt&searchCriteria[pageSize]=10',
      }),
    ).toEqual(accepted());
    expect(await call({ path: '/rest/V1/products/ABC%2F10' })).toEqual(accepted());
    expect(
      await call({
        method: 'POST',
        path: '/rest/V1/orders/1/comments',
        form: { comment: 'paid in full & shipped', notify: '1' },
      }),
    ).toEqual(accepted());
    expect(await call({ path: '/rest/default/V1/products?a=1&a=2' })).toEqual(accepted());
  });

  it('refuses a request token used as an access token', async () => {
    const { consumer } = await startedExchange();
    const requestToken = await requestTokenOf(consumer);
    expect(
      await harness.apiCall(
        signed({ method: 'GET', path: '/rest/V1/store/storeViews', consumer, token: requestToken }),
      ),
    ).toEqual({
      ok: false,
      status: 401,
      code: 'OAUTH.TOKEN_NOT_ACCESS',
      problem: 'Token is not an access token',
    });
  });

  it('refuses a bad signature, a replayed nonce and a tampered query', async () => {
    expect(await call({ path: '/rest/V1/products', signWithConsumerSecret: 'q'.repeat(32) })).toMatchObject({
      ok: false,
      status: 401,
      code: 'OAUTH.SIGNATURE_INVALID',
    });
    const once = signed({ method: 'GET', path: '/rest/V1/products', consumer: active.consumer, token: active.token });
    expect(await harness.apiCall(once)).toMatchObject({ ok: true });
    expect(await harness.apiCall(once)).toMatchObject({ ok: false, status: 401, code: 'OAUTH.NONCE_USED' });
    const tampered = signed({
      method: 'GET',
      path: '/rest/V1/products?sku=A',
      consumer: active.consumer,
      token: active.token,
    });
    expect(await harness.apiCall({ ...tampered, url: tampered.url.replace('sku=A', 'sku=B') })).toMatchObject({
      ok: false,
      code: 'OAUTH.SIGNATURE_INVALID',
    });
  });

  it('the same signed call sent five times at once is accepted exactly once', async () => {
    const request = signed({
      method: 'GET',
      path: '/rest/V1/products',
      consumer: active.consumer,
      token: active.token,
    });
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => harness.apiCall(request)));
    expect(verdicts.filter((verdict) => verdict.ok)).toHaveLength(1);
    expect(verdicts.filter((verdict) => !verdict.ok).map((verdict) => verdict.code)).toEqual(
      Array(4).fill('OAUTH.NONCE_USED'),
    );
  });

  it('refuses a call with no OAuth parameters at all: 400 for the first missing one', async () => {
    expect(await harness.apiCall({ method: 'GET', url: 'https://shop.example.com/rest/V1/products' })).toEqual({
      ok: false,
      status: 400,
      code: 'OAUTH.PARAMETER_ABSENT',
      problem: '"oauth_consumer_key" is required. Enter and try again.',
    });
  });

  it('HMAC-SHA1 only when oauth/signature/allow_hmac_sha1 is on', async () => {
    expect(await call({ path: '/rest/V1/products', signatureMethod: 'HMAC-SHA1' })).toMatchObject({
      ok: false,
      status: 400,
      code: 'OAUTH.SIGNATURE_METHOD_REJECTED',
    });
    await harness.setSettings({ 'oauth/signature/allow_hmac_sha1': true });
    try {
      expect(await call({ path: '/rest/V1/products', signatureMethod: 'HMAC-SHA1' })).toEqual(accepted());
    } finally {
      await harness.setSettings({ 'oauth/signature/allow_hmac_sha1': false });
    }
  });

  it("says whose credentials signed a call of an integration that is not active: refusing it is the acl's answer", async () => {
    const other = await activeIntegration();
    const call = () =>
      harness.apiCall(
        signed({ method: 'GET', path: '/rest/V1/products', consumer: other.consumer, token: other.token }),
      );
    await harness.integrationEvent(other.id, 'IntegrationActivationStarted', { mode: 'exchange', reauthorize: true });
    expect(await call()).toEqual({
      ok: true,
      integrationId: other.id,
      consumerKey: other.consumer.key,
      scheme: 'oauth',
    });
  });

  it('Bearer <access token>: refused by default, accepted when enabled, valid credentials whatever the status', async () => {
    const bearer = (token: string) =>
      harness.apiCall({
        method: 'GET',
        url: 'https://shop.example.com/rest/V1/products',
        authorization: `Bearer ${token}`,
      });
    expect(await bearer(active.token.key)).toMatchObject({ ok: false, status: 401, code: 'OAUTH.BEARER_DISABLED' });
    await harness.setSettings({ 'oauth/consumer/enable_integration_as_bearer': true });
    try {
      expect(await bearer(active.token.key)).toEqual({ ...accepted(), scheme: 'bearer' });
      expect(await bearer('n'.repeat(32))).toMatchObject({ ok: false, status: 401, code: 'OAUTH.TOKEN_UNKNOWN' });
      expect(await bearer(active.consumer.key)).toMatchObject({ ok: false, status: 401 });
      const other = await activeIntegration();
      await harness.integrationEvent(other.id, 'IntegrationActivationStarted', { mode: 'exchange', reauthorize: true });
      expect(await bearer(other.token.key)).toMatchObject({ ok: true, integrationId: other.id, scheme: 'bearer' });
      // A revoked token is refused by oauth itself.
      const rotated = await harness.credentials(other.id, { mode: 'tokens', reauthorize: true });
      expect(rotated.status).toBe(200);
      expect(await bearer(other.token.key)).toMatchObject({ ok: false, status: 401, code: 'OAUTH.TOKEN_REVOKED' });
      expect(await bearer(rotated.body.accessToken)).toMatchObject({ ok: true, integrationId: other.id });
    } finally {
      await harness.setSettings({ 'oauth/consumer/enable_integration_as_bearer': false });
    }
  });
});

describe("POST /oauth/verify/api-calls (the gateway's batch)", () => {
  let active: Awaited<ReturnType<typeof activeIntegration>>;
  beforeAll(async () => {
    active = await activeIntegration();
  });
  const call = (path: string, options: Partial<Parameters<typeof signed>[0]> = {}) =>
    signed({ method: 'GET', path, consumer: active.consumer, token: active.token, ...options });

  it('answers one verdict per call, in the order of the calls, each checked as the single endpoint checks it', async () => {
    const good = (n: number) => call(`/rest/V1/products?n=${n}`);
    const replayed = call('/rest/V1/orders');
    expect(await harness.apiCall(replayed)).toMatchObject({ ok: true });
    const calls = [
      good(1),
      call('/rest/V1/products', { signWithConsumerSecret: 'q'.repeat(32) }),
      good(2),
      replayed,
      { method: 'GET', url: 'https://shop.example.com/rest/V1/products' },
      { method: 'GET', url: '/rest/V1/products', authorization: good(3).authorization },
      good(4),
    ];
    const reply = await harness.post('/oauth/verify/api-calls', { calls });
    expect(reply.status).toBe(200);
    const accepted = { ok: true, integrationId: active.id, consumerKey: active.consumer.key, scheme: 'oauth' };
    expect(reply.body).toEqual({
      verdicts: [
        accepted,
        expect.objectContaining({ ok: false, status: 401, code: 'OAUTH.SIGNATURE_INVALID' }),
        accepted,
        expect.objectContaining({ ok: false, status: 401, code: 'OAUTH.NONCE_USED' }),
        expect.objectContaining({ ok: false, status: 400, code: 'OAUTH.PARAMETER_ABSENT' }),
        expect.objectContaining({ ok: false, status: 400, code: 'OAUTH.MALFORMED_REQUEST_TARGET' }),
        accepted,
      ],
    });
  });

  it('the same signed call twice in one batch is accepted once', async () => {
    const once = call('/rest/V1/products');
    const reply = await harness.post('/oauth/verify/api-calls', { calls: [once, once, once] });
    expect(reply.body.verdicts.map((verdict: { ok: boolean; code?: string }) => verdict.code ?? 'ok').sort()).toEqual([
      'OAUTH.NONCE_USED',
      'OAUTH.NONCE_USED',
      'ok',
    ]);
  });

  it.each([
    ['no calls', { calls: [] }, 'calls'],
    ['not a batch', { method: 'GET', url: 'https://shop.example.com/' }, 'calls'],
    ['a call without its method', { calls: [{ url: 'https://shop.example.com/rest/V1/products' }] }, 'calls.0.method'],
    ['an unknown field', { calls: [{ method: 'GET', url: 'https://x/', extra: 1 }] }, 'calls.0'],
    ['more than 1000 calls', { calls: Array(1001).fill({ method: 'GET', url: 'https://x/' }) }, 'calls'],
  ])('400 REQUEST.INVALID for %s, naming the field, and nothing claimed', async (_case, body, field) => {
    const reply = await harness.post('/oauth/verify/api-calls', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: 'REQUEST.INVALID',
      message: expect.stringMatching(/^The request is invalid: /),
      details: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('a batch refused as a whole claims no nonce: its calls still verify afterwards', async () => {
    const valid = call('/rest/V1/products');
    const refused = await harness.post('/oauth/verify/api-calls', { calls: [valid, { url: 'https://x/' }] });
    expect(refused.status).toBe(400);
    expect(await harness.apiCall(valid)).toMatchObject({ ok: true });
  });
});
