import { randomUUID } from 'node:crypto';
import { CallbackServer, OauthHarness } from './support/oauth-harness';
import { waitFor } from '@integrations/testing';
import { parseTokenReply, signed, type Credentials } from './support/partner-client';

/**
 * The oauth service's HTTP API with real Kafka + FerretDB: activation in both modes, the partner's
 * request/access exchange (signed by the `oauth-1.0a` package), reauthorize, delete, usage, and the
 * promise that no secret is ever stored, published or logged in clear.
 */

let harness: OauthHarness;
let callback: CallbackServer;
/** Every secret the service handed out, for the final scans. */
const issuedSecrets = new Set<string>();
const CREDENTIAL = /^[0-9a-z]{32}$/;

beforeAll(async () => {
  // Usage is flushed by the test itself (see 'usage and secrecy'), never by the timer.
  harness = await OauthHarness.start({ flushMs: 600_000 });
  callback = await CallbackServer.start();
  await harness.setSettings({ 'oauth/consumer/outbound_allowlist': '127.0.0.1' });
});

afterAll(async () => {
  await callback?.close();
  await harness?.close();
});

const newIntegration = async () => {
  const id = randomUUID();
  await harness.createIntegration(id);
  return id;
};

const exchangeBody = (reauthorize = false, callbackUrl = callback.url) => ({
  mode: 'exchange',
  reauthorize,
  callbackUrl,
  storeBaseUrl: 'https://shop.example.com/',
});

type Issued = { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string };

async function issueTokens(id: string, reauthorize = false) {
  const reply = await harness.credentials(id, { mode: 'tokens', reauthorize });
  expect(reply.status).toBe(200);
  const { consumerSecret, accessToken, accessTokenSecret } = reply.body;
  [consumerSecret, accessToken, accessTokenSecret].forEach((secret: string) => issuedSecrets.add(secret));
  return reply.body as Issued;
}

/** What the partner signs with, from the four issued credentials. */
const partnerKeys = (issued: Issued) => ({
  consumer: { key: issued.consumerKey, secret: issued.consumerSecret },
  token: { key: issued.accessToken, secret: issued.accessTokenSecret },
});

/** An integration activated in tokens mode. */
async function activeTokensIntegration() {
  const id = await newIntegration();
  const issued = await issueTokens(id);
  await harness.activate(id);
  return { id, issued, ...partnerKeys(issued) };
}

const consumerOf = (form: URLSearchParams) => ({
  key: form.get('oauth_consumer_key')!,
  secret: form.get('oauth_consumer_secret')!,
});

/** Asks for credentials in exchange mode; what the partner's callback received. */
async function postedExchange(id: string) {
  await harness.credentials(id, exchangeBody());
  const form = callback.posts.at(-1)!.form;
  return { form, consumer: consumerOf(form) };
}

/** An integration activated through the exchange: the partner completed it and the registry said active. */
async function exchangedIntegration() {
  const id = await newIntegration();
  const { form, consumer } = await postedExchange(id);
  const token = await completeExchange(form);
  await harness.activate(id, 'exchange');
  return { id, form, consumer, token };
}

/** What a partner does with the POSTed credentials: request token, then access token. */
async function completeExchange(form: URLSearchParams): Promise<Credentials> {
  const consumer = consumerOf(form);
  const request = await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }));
  expect(request).toEqual({
    status: 200,
    body: expect.stringMatching(/^oauth_token=[0-9a-z]{32}&oauth_token_secret=[0-9a-z]{32}$/),
  });
  const requestToken = parseTokenReply(request.body);
  issuedSecrets.add(requestToken.secret);
  const access = await harness.tokenAccess(
    signed({
      path: '/oauth/token/access',
      consumer,
      token: requestToken,
      oauth: { oauth_verifier: form.get('oauth_verifier')! },
    }),
  );
  expect(access.status).toBe(200);
  const accessToken = parseTokenReply(access.body);
  issuedSecrets.add(accessToken.secret);
  issuedSecrets.add(accessToken.key);
  return accessToken;
}

const apiCall = (consumer: Credentials, token: Credentials, path = '/rest/V1/products?searchCriteria[pageSize]=10') =>
  harness.apiCall(signed({ method: 'GET', path, consumer, token }));

describe('tokens mode (no callback / identity link)', () => {
  it('returns four credentials of 32 [0-9a-z], valid for signed calls from the reply on', async () => {
    const id = await newIntegration();
    const issued = await issueTokens(id);
    expect(Object.keys(issued).sort()).toEqual([
      'accessToken',
      'accessTokenSecret',
      'consumerKey',
      'consumerSecret',
      'mode',
    ]);
    for (const value of [issued.consumerKey, issued.consumerSecret, issued.accessToken, issued.accessTokenSecret])
      expect(value).toMatch(CREDENTIAL);
    expect(
      new Set([issued.consumerKey, issued.consumerSecret, issued.accessToken, issued.accessTokenSecret]).size,
    ).toBe(4);

    const { consumer, token } = partnerKeys(issued);
    // In force as soon as the reply is sent, before the registry says "active": whether the
    // integration may call is the acl's answer (docs/adr/0006 §1); oauth says whose credentials these are.
    expect(await apiCall(consumer, token)).toEqual({
      ok: true,
      integrationId: id,
      consumerKey: issued.consumerKey,
      scheme: 'oauth',
    });
    await harness.activate(id);
    expect(await apiCall(consumer, token)).toEqual({
      ok: true,
      integrationId: id,
      consumerKey: issued.consumerKey,
      scheme: 'oauth',
    });
  });

  it('reauthorize keeps the consumer, rotates the access token and rejects the old one at once', async () => {
    const { id, issued: first, consumer, token: oldToken } = await activeTokensIntegration();
    expect(await apiCall(consumer, oldToken)).toMatchObject({ ok: true });

    const second = await issueTokens(id, true);
    expect(second.consumerKey).toBe(first.consumerKey);
    expect(second.consumerSecret).toBe(first.consumerSecret);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(await apiCall(consumer, oldToken)).toEqual({
      ok: false,
      status: 401,
      code: 'OAUTH.TOKEN_REVOKED',
      problem: 'Access token has been revoked',
    });
    expect(await apiCall(consumer, { key: second.accessToken, secret: second.accessTokenSecret })).toMatchObject({
      ok: true,
    });
  });

  it('a reauthorize grace period keeps the old token working until it ends', async () => {
    await harness.setSettings({ 'oauth/access/reauthorize_grace_period': 2 });
    try {
      const { id, consumer, token: oldToken } = await activeTokensIntegration();
      await issueTokens(id, true);
      expect(await apiCall(consumer, oldToken)).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect(await apiCall(consumer, oldToken)).toMatchObject({
        ok: false,
        code: 'OAUTH.TOKEN_REVOKED',
      });
    } finally {
      await harness.setSettings({ 'oauth/access/reauthorize_grace_period': 0 });
    }
  });
});

describe('exchange mode (callback + identity link)', () => {
  it('POSTs the four form fields to the callback; the partner completes the exchange; AccessTokenGranted is published', async () => {
    const id = await newIntegration();
    const before = callback.posts.length;
    const reply = await harness.credentials(id, exchangeBody());
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ mode: 'exchange', consumerKey: expect.stringMatching(CREDENTIAL) });

    expect(callback.posts).toHaveLength(before + 1);
    const post = callback.posts.at(-1)!;
    expect(post.contentType).toBe('application/x-www-form-urlencoded');
    expect([...post.form.keys()]).toEqual([
      'oauth_consumer_key',
      'oauth_consumer_secret',
      'store_base_url',
      'oauth_verifier',
    ]);
    expect(post.form.get('oauth_consumer_key')).toBe(reply.body.consumerKey);
    expect(post.form.get('store_base_url')).toBe('https://shop.example.com/');
    expect(post.form.get('oauth_verifier')).toMatch(CREDENTIAL);
    issuedSecrets.add(post.form.get('oauth_consumer_secret')!);
    issuedSecrets.add(post.form.get('oauth_verifier')!);

    const accessToken = await completeExchange(post.form);
    const granted = await waitFor(
      () => harness.publishedEvents().find((event) => event.type === 'AccessTokenGranted' && event.subject === id),
      { message: 'AccessTokenGranted on the oauth topic' },
    );
    expect(granted.data).toEqual({
      integrationId: id,
      consumerId: expect.any(String),
      accessTokenFingerprint: accessToken.key.slice(-4),
    });

    // The registry answers AccessTokenGranted with IntegrationActivated; then signed calls pass.
    await harness.activate(id, 'exchange');
    expect(await apiCall(consumerOf(post.form), accessToken)).toMatchObject({ ok: true, integrationId: id });
  });

  it('a second /oauth/token/request after the exchange is refused: the token is no longer a verifier', async () => {
    const { form, consumer } = await postedExchange(await newIntegration());
    await completeExchange(form);
    expect(await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }))).toMatchObject({
      status: 401,
      body: 'oauth_problem=Cannot+create+request+token+because+consumer+token+is+not+a+verifier+token',
    });
  });

  it('reauthorize through the exchange: old token rejected once the POST succeeded, new one works after the exchange', async () => {
    const { id, form: firstForm, consumer, token: oldToken } = await exchangedIntegration();
    expect(await apiCall(consumer, oldToken)).toMatchObject({ ok: true });

    const reply = await harness.credentials(id, exchangeBody(true));
    expect(reply.status).toBe(200);
    expect(await apiCall(consumer, oldToken)).toMatchObject({ ok: false, status: 401, code: 'OAUTH.TOKEN_REVOKED' });
    const secondForm = callback.posts.at(-1)!.form;
    expect(secondForm.get('oauth_consumer_secret')).toBe(consumer.secret); // Magento never rotates the consumer
    expect(secondForm.get('oauth_verifier')).not.toBe(firstForm.get('oauth_verifier'));
    const newToken = await completeExchange(secondForm);
    await harness.integrationEvent(id, 'IntegrationReauthorized', { mode: 'exchange' });
    expect(await apiCall(consumer, newToken)).toMatchObject({ ok: true });
  });

  it('a partner that completes the exchange before answering the POST keeps its new token; the old one is revoked', async () => {
    const { id, consumer, token: oldToken } = await exchangedIntegration();

    let newToken: Credentials | undefined;
    callback.onPost = async (form) => {
      newToken = await completeExchange(form);
    };
    try {
      expect((await harness.credentials(id, exchangeBody(true))).status).toBe(200);
    } finally {
      callback.onPost = undefined;
    }
    await harness.integrationEvent(id, 'IntegrationReauthorized', { mode: 'exchange' });
    expect(await apiCall(consumer, newToken!)).toMatchObject({ ok: true });
    expect(await apiCall(consumer, oldToken)).toMatchObject({ ok: false, code: 'OAUTH.TOKEN_REVOKED' });
  });

  it('an unreachable callback answers 502 OAUTH.CALLBACK_FAILED and changes nothing', async () => {
    const { id, consumer, token } = await exchangedIntegration();

    const closed = await CallbackServer.start();
    const deadUrl = closed.url;
    await closed.close();
    const reply = await harness.credentials(id, exchangeBody(true, deadUrl));
    expect(reply.status).toBe(502);
    expect(reply.body.error.code).toBe('OAUTH.CALLBACK_FAILED');
    expect(reply.body.error.message).toBe(
      'The attempt to post data to consumer failed: the connection was refused (callback host 127.0.0.1). Check that the callback URL is reachable and answers 2xx, then try again.',
    );
    expect(JSON.stringify(reply.body)).not.toContain(consumer.secret);
    // The partner's token still works, and no handshake was left behind.
    expect(await apiCall(consumer, token)).toMatchObject({ ok: true });
    expect(await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }))).toMatchObject({
      status: 401,
      body: 'oauth_problem=Cannot+create+request+token+because+consumer+token+is+not+a+verifier+token',
    });
  });

  it('a callback answering non-2xx is a failure too (Magento would have ignored it)', async () => {
    const id = await newIntegration();
    callback.status = 500;
    try {
      const reply = await harness.credentials(id, exchangeBody());
      expect(reply.status).toBe(502);
      expect(reply.body.error).toMatchObject({
        code: 'OAUTH.CALLBACK_FAILED',
        message: expect.stringContaining('the callback answered HTTP 500'),
      });
    } finally {
      callback.status = 200;
    }
  });

  it('SSRF guard: a loopback callback without an allow-list entry is refused before any connection', async () => {
    const id = await newIntegration();
    await harness.setSettings({ 'oauth/consumer/outbound_allowlist': '' });
    try {
      const before = callback.posts.length;
      const reply = await harness.credentials(id, exchangeBody());
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'OAUTH.CALLBACK_ADDRESS_REFUSED',
        message: expect.stringContaining('resolves to 127.0.0.1, a loopback address'),
        details: { host: '127.0.0.1', address: '127.0.0.1', kind: 'loopback' },
      });
      const metadata = await harness.credentials(id, exchangeBody(false, 'http://169.254.169.254/latest/meta-data/'));
      expect(metadata.body.error).toMatchObject({
        code: 'OAUTH.CALLBACK_ADDRESS_REFUSED',
        details: { kind: 'link-local (cloud metadata)' },
      });
      expect(callback.posts).toHaveLength(before);
    } finally {
      await harness.setSettings({ 'oauth/consumer/outbound_allowlist': '127.0.0.1' });
    }
  });
});

describe('activation completion before the partner gets its access token', () => {
  /** Up to the request token; the access step is the test's. */
  async function exchangeUpToRequestToken(id: string) {
    const { form, consumer } = await postedExchange(id);
    const requestToken = parseTokenReply(
      (await harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }))).body,
    );
    issuedSecrets.add(requestToken.secret);
    return signed({
      path: '/oauth/token/access',
      consumer,
      token: requestToken,
      oauth: { oauth_verifier: form.get('oauth_verifier')! },
    });
  }

  it('asks the registry to complete with the grant id, and answers the partner only once the registry answered', async () => {
    const id = await newIntegration();
    const accessRequest = await exchangeUpToRequestToken(id);
    let release!: () => void;
    harness.registry.hold = new Promise<void>((resolve) => (release = resolve));
    let repliedAt: number | undefined;
    const reply = harness.tokenAccess(accessRequest).then((answer) => ((repliedAt = Date.now()), answer));
    try {
      const completion = await waitFor(() => harness.registry.completions.find((c) => c.integrationId === id), {
        message: 'the completion call',
      });
      // The registry holds its answer: the partner must not get the token meanwhile (a correct
      // service never replies here; a wrong one would within this second).
      const early = await Promise.race([reply, new Promise((resolve) => setTimeout(() => resolve('no reply'), 1_000))]);
      expect(early).toBe('no reply');
      expect(completion.body).toEqual({ grantId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(completion.headers['x-correlation-id']).toEqual(expect.any(String));
    } finally {
      harness.registry.hold = undefined;
      release();
    }
    const answer = await reply;
    expect(answer.status).toBe(200);
    const completion = harness.registry.completions.find((c) => c.integrationId === id)!;
    expect(repliedAt!).toBeGreaterThanOrEqual(completion.answeredAt!);
    // The grant id is the id of the AccessTokenGranted event, so the Kafka path is recognised as a duplicate.
    const granted = await waitFor(
      () =>
        harness.oauthMessages
          .map((message) => JSON.parse(message.value ?? '{}'))
          .find((event) => event.type === 'AccessTokenGranted' && event.subject === id),
      { message: 'AccessTokenGranted on the oauth topic' },
    );
    expect(completion.body.grantId).toBe(granted.id);
  });

  it('a registry that fails or cannot be reached does not cost the partner its token (Kafka completes later)', async () => {
    harness.registry.reply = { status: 503, body: { error: { code: 'ACCESS.UNAVAILABLE', message: 'down' } } };
    try {
      const id = await newIntegration();
      const answer = await harness.tokenAccess(await exchangeUpToRequestToken(id));
      expect(answer.status).toBe(200);
      expect(harness.registry.completions.some((c) => c.integrationId === id)).toBe(true);
      expect(
        harness.logLines.some(
          (line) => line.includes(id) && line.includes('the registry answered HTTP 503') && line.includes('"level":40'),
        ),
      ).toBe(true);
      await waitFor(
        () => harness.publishedEvents().some((event) => event.type === 'AccessTokenGranted' && event.subject === id),
        { message: 'AccessTokenGranted for the Kafka path' },
      );
    } finally {
      harness.registry.reply = { status: 200, body: { outcome: 'completed', version: 3 } };
    }
  });
});

describe('reset (a new consumer, even while Kafka is down)', () => {
  const reset = (id: string, version: number) =>
    harness.credentials(id, { mode: 'tokens', reauthorize: true, integration: { status: 'reset', version } });

  it('an IntegrationReset Kafka has not delivered: activation removes the old consumer, issues a new one, and the late reset spares it', async () => {
    const { id, issued: before, consumer: oldConsumer, token: oldToken } = await activeTokensIntegration();
    // The registry committed IntegrationReset at this version; Kafka has not delivered it.
    const resetVersion = harness.nextVersion(id);

    const reply = await reset(id, resetVersion);
    expect(reply.status).toBe(200);
    const after = reply.body as Issued;
    [after.consumerSecret, after.accessToken, after.accessTokenSecret].forEach((secret) => issuedSecrets.add(secret));
    expect(after.consumerKey).not.toBe(before.consumerKey);
    expect(after.consumerSecret).not.toBe(before.consumerSecret);
    expect(await apiCall(oldConsumer, oldToken)).toMatchObject({ ok: false, code: 'OAUTH.CONSUMER_KEY_UNKNOWN' });
    const fresh = partnerKeys(after);
    expect(await apiCall(fresh.consumer, fresh.token)).toEqual({
      ok: true,
      integrationId: id,
      consumerKey: after.consumerKey,
      scheme: 'oauth',
    });

    await harness.integrationEvent(id, 'IntegrationReset', {}, { version: resetVersion });
    expect(await apiCall(fresh.consumer, fresh.token)).toMatchObject({ ok: true, consumerKey: after.consumerKey });
    const db = harness.oauth.runtime.connection.db!;
    expect(await db.collection('consumers').find({ integrationId: id }).toArray()).toEqual([
      expect.objectContaining({ _id: after.consumerKey, integrationVersion: resetVersion }),
    ]);
    const revoked = await waitFor(
      () =>
        harness
          .publishedEvents()
          .find(
            (event) =>
              event.type === 'TokensRevoked' && event.subject === id && event.data.reason === 'integration-reset',
          ),
      { message: 'TokensRevoked (integration-reset)' },
    );
    expect(revoked.data).toMatchObject({ tokens: 1 });
  });

  it('an IntegrationReset delivered first removes the consumer; the activation after it creates a new one; repeating it keeps that one', async () => {
    const { id, issued: before, consumer: oldConsumer, token: oldToken } = await activeTokensIntegration();
    const resetVersion = await harness.integrationEvent(id, 'IntegrationReset', {});
    expect(await apiCall(oldConsumer, oldToken)).toMatchObject({ ok: false, code: 'OAUTH.CONSUMER_KEY_UNKNOWN' });

    const first = (await reset(id, resetVersion)).body as Issued;
    expect(first.consumerKey).not.toBe(before.consumerKey);
    // The admin clicks Activate again before the registry recorded the activation: same consumer, new token.
    const again = (await reset(id, resetVersion)).body as Issued;
    [first, again].forEach((issued) =>
      [issued.consumerSecret, issued.accessToken, issued.accessTokenSecret].forEach((s) => issuedSecrets.add(s)),
    );
    expect(again.consumerKey).toBe(first.consumerKey);
    expect(again.accessToken).not.toBe(first.accessToken);
    const { consumer, token } = partnerKeys(again);
    expect(await apiCall(consumer, token)).toMatchObject({ ok: true, consumerKey: first.consumerKey });
  });
});

describe('delete', () => {
  it('IntegrationDeleted removes consumer, tokens and nonces; later calls are rejected at once', async () => {
    const { id, consumer, token } = await activeTokensIntegration();
    expect(await apiCall(consumer, token)).toMatchObject({ ok: true });
    const db = harness.oauth.runtime.connection.db!;
    const { consumerId } = (await db.collection('consumers').findOne({ integrationId: id }))!;
    expect(await db.collection('nonces').countDocuments({ consumerId })).toBe(1);

    await harness.integrationEvent(id, 'IntegrationDeleted', { name: `it ${id}` });
    expect(await apiCall(consumer, token)).toEqual({
      ok: false,
      status: 401,
      code: 'OAUTH.CONSUMER_KEY_UNKNOWN',
      problem: 'A consumer having the specified key does not exist',
    });
    expect(await db.collection('tokens').countDocuments({ integrationId: id })).toBe(0);
    expect(await db.collection('consumers').countDocuments({ integrationId: id })).toBe(0);
    expect(await db.collection('nonces').countDocuments({ consumerId })).toBe(0);
    const reissue = await harness.credentials(id, { mode: 'tokens', reauthorize: false });
    expect(reissue.status).toBe(404);
    expect(reissue.body.error.code).toBe('OAUTH.INTEGRATION_DELETED');
    const revoked = await waitFor(
      () => harness.publishedEvents().find((event) => event.type === 'TokensRevoked' && event.subject === id),
      { message: 'TokensRevoked' },
    );
    expect(revoked.data).toMatchObject({ reason: 'integration-deleted', tokens: 1 });
  });
});

describe('usage and secrecy', () => {
  it('counts accepted calls in memory and publishes one IntegrationUsageRecorded per integration per flush', async () => {
    const { id, consumer, token } = await activeTokensIntegration();
    for (let i = 0; i < 3; i++) expect(await apiCall(consumer, token)).toMatchObject({ ok: true });
    expect(
      harness.publishedEvents().some((event) => event.type === 'IntegrationUsageRecorded' && event.subject === id),
    ).toBe(false);
    await harness.oauth.runtime.usage.flush();
    const usage = await waitFor(
      () =>
        harness
          .publishedEvents()
          .find((event) => event.type === 'IntegrationUsageRecorded' && event.subject === id && event.data.uses === 3),
      { message: 'IntegrationUsageRecorded with 3 uses' },
    );
    expect(usage.data).toEqual({ integrationId: id, uses: 3, lastUsedAt: expect.any(String) });
    expect(
      harness.publishedEvents().filter((event) => event.type === 'IntegrationUsageRecorded' && event.subject === id),
    ).toHaveLength(1);
  });

  it('no issued secret or verifier appears in clear in the database, the oauth topic or the logs', async () => {
    expect(issuedSecrets.size).toBeGreaterThan(10);
    const db = harness.oauth.runtime.connection.db!;
    const dump: string[] = [];
    for (const { name } of await db.listCollections().toArray()) {
      for (const document of await db.collection(name).find({}).toArray()) dump.push(JSON.stringify(document));
    }
    const database = dump.join('\n');
    expect(database).toContain('gcm1:'); // the secrets are there, sealed
    const topic = harness.oauthMessages.map((message) => message.value ?? '').join('\n');
    const logs = harness.logLines.join('\n');
    // Consumer secrets, access tokens (stored as digests) and their secrets, request token secrets, verifiers.
    const where = (secret: string) =>
      [
        database.includes(secret) && 'database',
        topic.includes(secret) && 'topic',
        logs.includes(secret) && 'logs',
      ].filter(Boolean);
    const leaks = [...issuedSecrets]
      .map((secret) => ({ secret, where: where(secret) }))
      .filter((leak) => leak.where.length > 0);
    expect(leaks).toEqual([]);
  });
});
