import { formEncode } from '@integrations/oauth1';
import { oauthSign, parseTokenReply, timeUntil } from '@integrations/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ADMIN,
  createIntegration as createIntegrationIn,
  CREDENTIAL,
  type GatewayStack,
  type Json,
  signedCallsPass,
  startGatewayStack,
} from './support/gateway-stack';

/**
 * Activate / Reauthorize through the gateway, both modes, with the real registry, oauth, acl and
 * config services (processes, on Kafka + FerretDB); the ACL resource tree and the settings through
 * the gateway.
 */
jest.setTimeout(120_000);

let stack: GatewayStack;
let partner: Server;
let partnerUrl: string;
/** What the partner's callback received (the credentials POST). */
const callbacks: Array<Record<string, string>> = [];

beforeAll(async () => {
  stack = await startGatewayStack('gwact');
  partner = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url?.startsWith('/callback')) callbacks.push(Object.fromEntries(new URLSearchParams(body)));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  // On loopback, which the credentials POST refuses unless allowed (SSRF guard): the stack allows it.
  partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  await new Promise((resolve) => partner?.close(resolve));
  await stack?.close();
}, 120_000);

const admin = (method: string, path: string, body?: unknown, token = stack.token) =>
  stack.api.request(method, path, { token, body });

const createIntegration = (extra: Record<string, unknown> = {}): Promise<Json> =>
  createIntegrationIn(stack, 'Activation', extra);

const activate = (id: string, body: unknown = { currentPassword: ADMIN.password }) =>
  admin('POST', `/admin/v1/integrations/${id}/activate`, body);
const reauthorize = (id: string) =>
  admin('POST', `/admin/v1/integrations/${id}/reauthorize`, { currentPassword: ADMIN.password });

/** The partner's side of the exchange (signed with oauth-1.0a), against the oauth service's token endpoints. */
async function completeExchange(
  received: Record<string, string>,
): Promise<{ status: number; body: string; token?: Json }> {
  const consumer = { key: received.oauth_consumer_key, secret: received.oauth_consumer_secret };
  const requestUrl = `${stack.base}/oauth/token/request`;
  const requestAuth = oauthSign({ method: 'POST', url: requestUrl, consumer }).authorization;
  const requested = await tokenEndpoint('token-request', requestUrl, requestAuth);
  if (requested.status !== 200) return requested;
  const accessUrl = `${stack.base}/oauth/token/access`;
  const accessAuth = oauthSign({
    method: 'POST',
    url: accessUrl,
    consumer,
    token: parseTokenReply(requested.body),
    oauth: { oauth_verifier: received.oauth_verifier },
  }).authorization;
  const access = await tokenEndpoint('token-access', accessUrl, accessAuth);
  return { ...access, token: Object.fromEntries(new URLSearchParams(access.body)) };
}

/** What the gateway's /oauth/token/* endpoints forward to the oauth service. */
async function tokenEndpoint(
  which: 'token-request' | 'token-access',
  url: string,
  authorization: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${stack.urls.oauth}/oauth/verify/${which}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'POST', url, authorization, contentType: null, body: null }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { status: number; body: string };
}

describe('Activate without token exchange (a URL is empty)', () => {
  it('answers the four credentials once, uncached; the grid shows active and a signed call works', async () => {
    const integration = await createIntegration({ callbackUrl: `${partnerUrl}/callback` });
    const reply = await activate(integration.id);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toEqual({
      mode: 'tokens',
      credentials: {
        consumerKey: expect.stringMatching(CREDENTIAL),
        consumerSecret: expect.stringMatching(CREDENTIAL),
        accessToken: expect.stringMatching(CREDENTIAL),
        accessTokenSecret: expect.stringMatching(CREDENTIAL),
      },
    });
    // Magento posts nothing to the callback in this flow (#31108).
    expect(callbacks).toEqual([]);

    const grid = await admin('GET', `/admin/v1/integrations?name=${encodeURIComponent(integration.name)}`);
    expect(grid.body.items).toEqual([expect.objectContaining({ id: integration.id, status: 'active' })]);
    await signedCallsPass(stack, reply.body.credentials);
  });

  it('refuses Activate on an active integration (409, use Reauthorize) and Reauthorize on an inactive one', async () => {
    const integration = await createIntegration();
    expect((await reauthorize(integration.id)).body.error).toMatchObject({ code: 'INTEGRATION.NOT_ACTIVE' });
    expect((await activate(integration.id)).status).toBe(200);
    const again = await activate(integration.id);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'INTEGRATION.ALREADY_ACTIVE',
      message: expect.stringContaining('Reauthorize'),
    });
  });

  it('rotates the access token on Reauthorize and keeps the consumer key (Magento)', async () => {
    const integration = await createIntegration();
    const first = (await activate(integration.id)).body.credentials;
    const second = await reauthorize(integration.id);
    expect(second.status).toBe(200);
    expect(second.body.credentials.consumerKey).toBe(first.consumerKey);
    expect(second.body.credentials.consumerSecret).toBe(first.consumerSecret);
    expect(second.body.credentials.accessToken).not.toBe(first.accessToken);
    const history = await admin('GET', `/admin/v1/integrations/${integration.id}/history`);
    expect(history.body.items.map((item: Json) => [item.type, item.actor])).toEqual([
      ['IntegrationReauthorized', ADMIN.username],
      ['IntegrationActivated', ADMIN.username],
      ['IntegrationCreated', ADMIN.username],
    ]);
  });

  it('checks the password (and counts a wrong one), the body and the id before anything happens', async () => {
    const integration = await createIntegration();
    const wrong = await activate(integration.id, { currentPassword: 'not the password at all' });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'ADMIN.PASSWORD_MISMATCH' } } });
    expect(
      await stack.gateway.db.collection('admin_password_failures').countDocuments({ username: ADMIN.username }),
    ).toBeGreaterThanOrEqual(1);
    expect((await activate(integration.id, {})).body.error.code).toBe('ADMIN.PASSWORD_REQUIRED');
    expect((await activate(integration.id, { currentPassword: ADMIN.password, mode: 'tokens' })).body.error.code).toBe(
      'REQUEST.INVALID',
    );
    expect((await activate('not-a-uuid')).status).toBe(400);
    expect(
      (
        await admin(
          'POST',
          `/admin/v1/integrations/${integration.id}/activate`,
          { currentPassword: ADMIN.password },
          'not-a-session',
        )
      ).status,
    ).toBe(401);
    // A right password afterwards forgets the failures (as sign-in does); nothing was activated meanwhile.
    expect((await admin('GET', `/admin/v1/integrations/${integration.id}`)).body).toMatchObject({
      status: 'inactive',
      version: 1,
    });
  });

  it('answers 404 for an unknown or deleted integration', async () => {
    expect((await activate('5d0c3f0e-0000-4000-8000-000000000000')).status).toBe(404);
    const integration = await createIntegration();
    expect((await admin('DELETE', `/admin/v1/integrations/${integration.id}`)).status).toBe(200);
    expect(await activate(integration.id)).toMatchObject({
      status: 404,
      body: { error: { code: 'INTEGRATION.NOT_FOUND' } },
    });
  });
});

describe('Activate with token exchange (both URLs set)', () => {
  it('POSTs the credentials to the callback, answers 202 with the identity link, and turns active when the partner completes the exchange', async () => {
    callbacks.length = 0;
    const integration = await createIntegration({
      callbackUrl: `${partnerUrl}/callback`,
      identityLinkUrl: `${partnerUrl}/login?tenant=7`,
    });
    const reply = await activate(integration.id);
    expect(reply.status).toBe(202);
    const base = stack.base;
    expect(reply.body).toEqual({
      mode: 'exchange',
      consumerKey: expect.stringMatching(CREDENTIAL),
      identityLinkUrl: expect.any(String),
    });
    const link = new URL(reply.body.identityLinkUrl);
    expect(`${link.origin}${link.pathname}`).toBe(`${partnerUrl}/login`);
    expect([...link.searchParams]).toEqual([
      ['tenant', '7'],
      ['oauth_consumer_key', reply.body.consumerKey],
      ['success_call_back', `${base}/admin/oauth/success`],
    ]);
    expect(callbacks).toEqual([
      {
        oauth_consumer_key: reply.body.consumerKey,
        oauth_consumer_secret: expect.stringMatching(CREDENTIAL),
        store_base_url: `${base}/`,
        oauth_verifier: expect.stringMatching(CREDENTIAL),
      },
    ]);
    expect((await admin('GET', `/admin/v1/integrations/${integration.id}`)).body.status).toBe('inactive');

    const exchanged = await completeExchange(callbacks[0]);
    expect(exchanged.status).toBe(200);
    const ms = await timeUntil(
      async () => (await admin('GET', `/admin/v1/integrations/${integration.id}`)).body.status === 'active',
      { intervalMs: 25, message: 'the registry showing the integration active' },
    );
    const grid = await timeUntil(
      async () =>
        (await admin('GET', `/admin/v1/integrations?name=${encodeURIComponent(integration.name)}`)).body.items[0]
          ?.status === 'active',
      { intervalMs: 25, message: 'the grid showing the integration active' },
    );
    process.stdout.write(`exchange completed -> registry active in ${ms} ms, grid +${grid} ms\n`);
    const credentials = {
      consumerKey: callbacks[0].oauth_consumer_key,
      consumerSecret: callbacks[0].oauth_consumer_secret,
      accessToken: exchanged.token.oauth_token,
      accessTokenSecret: exchanged.token.oauth_token_secret,
    };
    await signedCallsPass(stack, credentials);
  });

  it('passes a failed credentials POST through (502 OAUTH.CALLBACK_FAILED) and changes nothing', async () => {
    const integration = await createIntegration({
      callbackUrl: 'http://127.0.0.1:9/callback',
      identityLinkUrl: `${partnerUrl}/login`,
    });
    const reply = await activate(integration.id);
    expect(reply.status).toBe(502);
    expect(reply.body.error.code).toBe('OAUTH.CALLBACK_FAILED');
    expect((await admin('GET', `/admin/v1/integrations/${integration.id}`)).body).toMatchObject({
      status: 'inactive',
      version: 1,
    });
  });

  it('applies oauth/consumer/expiration_period set through the gateway: an exchange started after the change expires', async () => {
    const ms = await stack.changeSettings({ 'oauth/consumer/expiration_period': 1 });
    expect(ms).toBeLessThan(1_000);
    try {
      callbacks.length = 0;
      const integration = await createIntegration({
        callbackUrl: `${partnerUrl}/callback`,
        identityLinkUrl: `${partnerUrl}/login`,
      });
      expect((await activate(integration.id)).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const late = await completeExchange(callbacks[0]);
      expect(late).toMatchObject({ status: 401, body: formEncode([['oauth_problem', 'Consumer key has expired']]) });
    } finally {
      await stack.changeSettings({ 'oauth/consumer/expiration_period': 300 });
    }
  });
});

describe('ACL resources and settings through the gateway', () => {
  it('serves the ACL resource tree to admins only', async () => {
    const reply = await admin('GET', '/admin/v1/acl/resources');
    expect(reply.status).toBe(200);
    const ids: string[] = [];
    const walk = (nodes: Json[]) => nodes.forEach((node) => (ids.push(node.id), walk(node.children ?? [])));
    walk(reply.body.resources);
    expect(ids).toEqual(
      expect.arrayContaining(['Magento_Catalog::catalog', 'Magento_Catalog::products', 'Magento_Sales::sales']),
    );
    expect((await admin('GET', '/admin/v1/acl/resources', undefined, 'nope')).status).toBe(401);
  });

  it('reads and changes settings, and passes the config service refusals through unchanged', async () => {
    const read = await admin('GET', '/admin/v1/config');
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).toContain('webapi/webapisecurity/allow_insecure');

    const tooLong = await admin('PUT', '/admin/v1/config', { values: { 'oauth/consumer/expiration_period': 0 } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/expiration_period/);
    const notBoolean = await admin('PUT', '/admin/v1/config', {
      values: { 'webapi/webapisecurity/allow_insecure': 'yes' },
    });
    expect(notBoolean.status).toBe(400);
    const unknown = await admin('PUT', '/admin/v1/config', { values: { 'web/secure/base_url': 'x' } });
    expect(unknown.status).toBe(400);
    const typo = await admin('PUT', '/admin/v1/config', { value: { 'oauth/consumer/post_timeout': 5 } });
    expect(typo.status).toBe(400);
    expect(
      (await admin('PUT', '/admin/v1/config', { values: { 'oauth/consumer/post_timeout': 7 } }, 'nope')).status,
    ).toBe(401);
    expect((await admin('GET', '/admin/v1/config')).body.values['oauth/consumer/expiration_period']).toBe(300);
  });
});
