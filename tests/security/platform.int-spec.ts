import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';

import {
  anonymousCall,
  createIntegration,
  startPlatformStack,
  waitUntil,
  type PlatformStack,
} from '../../apps/gateway/test/fixtures/platform-stack';

import { ADMIN, productionRateLimits, report } from './support/security-gateway';

jest.setTimeout(180_000);

const TOKEN_LIMIT = 5;
const ANONYMOUS_LIMIT = 5;

/** A partner endpoint on loopback that records every request it gets. */
async function listener(answer: (url: string) => { status: number; location?: string }) {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    const { status, location } = answer(req.url ?? '');
    if (location) res.setHeader('location', location);
    res.statusCode = status;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('attack corpus: the platform behind the gateway', () => {
  let stack: PlatformStack;
  const admin = (method: string, path: string, body?: unknown) =>
    stack.api.request(method, path, { token: stack.token, body });
  const setting = async (path: string) => (await admin('GET', '/admin/v1/config')).body.values[path];

  beforeAll(async () => {
    stack = await startPlatformStack('security', {
      gateway: {
        rateLimits: productionRateLimits({
          tokenExchangePerAddress: TOKEN_LIMIT,
          anonymousRestPerAddress: ANONYMOUS_LIMIT,
          loginPerAddress: 1_000,
        }),
      },
    });
  });
  afterAll(() => stack?.close());

  describe('security settings need the current password (step-up)', () => {
    it.each([
      ['opening guest access', 'webapi/webapisecurity/allow_insecure', true],
      ['accepting access tokens as Bearer', 'oauth/consumer/enable_integration_as_bearer', true],
      ['accepting HMAC-SHA1 signatures', 'oauth/signature/allow_hmac_sha1', true],
      [
        'letting the credentials POST reach the metadata address',
        'oauth/consumer/outbound_allowlist',
        '169.254.0.0/16',
      ],
    ])('%s with only a session is refused, and nothing changes', async (_attack, path, value) => {
      const before = await setting(path);
      const bare = await admin('PUT', '/admin/v1/config', { values: { [path]: value } });
      expect([bare.status, bare.body.error.code]).toEqual([400, 'ADMIN.PASSWORD_REQUIRED']);
      const wrong = await admin('PUT', '/admin/v1/config', { values: { [path]: value }, currentPassword: 'a guess' });
      expect([wrong.status, wrong.body.error.code]).toEqual([403, 'ADMIN.PASSWORD_MISMATCH']);
      expect(await setting(path)).toEqual(before);
    });

    it('guest access opened with the password is recorded with who changed it, and the anonymous API stays closed until then', async () => {
      expect((await anonymousCall(stack.gateway.gateway.url, 'GET', '/rest/V1/cmsPage/1')).status).toBe(401);
      const opened = await admin('PUT', '/admin/v1/config', {
        values: { 'webapi/webapisecurity/allow_insecure': true },
        currentPassword: ADMIN.password,
      });
      expect(opened.status).toBe(200);
      const db = await mongoose.createConnection(stack.mongoUrl, { dbName: stack.databases[0] }).asPromise();
      try {
        const commits = await db.collection('events').find({}).toArray();
        const change = commits
          .flatMap(
            (commit) =>
              commit.events as Array<{
                type: string;
                payload: { changes: Array<{ path: string }> };
                metadata: { actor?: string };
              }>,
          )
          .find((event) => event.payload.changes.some((c) => c.path === 'webapi/webapisecurity/allow_insecure'));
        expect(change?.metadata.actor).toBe(ADMIN.username);
      } finally {
        await db.close();
      }
    });
  });

  describe('anonymous /rest flood', () => {
    it(`past ${ANONYMOUS_LIMIT} calls a minute from one address: 429 with Retry-After in Magento's shape, and the upstream never sees them`, async () => {
      await waitUntil(
        async () => (await anonymousCall(stack.gateway.gateway.url, 'GET', '/rest/V1/cmsPage/1')).status !== 401,
        'guest access reached the acl',
      ).catch(() => undefined);
      stack.upstreamSaw.length = 0;
      const replies = [];
      for (let i = 0; i < ANONYMOUS_LIMIT + 3; i += 1)
        replies.push(await anonymousCall(stack.gateway.gateway.url, 'GET', '/rest/V1/cmsPage/1'));
      const limited = replies.filter((reply) => reply.status === 429);
      report(
        `anonymous /rest: ${replies.length} calls, ${limited.length} got 429, upstream saw ${stack.upstreamSaw.length}`,
      );
      expect(limited.length).toBeGreaterThanOrEqual(3);
      for (const reply of limited) {
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(reply.body).toEqual({
          message: 'Too many requests without credentials from this address. Try again in %seconds seconds.',
          parameters: { seconds: Number(reply.headers.get('retry-after')) },
        });
      }
      expect(stack.upstreamSaw.length).toBeLessThanOrEqual(replies.length - limited.length);
    });
  });

  describe('token endpoint flood', () => {
    it(`past ${TOKEN_LIMIT} requests a minute from one address: 429 with oauth_problem and Retry-After, and no token is issued`, async () => {
      const oauthDb = await mongoose.createConnection(stack.mongoUrl, { dbName: stack.databases[1] }).asPromise();
      try {
        const tokensBefore = await oauthDb.collection('tokens').countDocuments();
        const replies = [];
        for (let i = 0; i < TOKEN_LIMIT + 3; i += 1) {
          const response = await fetch(`${stack.gateway.gateway.url}/oauth/token/request`, {
            method: 'POST',
            headers: { authorization: `OAuth oauth_consumer_key="${'k'.repeat(32)}", oauth_nonce="n${i}"` },
          });
          replies.push({
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
            body: await response.text(),
          });
        }
        const limited = replies.slice(TOKEN_LIMIT);
        expect(replies.slice(0, TOKEN_LIMIT).every((reply) => reply.status !== 429)).toBe(true);
        for (const reply of limited) {
          expect(reply.status).toBe(429);
          expect(Number(reply.retryAfter)).toBeGreaterThan(0);
          expect(new URLSearchParams(reply.body).get('oauth_problem')).toBe(
            `Too many token requests from this address. Try again in ${reply.retryAfter} seconds.`,
          );
        }
        expect(await oauthDb.collection('tokens').countDocuments()).toBe(tokensBefore);
      } finally {
        await oauthDb.close();
      }
    });
  });

  describe('SSRF through the credentials POST (callback URL of an integration)', () => {
    beforeAll(async () => {
      // What a local run does: loopback opened on purpose, so the attacks below are the embeddings.
      const reply = await admin('PUT', '/admin/v1/config', {
        values: { 'oauth/consumer/outbound_allowlist': '127.0.0.1' },
        currentPassword: ADMIN.password,
      });
      expect(reply.status).toBe(200);
      await waitUntil(
        async () => stack.oauth.runtime.settings.get('oauth/consumer/outbound_allowlist') === '127.0.0.1',
        'the oauth service applied the allow-list',
      );
    });

    it.each([
      ['IPv4-compatible loopback', '[::7f00:1]'],
      ['IPv4-mapped loopback', '[::ffff:7f00:1]'],
      ['IPv4-translated loopback', '[::ffff:0:7f00:1]'],
      ['NAT64 local-use loopback', '[64:ff9b:1::7f00:1]'],
      ['6to4 loopback', '[2002:7f00:1::]'],
      ['site-local', '[fec0::1]'],
      ['metadata address', '169.254.169.254'],
    ])('%s (%s) is refused before any connection, and the integration stays inactive', async (_attack, host) => {
      const created = await createIntegration(stack, 'ssrf', {
        callbackUrl: `http://${host}:8080/callback`,
        identityLinkUrl: 'https://partner.example.com/login',
      });
      const activated = await admin('POST', `/admin/v1/integrations/${created.id}/activate`, {
        currentPassword: ADMIN.password,
      });
      expect([activated.status, activated.body.error.code]).toEqual([422, 'OAUTH.CALLBACK_ADDRESS_REFUSED']);
      expect((await admin('GET', `/admin/v1/integrations/${created.id}`)).body.status).toBe('inactive');
    });

    it('a redirect to another host never receives the consumer secret and verifier', async () => {
      const redirects = await admin('PUT', '/admin/v1/config', { values: { 'oauth/consumer/post_maxredirects': 2 } });
      expect(redirects.status).toBe(200);
      await waitUntil(
        async () => stack.oauth.runtime.settings.get('oauth/consumer/post_maxredirects') === 2,
        'the oauth service applied post_maxredirects',
      );
      const collector = await listener(() => ({ status: 200 }));
      const partner = await listener(() => ({ status: 307, location: `http://localhost:${collector.port}/collect` }));
      try {
        const created = await createIntegration(stack, 'redirect', {
          callbackUrl: `http://127.0.0.1:${partner.port}/callback`,
          identityLinkUrl: 'https://partner.example.com/login',
        });
        const activated = await admin('POST', `/admin/v1/integrations/${created.id}/activate`, {
          currentPassword: ADMIN.password,
        });
        expect(activated.status).toBe(502);
        expect(activated.body.error.message).toContain('redirected to another host (localhost)');
        expect(partner.seen).toEqual(['POST /callback']);
        expect(collector.seen).toEqual([]);
        expect((await admin('GET', `/admin/v1/integrations/${created.id}`)).body.status).toBe('inactive');
      } finally {
        await partner.close();
        await collector.close();
      }
    });
  });
});
