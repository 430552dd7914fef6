import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from './pages';
import { startThirdPartyApp, type RunningThirdPartyApp } from './start';

/**
 * The partner app's own rules, against a stand-in store (the real handshake through the gateway is
 * apps/gateway/test/oauth-exchange.int-spec.ts): what it keeps, what it refuses, where it redirects.
 */
const KEY = 'k'.repeat(32);
const SECRET = 's1'.repeat(16);
const VERIFIER = 'v2'.repeat(16);

let app: RunningThirdPartyApp;
let store: Server;
let storeUrl: string;
const storeSaw: Array<{ method: string; url: string; authorization: string }> = [];
const logged: string[] = [];

beforeAll(async () => {
  store = createServer((req, res) => {
    storeSaw.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '' });
    const answers: Record<string, [number, string, string]> = {
      '/shop/oauth/token/request': [
        200,
        'application/x-www-form-urlencoded',
        `oauth_token=${'r'.repeat(32)}&oauth_token_secret=${'t'.repeat(32)}`,
      ],
      '/shop/oauth/token/access': [
        200,
        'application/x-www-form-urlencoded',
        `oauth_token=${'a'.repeat(32)}&oauth_token_secret=${'b'.repeat(32)}`,
      ],
      '/shop/rest/V1/products': [200, 'application/json', '{"items":[]}'],
    };
    const [status, type, body] = answers[(req.url ?? '').split('?')[0]] ?? [404, 'text/plain', 'no'];
    res.writeHead(status, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}/shop/`;
  app = await startThirdPartyApp({
    port: 0,
    log: (level, message, fields) => logged.push(JSON.stringify({ level, message, ...fields })),
  });
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => store?.close(resolve));
});

const post = (path: string, form: Record<string, string>) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
const callback = (extra: Record<string, string> = {}) =>
  post('/callback', {
    oauth_consumer_key: KEY,
    oauth_consumer_secret: SECRET,
    store_base_url: storeUrl,
    oauth_verifier: VERIFIER,
    ...extra,
  });
const successCallback = () => `${new URL(storeUrl).origin}/admin/oauth/success`;
const loginUrl = (back = successCallback(), key = KEY) =>
  `${app.url}/login?${new URLSearchParams({ oauth_consumer_key: key, success_call_back: back })}`;
const formTokenOf = (html: string) => /name="form_token" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';

it('keeps the four fields the store POSTs, refuses a partial POST, and never logs the secret or verifier', async () => {
  const partial = await post('/callback', { oauth_consumer_key: KEY, store_base_url: storeUrl });
  expect(partial.status).toBe(400);
  expect(await partial.text()).toContain('missing oauth_consumer_secret, oauth_verifier');

  expect((await callback()).status).toBe(200);
  expect(app.state.link(KEY)).toMatchObject({
    consumerKey: KEY,
    consumerSecret: SECRET,
    storeBaseUrl: storeUrl,
    verifier: VERIFIER,
  });
  expect(logged.join('\n')).toContain(KEY);
  expect(logged.join('\n')).not.toMatch(new RegExp(`${SECRET}|${VERIFIER}`));
});

it('serves the identity link page only for a consumer it holds, and only returning to that store', async () => {
  await callback();
  expect((await fetch(loginUrl(successCallback(), 'u'.repeat(32)))).status).toBe(404);
  const elsewhere = await fetch(loginUrl('https://evil.example/steal'));
  expect(elsewhere.status).toBe(400);
  expect(await elsewhere.text()).toContain('success_call_back must be a URL of the store');

  const page = await fetch(loginUrl());
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<button type="submit">Link your store account</button>');
  expect(html).toContain(`value="${KEY}"`);
  expect(html).not.toContain(SECRET);
});

it('on submit: request token, access token (verifier in the signed header), then 303 to success_call_back; the form works once', async () => {
  await callback();
  const token = formTokenOf(await (await fetch(loginUrl())).text());
  storeSaw.length = 0;
  const linked = await post('/login', {
    oauth_consumer_key: KEY,
    success_call_back: successCallback(),
    form_token: token,
  });
  expect(linked.status).toBe(303);
  expect(linked.headers.get('location')).toBe(successCallback());
  expect(storeSaw.map((r) => `${r.method} ${r.url}`)).toEqual([
    'POST /shop/oauth/token/request',
    'POST /shop/oauth/token/access',
  ]);
  expect(storeSaw[0].authorization).toMatch(/^OAuth .*oauth_signature_method="HMAC-SHA256"/);
  expect(storeSaw[0].authorization).not.toContain('oauth_token=');
  expect(storeSaw[1].authorization).toContain(`oauth_token="${'r'.repeat(32)}"`);
  expect(storeSaw[1].authorization).toContain(`oauth_verifier="${VERIFIER}"`);
  expect(app.state.link(KEY)?.accessToken).toEqual({ key: 'a'.repeat(32), secret: 'b'.repeat(32) });

  const replayed = await post('/login', {
    oauth_consumer_key: KEY,
    success_call_back: successCallback(),
    form_token: token,
  });
  expect(replayed.status).toBe(403);

  const status = await (await fetch(`${app.url}/status`)).text();
  expect(JSON.parse(status).links).toEqual([
    expect.objectContaining({ consumerKey: KEY, hasAccessToken: true, storeBaseUrl: storeUrl }),
  ]);
  expect(status).not.toMatch(new RegExp(`${SECRET}|${VERIFIER}|${'a'.repeat(32)}|${'b'.repeat(32)}`));
});

it('makes a signed call with the access token and shows the result; refuses paths outside /rest', async () => {
  const reply = await fetch(
    `${app.url}/call?path=${encodeURIComponent('/rest/V1/products?searchCriteria[pageSize]=1')}`,
    { method: 'POST' },
  );
  expect(await reply.json()).toEqual({ status: 200, body: { items: [] } });
  expect(storeSaw.at(-1)).toMatchObject({ method: 'GET', url: '/shop/rest/V1/products?searchCriteria[pageSize]=1' });
  expect(storeSaw.at(-1)?.authorization).toContain(`oauth_token="${'a'.repeat(32)}"`);
  expect((await fetch(`${app.url}/call?path=/admin/v1/integrations`, { method: 'POST' })).status).toBe(400);
});

it('forgets the access token when the store POSTs new credentials (reauthorize)', async () => {
  await callback({ oauth_verifier: 'w'.repeat(32) });
  expect(app.state.link(KEY)?.accessToken).toBeUndefined();
  expect((await fetch(`${app.url}/call`, { method: 'POST' })).status).toBe(409);
});

it('takes a signed JSON notification on the callback URL, acts on it once, and refuses a forged one', async () => {
  await callback();
  const body = JSON.stringify({
    id: '0d5e7a8c-1b2f-4c3d-8e9f-a0b1c2d3e4f5',
    type: 'integration.deleted',
    timestamp: new Date().toISOString(),
    occurredAt: new Date().toISOString(),
    attempt: 1,
    integration: { id: 'i-1', consumerKey: KEY },
  });
  const notify = (signature: string) =>
    fetch(`${app.url}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-integrations-signature': signature },
      body,
    });
  const forged = await notify(`sha256=${createHmac('sha256', 'not the secret').update(body).digest('hex')}`);
  expect(forged.status).toBe(401);
  expect(app.state.link(KEY)?.notifications).toEqual([]);

  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  expect((await notify(signature)).status).toBe(200);
  expect((await notify(signature)).status).toBe(200); // a repeat: answered, not acted on again
  const [status] = JSON.parse(await (await fetch(`${app.url}/status`)).text()).links;
  expect(status).toMatchObject({ deleted: true, hasAccessToken: false });
  expect(status.notifications).toEqual([expect.objectContaining({ type: 'integration.deleted' })]);
  expect(logged.join('\n')).not.toContain(signature.slice(7));
});

it('escapes what it puts in HTML', () => {
  expect(escapeHtml(`"><script>alert('x')</script>&`)).toBe(
    '&#34;&#62;&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;&#38;',
  );
});
