import { formatProblem } from '@integrations/oauth1';
import type OAuth from 'oauth-1.0a';
import { followIdentityLink } from './fixtures/identity-link-browser';
import { type OauthE2eStack, startOauthE2eStack } from './fixtures/oauth-e2e-stack';
import {
  allowLoopbackCallbacks,
  createIntegration as createIntegrationIn,
  CREDENTIAL,
  type Credentials,
  type Json,
  signedCall,
  signer,
  waitUntil,
} from './fixtures/platform-stack';
import { databasesNamed, findSecrets, type KnownSecret, readDatabases, readTopics } from './fixtures/secret-scan';
import { ADMIN, startTestGateway } from './support/gateway-harness';

/**
 * The OAuth 1.0a handshake end to end through the gateway, as a Magento partner runs it: the admin
 * activates, the oauth service POSTs the credentials to the example partner app, the admin's browser
 * follows the identity link, the partner completes request/access through the gateway's
 * /oauth/token/* and makes signed calls through /rest. Real Kafka + FerretDB and every service;
 * then a scan of every topic, log line and database of the run for secrets in clear.
 */
let stack: OauthE2eStack;
/** Every secret the run handled, for the final scan. */
const secrets: KnownSecret[] = [];
const remember = (kind: string, value: string | undefined) => {
  if (!value) throw new Error(`no ${kind} to remember`);
  if (!secrets.some((s) => s.value === value)) secrets.push({ kind, value });
};
/** Non-secret values the scan must find (proof that it reads what it scans). */
const controls = { integrationId: '', liveConsumerKey: '' };
/** Phase durations, printed at the end. */
const timings: Record<string, number> = {};

beforeAll(async () => {
  const t0 = Date.now();
  stack = await startOauthE2eStack('oauthx');
  await allowLoopbackCallbacks(stack);
  timings['stack start'] = Date.now() - t0;
  remember('admin password', ADMIN.password);
});

afterAll(async () => {
  await stack?.close();
  process.stdout.write(`oauth-exchange timings (ms): ${JSON.stringify(timings)}\n`);
});

const base = () => stack.gateway.gateway.url;
const admin = (method: string, path: string, body?: unknown) =>
  stack.api.request(method, path, { token: stack.token, body });
const partnerUrl = () => stack.partner.url;

const createIntegration = (extra: Record<string, unknown>): Promise<Json> =>
  createIntegrationIn(stack, 'OAuth e2e', extra);

const withPartnerUrls = () => ({ callbackUrl: `${partnerUrl()}/callback`, identityLinkUrl: `${partnerUrl()}/login` });
const activate = (id: string, action: 'activate' | 'reauthorize' = 'activate') =>
  admin('POST', `/admin/v1/integrations/${id}/${action}`, { currentPassword: ADMIN.password });
const gridStatus = async (name: string) =>
  (await admin('GET', `/admin/v1/integrations?name=${encodeURIComponent(name)}`)).body.items[0]?.status;

/** The partner's "call the store" button: `{status, body}` of its signed call through the gateway. */
async function partnerCall(path: string, consumerKey?: string): Promise<{ status: number; body: Json }> {
  const query = new URLSearchParams({ path, ...(consumerKey ? { consumer_key: consumerKey } : {}) });
  const response = await fetch(`${partnerUrl()}/call?${query}`, { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as { status: number; body: Json };
}

/** How many requests the gateway answered on a route with a status (its Prometheus histogram). */
async function gatewayServed(method: string, route: string, status: number): Promise<number> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('http_server_request_duration_seconds_count{') &&
        l.includes('service="gateway"') &&
        l.includes(`method="${method}"`) &&
        l.includes(`route="${route}"`) &&
        l.includes(`status="${status}"`),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
}

function rememberLink(consumerKey: string) {
  const link = stack.partner.state.link(consumerKey);
  remember('consumer secret', link?.consumerSecret);
  remember('verifier', link?.verifier);
  if (link?.accessToken) {
    remember('access token', link.accessToken.key);
    remember('access token secret', link.accessToken.secret);
  }
}

function partnerCredentials(consumerKey: string): Credentials {
  const link = stack.partner.state.link(consumerKey)!;
  return {
    consumerKey,
    consumerSecret: link.consumerSecret,
    accessToken: link.accessToken!.key,
    accessTokenSecret: link.accessToken!.secret,
  };
}

describe('Activate with token exchange: the partner app completes it through the gateway', () => {
  let integration: Json;
  let consumerKey: string;
  let identityLinkUrl: string;
  let firstToken: Credentials;

  it('activate: 202 with the identity link, after the partner received the four fields', async () => {
    integration = await createIntegration(withPartnerUrls());
    controls.integrationId = integration.id;
    const t0 = Date.now();
    const reply = await activate(integration.id);
    timings['activate (credentials POST included)'] = Date.now() - t0;
    expect(reply.status).toBe(202);
    expect(reply.body).toEqual({
      mode: 'exchange',
      consumerKey: expect.stringMatching(CREDENTIAL),
      identityLinkUrl: expect.any(String),
    });
    ({ consumerKey, identityLinkUrl } = reply.body);
    const link = new URL(identityLinkUrl);
    expect(`${link.origin}${link.pathname}`).toBe(`${partnerUrl()}/login`);
    expect(link.searchParams.get('oauth_consumer_key')).toBe(consumerKey);
    expect(link.searchParams.get('success_call_back')).toBe(`${base()}/admin/oauth/success`);

    const received = stack.partner.state.link(consumerKey);
    expect(received).toMatchObject({
      consumerKey,
      consumerSecret: expect.stringMatching(CREDENTIAL),
      storeBaseUrl: `${base()}/`,
      verifier: expect.stringMatching(CREDENTIAL),
    });
    expect(received?.accessToken).toBeUndefined();
    rememberLink(consumerKey);
    expect(await gridStatus(integration.name)).toBe('inactive');
  });

  it('the identity link page completes request + access through the gateway and returns to success_call_back; the grid shows active', async () => {
    const requestsBefore = await gatewayServed('POST', '/oauth/token/request', 200);
    const accessBefore = await gatewayServed('POST', '/oauth/token/access', 200);
    const t0 = Date.now();
    const outcome = await followIdentityLink(identityLinkUrl);
    timings['identity link (request + access through the gateway)'] = Date.now() - t0;
    expect(outcome.page.status).toBe(200);
    expect(outcome.page.html).toContain('Link your store account');
    expect(outcome.submitted).toMatchObject({ status: 303, location: `${base()}/admin/oauth/success` });
    // Both token steps were answered by the gateway (not the oauth service directly).
    expect(await gatewayServed('POST', '/oauth/token/request', 200)).toBe(requestsBefore + 1);
    expect(await gatewayServed('POST', '/oauth/token/access', 200)).toBe(accessBefore + 1);

    const link = stack.partner.state.link(consumerKey)!;
    expect(link.accessToken).toEqual({
      key: expect.stringMatching(CREDENTIAL),
      secret: expect.stringMatching(CREDENTIAL),
    });
    rememberLink(consumerKey);
    firstToken = partnerCredentials(consumerKey);

    timings['exchange done -> grid active'] = await waitUntil(
      async () => (await gridStatus(integration.name)) === 'active',
      'the grid shows active',
    );
    const status = await (await fetch(`${partnerUrl()}/status`)).text();
    expect(JSON.parse(status).links).toContainEqual(expect.objectContaining({ consumerKey, hasAccessToken: true }));
    for (const secret of secrets) expect(status).not.toContain(secret.value);
  });

  it("the partner's signed call through the gateway's /rest reaches the commerce API", async () => {
    const t0 = Date.now();
    await waitUntil(
      async () => (await partnerCall('/rest/V1/products')).status === 200,
      'the first signed call is accepted',
    );
    timings['grid active -> first signed call 200'] = Date.now() - t0;
    const call = await partnerCall('/rest/V1/products?searchCriteria[pageSize]=2');
    expect(call.status).toBe(200);
    expect(call.body.items).toHaveLength(2);
    expect(stack.upstreamSaw.at(-1)).toMatchObject({ method: 'GET', integrationId: integration.id });
  });

  it('reauthorize runs the exchange again: the old token is refused at once, the new one works once linked', async () => {
    const reply = await activate(integration.id, 'reauthorize');
    expect(reply.status).toBe(202);
    expect(reply.body.consumerKey).toBe(consumerKey);
    const received = stack.partner.state.link(consumerKey)!;
    expect(received.verifier).toMatch(CREDENTIAL);
    expect(received.accessToken).toBeUndefined();
    rememberLink(consumerKey);

    // From the moment the reply is sent.
    expect((await signedCall(base(), firstToken, 'GET', '/rest/V1/products')).status).toBe(401);

    const outcome = await followIdentityLink(reply.body.identityLinkUrl);
    expect(outcome.submitted).toMatchObject({ status: 303, location: `${base()}/admin/oauth/success` });
    rememberLink(consumerKey);
    const second = partnerCredentials(consumerKey);
    expect(second.accessToken).not.toBe(firstToken.accessToken);
    expect(second.accessTokenSecret).not.toBe(firstToken.accessTokenSecret);
    timings['reauthorize link -> new token 200'] = await waitUntil(
      async () => (await partnerCall('/rest/V1/products')).status === 200,
      'the new token is accepted',
    );
    // The grid is a projection of the lifecycle topic: it follows the completion, it does not gate it.
    await waitUntil(async () => (await gridStatus(integration.name)) === 'active', 'the grid shows active again');
    const old = await signedCall(base(), firstToken, 'GET', '/rest/V1/products');
    expect(old.status).toBe(401);
    expect(old.body.message).toMatch(/revoked|does not exist/i);
  });

  it('delete: every later call with those credentials is refused', async () => {
    const current = partnerCredentials(consumerKey);
    expect((await admin('DELETE', `/admin/v1/integrations/${integration.id}`)).status).toBeLessThan(300);
    timings['delete -> 401'] = await waitUntil(
      async () => (await partnerCall('/rest/V1/products')).status === 401,
      'the deleted integration is refused',
    );
    expect((await signedCall(base(), current, 'GET', '/rest/V1/products')).status).toBe(401);
    expect((await signedCall(base(), firstToken, 'GET', '/rest/V1/products')).status).toBe(401);
  });
});

describe('Activate without token exchange (identity link empty): tokens in the reply, nothing POSTed', () => {
  it('activate -> 200 credentials -> signed call; reauthorize -> old refused, new ok; delete -> refused', async () => {
    const integration = await createIntegration({ callbackUrl: `${partnerUrl()}/callback` });
    const reply = await activate(integration.id);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toMatch(/no-store/);
    expect(reply.body).toEqual({
      mode: 'tokens',
      credentials: {
        consumerKey: expect.stringMatching(CREDENTIAL),
        consumerSecret: expect.stringMatching(CREDENTIAL),
        accessToken: expect.stringMatching(CREDENTIAL),
        accessTokenSecret: expect.stringMatching(CREDENTIAL),
      },
    });
    const first: Credentials = reply.body.credentials;
    remember('consumer secret', first.consumerSecret);
    remember('access token', first.accessToken);
    remember('access token secret', first.accessTokenSecret);
    // Magento posts nothing when a URL is empty, even with a callback URL set (§3.2, #31108).
    expect(stack.partner.state.link(first.consumerKey)).toBeUndefined();
    expect(await gridStatus(integration.name)).toBe('active');
    await waitUntil(
      async () => (await signedCall(base(), first, 'GET', '/rest/V1/products')).status === 200,
      'the tokens-mode credentials are accepted',
    );

    const again = await activate(integration.id, 'reauthorize');
    expect(again.status).toBe(200);
    const second: Credentials = again.body.credentials;
    remember('access token', second.accessToken);
    remember('access token secret', second.accessTokenSecret);
    expect(second.consumerKey).toBe(first.consumerKey);
    expect(second.consumerSecret).toBe(first.consumerSecret);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await signedCall(base(), first, 'GET', '/rest/V1/products')).status).toBe(401);
    await waitUntil(
      async () => (await signedCall(base(), second, 'GET', '/rest/V1/products')).status === 200,
      'the reauthorized token is accepted',
    );

    expect((await admin('DELETE', `/admin/v1/integrations/${integration.id}`)).status).toBeLessThan(300);
    await waitUntil(
      async () => (await signedCall(base(), second, 'GET', '/rest/V1/products')).status === 401,
      'the deleted integration is refused',
    );
  });
});

interface Consumer {
  key: string;
  secret: string;
}
interface TokenCallOptions {
  consumer: Consumer;
  token?: Consumer;
  verifier?: string;
  /** Where oauth_verifier travels: the Authorization header (default) or a signed form body. */
  verifierIn?: 'header' | 'body';
  method?: 'GET' | 'POST';
  /** Protocol parameters left out after signing. */
  omit?: string[];
  /** Sign with a wrong consumer secret. */
  badSignature?: boolean;
}
interface TokenReply {
  status: number;
  body: string;
  headers: Headers;
}

/** A partner's token request to the gateway, signed by `oauth-1.0a` (HMAC-SHA256). */
async function tokenCall(step: 'request' | 'access', options: TokenCallOptions): Promise<TokenReply> {
  const method = options.method ?? 'POST';
  const url = `${base()}/oauth/token/${step}`;
  const client = signer({
    consumerKey: options.consumer.key,
    consumerSecret: options.badSignature ? 'w'.repeat(32) : options.consumer.secret,
  });
  const form = options.verifier && options.verifierIn === 'body' ? { oauth_verifier: options.verifier } : undefined;
  const data = options.verifier && !form ? { oauth_verifier: options.verifier } : (form ?? {});
  const oauth = client.authorize({ url, method, data: { ...data } }, options.token) as unknown as Record<
    string,
    string
  >;
  if (form) delete oauth.oauth_verifier;
  for (const name of options.omit ?? []) delete oauth[name];
  const headers: Record<string, string> = {
    authorization: client.toHeader(oauth as unknown as OAuth.Authorization).Authorization,
  };
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

function tokenOf(reply: TokenReply): Consumer {
  expect(reply).toMatchObject({
    status: 200,
    body: expect.stringMatching(/^oauth_token=[0-9a-z]{32}&oauth_token_secret=[0-9a-z]{32}$/),
  });
  const form = new URLSearchParams(reply.body);
  return { key: form.get('oauth_token')!, secret: form.get('oauth_token_secret')! };
}

/** An integration whose exchange the admin started: the consumer and verifier the partner received. */
async function startedExchange(): Promise<{ integration: Json; consumer: Consumer; verifier: string }> {
  const integration = await createIntegration(withPartnerUrls());
  const reply = await activate(integration.id);
  expect(reply.status).toBe(202);
  const link = stack.partner.state.link(reply.body.consumerKey)!;
  remember('consumer secret', link.consumerSecret);
  remember('verifier', link.verifier);
  return { integration, consumer: { key: link.consumerKey, secret: link.consumerSecret }, verifier: link.verifier };
}

describe('/oauth/token/request and /oauth/token/access refusals as a partner sees them through the gateway', () => {
  let exchange: Awaited<ReturnType<typeof startedExchange>>;
  beforeAll(async () => {
    exchange = await startedExchange();
    controls.liveConsumerKey = exchange.consumer.key;
  });

  it('answers form-encoded and uncached, to GET as well as POST (Magento signs the method used)', async () => {
    // A verifier gives one request token (Magento turns the row into the request token): one exchange each.
    for (const method of ['GET', 'POST'] as const) {
      const { consumer } = await startedExchange();
      const reply = await tokenCall('request', { consumer, method });
      expect(reply.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
      expect(reply.headers.get('cache-control')).toBe('no-store');
      const token = tokenOf(reply);
      remember('request token secret', token.secret);
      // The verifier is spent: a second request token is refused.
      expect(await tokenCall('request', { consumer, method })).toMatchObject({
        status: 401,
        body: formatProblem('Cannot create request token because consumer token is not a verifier token'),
      });
    }
  });

  it('bad signature: 401', async () => {
    const reply = await tokenCall('request', { consumer: exchange.consumer, badSignature: true });
    expect(reply).toMatchObject({
      status: 401,
      body: formatProblem('The signature is invalid. Verify and try again.'),
    });
    expect(reply.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  });

  it.each(['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method', 'oauth_nonce', 'oauth_timestamp'])(
    'missing %s: 400',
    async (name) => {
      const reply = await tokenCall('request', { consumer: exchange.consumer, omit: [name] });
      expect(reply).toMatchObject({ status: 400, body: formatProblem(`"${name}" is required. Enter and try again.`) });
    },
  );

  it('missing oauth_verifier or oauth_token on the access step: 400', async () => {
    const fresh = await startedExchange();
    const requestToken = tokenOf(await tokenCall('request', { consumer: fresh.consumer }));
    remember('request token secret', requestToken.secret);
    expect(await tokenCall('access', { consumer: fresh.consumer, token: requestToken })).toMatchObject({
      status: 400,
      body: formatProblem('"oauth_verifier" is required. Enter and try again.'),
    });
    expect(await tokenCall('access', { consumer: fresh.consumer, verifier: fresh.verifier })).toMatchObject({
      status: 400,
      body: formatProblem('"oauth_token" is required. Enter and try again.'),
    });
  });

  it('wrong verifier: 401; the request token still completes with the right one, sent in a signed form body', async () => {
    const fresh = await startedExchange();
    const requestToken = tokenOf(await tokenCall('request', { consumer: fresh.consumer }));
    remember('request token secret', requestToken.secret);
    expect(
      await tokenCall('access', { consumer: fresh.consumer, token: requestToken, verifier: 'v'.repeat(32) }),
    ).toMatchObject({
      status: 401,
      body: formatProblem('Token verifier and verifier token do not match'),
    });
    // The body's parameters are signed: the gateway must forward its raw bytes.
    const access = tokenOf(
      await tokenCall('access', {
        consumer: fresh.consumer,
        token: requestToken,
        verifier: fresh.verifier,
        verifierIn: 'body',
      }),
    );
    remember('access token', access.key);
    remember('access token secret', access.secret);
    const credentials = {
      consumerKey: fresh.consumer.key,
      consumerSecret: fresh.consumer.secret,
      accessToken: access.key,
      accessTokenSecret: access.secret,
    };
    await waitUntil(
      async () => (await signedCall(base(), credentials, 'GET', '/rest/V1/products')).status === 200,
      'the access token works',
    );

    // An access token is not a request token.
    expect(
      await tokenCall('access', { consumer: fresh.consumer, token: access, verifier: fresh.verifier }),
    ).toMatchObject({
      status: 401,
      body: formatProblem('Token is already being used'),
    });
  });

  it('a request token used as an access token on /rest: 401', async () => {
    const fresh = await startedExchange();
    const requestToken = tokenOf(await tokenCall('request', { consumer: fresh.consumer }));
    remember('request token secret', requestToken.secret);
    const credentials = {
      consumerKey: fresh.consumer.key,
      consumerSecret: fresh.consumer.secret,
      accessToken: requestToken.key,
      accessTokenSecret: requestToken.secret,
    };
    const reply = await signedCall(base(), credentials, 'GET', '/rest/V1/products');
    expect(reply).toMatchObject({ status: 401, body: { message: 'Token is not an access token' } });
  });

  it('a tokens-mode consumer never started an exchange: "Consumer key has expired"', async () => {
    const integration = await createIntegration({});
    const reply = await activate(integration.id);
    expect(reply.status).toBe(200);
    const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = reply.body.credentials;
    remember('consumer secret', consumerSecret);
    remember('access token', accessToken);
    remember('access token secret', accessTokenSecret);
    expect(await tokenCall('request', { consumer: { key: consumerKey, secret: consumerSecret } })).toMatchObject({
      status: 401,
      body: 'oauth_problem=Consumer+key+has+expired',
    });
  });

  it('expired consumer (oauth/consumer/expiration_period set through the gateway): 401 "Consumer key has expired"', async () => {
    expect((await admin('PUT', '/admin/v1/config', { values: { 'oauth/consumer/expiration_period': 1 } })).status).toBe(
      200,
    );
    try {
      await waitUntil(
        async () => stack.oauth.runtime.settings.get('oauth/consumer/expiration_period') === 1,
        'the oauth service applied the period',
      );
      const late = await startedExchange();
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const reply = await tokenCall('request', { consumer: late.consumer });
      expect(reply).toMatchObject({ status: 401, body: 'oauth_problem=Consumer+key+has+expired' });
    } finally {
      expect(
        (await admin('PUT', '/admin/v1/config', { values: { 'oauth/consumer/expiration_period': 300 } })).status,
      ).toBe(200);
    }
    await waitUntil(
      async () => stack.oauth.runtime.settings.get('oauth/consumer/expiration_period') === 300,
      'the period is back to 300 s',
    );
  });

  it('the oauth service unreachable: 503 with an oauth_problem form body, uncached', async () => {
    const lonely = await startTestGateway(stack.mongoUrl, {
      oauthUrl: 'http://127.0.0.1:9',
      registryUrl: stack.registry.url,
    });
    try {
      for (const step of ['request', 'access']) {
        const response = await fetch(`${lonely.gateway.url}/oauth/token/${step}`, {
          method: 'POST',
          headers: { authorization: 'OAuth oauth_consumer_key="x"' },
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.text()).toBe(
          formatProblem('The OAuth service is unavailable right now. Try again later.'),
        );
      }
    } finally {
      await lonely.close();
    }
  });
});

describe('after the run: no secret in clear in any topic, log line or database', () => {
  it('scans every Kafka topic from the beginning, every captured log line and every collection of every database of the run', async () => {
    // Values that are not secret but sit where a secret would leak: finding them proves the scan
    // reads those places (events carry ids, not keys; a deleted consumer's key left the database).
    const eventProbe = { kind: 'integration id (control)', value: controls.integrationId };
    const documentProbe = { kind: 'live consumer key (control)', value: controls.liveConsumerKey };
    const logProbe = { kind: 'consumer key (control)', value: stack.partner.state.status()[0].consumerKey };
    const t0 = Date.now();
    const { topics, messages } = await readTopics(stack.kafkaBrokers, stack.topicPrefix);
    expect(topics).toEqual(
      expect.arrayContaining(
        ['integrations.integration.v1', 'integrations.oauth.v1', 'integrations.config.v1'].map(
          (t) => `${stack.topicPrefix}${t}`,
        ),
      ),
    );
    expect(messages.length).toBeGreaterThan(10);
    const dbNames = await databasesNamed(stack.mongoUrl, stack.topicPrefix.slice(0, -1));
    expect(dbNames).toEqual(expect.arrayContaining(stack.databases));
    const { collections, documents } = await readDatabases(stack.mongoUrl, dbNames);
    const logs = stack.logLines.map((text, i) => ({
      label: `log line ${i} (${(/"service":"([^"]+)"/.exec(text) ?? [])[1]})`,
      text,
    }));
    timings['secret scan'] = Date.now() - t0;
    process.stdout.write(
      `secret scan: ${secrets.length} secrets x (${topics.length} topics / ${messages.length} messages, ${logs.length} log lines, ${collections.length} collections in ${dbNames.length} databases)\n`,
    );

    expect(secrets.filter((s) => s.kind === 'consumer secret').length).toBeGreaterThanOrEqual(4);
    expect(secrets.filter((s) => s.kind === 'verifier').length).toBeGreaterThanOrEqual(4);
    expect(findSecrets(messages, [eventProbe]).length).toBeGreaterThan(0);
    expect(findSecrets(documents, [documentProbe]).length).toBeGreaterThan(0);
    expect(findSecrets(logs, [logProbe]).length).toBeGreaterThan(0);

    expect(findSecrets([...messages, ...logs, ...documents], secrets)).toEqual([]);
  });
});
