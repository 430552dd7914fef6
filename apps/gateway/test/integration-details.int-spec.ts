import { CredentialDetailsReplySchema } from '@integrations/contracts';
import { createLogger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import {
  createIntegration,
  type Credentials,
  signedCall,
  startPlatformStack,
  waitUntil,
  type PlatformStack,
} from './fixtures/platform-stack';
import { ADMIN } from './support/gateway-harness';

/**
 * Integration Details on the real stack (gateway → oauth over HTTP, FerretDB, Kafka): what Magento's
 * Edit page shows of the credentials, without the secrets. The consumer key in full, the access
 * token's last 4 characters, when each was issued and last used; never a secret or the whole
 * token, in the reply or in any log line of the gateway and the oauth service (captured at debug).
 */
jest.setTimeout(180_000);

const lines: string[] = [];
const capture = (service: string) =>
  createLogger(
    service,
    'debug',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );

let stack: PlatformStack;
const details = (id: string, token = stack.token) =>
  stack.api.request('GET', `/admin/v1/integrations/${id}/details`, { token });

beforeAll(async () => {
  stack = await startPlatformStack('details', {
    logger: capture,
    oauth: { OAUTH_USAGE_FLUSH_MS: 200 },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('Integration Details', () => {
  let id: string;
  let credentials: Credentials;
  let viewerToken: string;
  let firstSecret: string;

  beforeAll(async () => {
    await stack.gateway.createAdmin('details-viewer', ADMIN.password, 'viewer');
    viewerToken = await stack.api.login('details-viewer', ADMIN.password);
    id = (
      await createIntegration(stack, 'Details', { resourceAccess: 'custom', resources: ['Magento_Catalog::products'] })
    ).id;
  });

  it('says there are no credentials before the activation', async () => {
    const reply = await details(id);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ integrationId: id, consumer: null, accessToken: null });
  });

  it('after the activation: the key in full, the token by its last 4 characters, issued now, never used', async () => {
    const before = Date.now();
    const activated = await stack.api.request('POST', `/admin/v1/integrations/${id}/activate`, {
      token: stack.token,
      body: { currentPassword: ADMIN.password },
    });
    expect(activated.status).toBe(200);
    credentials = activated.body.credentials;
    firstSecret = credentials.consumerSecret;

    const reply = await details(id);
    expect(reply.status).toBe(200);
    expect(CredentialDetailsReplySchema.strict().safeParse(reply.body).success).toBe(true);
    expect(reply.body).toEqual({
      integrationId: id,
      consumer: {
        consumerKey: credentials.consumerKey,
        issuedAt: expect.any(String),
        lastUsedAt: null,
        secretIssuedAt: expect.any(String),
        previousSecretExpiresAt: null,
      },
      accessToken: { last4: credentials.accessToken.slice(-4), issuedAt: expect.any(String), lastUsedAt: null },
    });
    for (const issued of [reply.body.consumer.issuedAt, reply.body.accessToken.issuedAt])
      expect(Date.parse(issued)).toBeGreaterThanOrEqual(before - 1_000);
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('a signed call shows as the last use of the consumer and of the token', async () => {
    const before = Date.now();
    expect((await signedCall(stack.gateway.gateway.url, credentials, 'GET', '/rest/V1/products')).status).toBe(200);
    let body: { consumer: { lastUsedAt: string | null }; accessToken: { lastUsedAt: string | null } } | undefined;
    await waitUntil(async () => {
      body = (await details(id)).body;
      return body?.consumer.lastUsedAt !== null && body?.accessToken.lastUsedAt !== null;
    }, 'the last use flushed');
    expect(Date.parse(body!.consumer.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(body!.accessToken.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('a viewer may read them; an unknown integration is a 404, a malformed id a 400', async () => {
    expect((await details(id, viewerToken)).body.consumer.consumerKey).toBe(credentials.consumerKey);
    expect((await details(randomUUID())).status).toBe(404);
    expect((await details('not-an-id')).status).toBe(400);
  });

  const rotate = (token = stack.token, currentPassword = ADMIN.password) =>
    stack.api.request('POST', `/admin/v1/integrations/${id}/consumer-secret/rotate`, {
      token,
      body: { currentPassword },
    });
  const products = (with_: Credentials) => signedCall(stack.gateway.gateway.url, with_, 'GET', '/rest/V1/products');
  const rotatedSecrets: string[] = [];

  it('rotating the consumer secret needs integrations:write and the password; a refusal changes nothing', async () => {
    const viewer = await rotate(viewerToken);
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'ADMIN.FORBIDDEN']);
    const wrong = await rotate(stack.token, 'not my password at all');
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'ADMIN.PASSWORD_MISMATCH']);
    expect((await products(credentials)).status).toBe(200);
  });

  it('Rotate consumer secret (overlap 0): the new secret shown once, the old one refused at once, key and token kept', async () => {
    const before = (await details(id)).body;
    const rotated = await rotate();
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body).toEqual({
      mode: 'tokens',
      consumerKey: credentials.consumerKey,
      consumerSecret: expect.stringMatching(/^[0-9a-z]{32}$/),
      previousSecretExpiresAt: null,
    });
    expect(rotated.body.consumerSecret).not.toBe(credentials.consumerSecret);
    rotatedSecrets.push(rotated.body.consumerSecret);
    // In force on every replica when the reply is sent: no waiting.
    expect((await products(credentials)).status).toBe(401);
    const renewed = { ...credentials, consumerSecret: rotated.body.consumerSecret };
    expect((await products(renewed)).status).toBe(200);
    const after = (await details(id)).body;
    expect(after.consumer.consumerKey).toBe(credentials.consumerKey);
    expect(after.accessToken.last4).toBe(credentials.accessToken.slice(-4));
    expect(Date.parse(after.consumer.secretIssuedAt)).toBeGreaterThan(Date.parse(before.consumer.secretIssuedAt));
    expect(after.consumer.previousSecretExpiresAt).toBeNull();
    credentials = renewed;
  });

  it('with oauth/consumer/secret_rotation_overlap, the old secret keeps signing until the overlap ends, then is refused', async () => {
    const set = await stack.api.request('PUT', '/admin/v1/config', {
      token: stack.token,
      body: { values: { 'oauth/consumer/secret_rotation_overlap': 4 }, currentPassword: ADMIN.password },
    });
    expect(set.status).toBe(200);
    // The oauth service learns settings from Kafka: rotate until a rotation reports the overlap.
    let rotated: { consumerSecret: string; previousSecretExpiresAt: string | null } | undefined;
    let old = credentials;
    await waitUntil(async () => {
      const reply = await rotate();
      expect(reply.status).toBe(200);
      rotatedSecrets.push(reply.body.consumerSecret);
      if (rotated) old = { ...credentials, consumerSecret: rotated.consumerSecret };
      rotated = reply.body;
      return reply.body.previousSecretExpiresAt !== null;
    }, 'a rotation with the overlap');
    const renewed = { ...credentials, consumerSecret: rotated!.consumerSecret };
    const until = Date.parse(rotated!.previousSecretExpiresAt!);
    expect((await products(renewed)).status).toBe(200);
    if (Date.now() < until - 1_000) expect((await products(old)).status).toBe(200);
    expect((await details(id)).body.consumer.previousSecretExpiresAt).toBe(rotated!.previousSecretExpiresAt);
    await waitUntil(async () => (await products(old)).status === 401, 'the old secret refused after the overlap');
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect((await products(renewed)).status).toBe(200);
    credentials = renewed;
  });

  it("each rotation is in the integration's history, with the admin who made it", async () => {
    type Entry = { type: string; actor: string | null; changes: Record<string, unknown> };
    let rotations: Entry[] = [];
    await waitUntil(async () => {
      const history = await stack.api.request('GET', `/admin/v1/integrations/${id}/history?page=1&pageSize=50`, {
        token: viewerToken,
      });
      rotations = (history.body.items as Entry[]).filter((entry) => entry.type === 'ConsumerSecretRotated');
      return rotations.length === rotatedSecrets.length;
    }, 'every rotation in the history');
    expect(rotations.map((entry) => entry.actor)).toEqual(rotatedSecrets.map(() => ADMIN.username));
    expect(rotations[0].changes).toEqual({ mode: 'tokens', previousSecretExpiresAt: expect.any(String) });
    const text = JSON.stringify(rotations);
    for (const secret of rotatedSecrets) expect(text).not.toContain(secret);
  });

  it('the rotations are recorded (events name the key by its fingerprint); no secret in clear anywhere in the oauth database', async () => {
    const db = stack.databases.find((name) => name.endsWith('_oauth'))!;
    const connection = await mongoose.createConnection(stack.mongoUrl, { dbName: db }).asPromise();
    try {
      const documents: string[] = [];
      for (const { name } of await connection.db!.listCollections().toArray())
        for (const document of await connection.collection(name).find().toArray())
          documents.push(JSON.stringify(document));
      const rotations = documents.filter((text) => text.includes('"ConsumerSecretRotated"'));
      expect(rotations.length).toBeGreaterThan(0);
      expect(rotations.join('')).toContain(`"consumerKeyFingerprint":"${credentials.consumerKey.slice(-4)}"`);
      for (const secret of [firstSecret, ...rotatedSecrets])
        expect(documents.filter((text) => text.includes(secret))).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  it('no secret nor whole token in any reply above or in any log line of the run', async () => {
    const reply = JSON.stringify((await details(id)).body);
    const secrets = [
      firstSecret,
      ...rotatedSecrets,
      credentials.consumerSecret,
      credentials.accessToken,
      credentials.accessTokenSecret,
    ];
    expect(lines.length).toBeGreaterThan(10);
    // Control: the scan reads the lines where a secret would be (the consumer key is no secret).
    expect(reply).toContain(credentials.consumerKey);
    for (const secret of secrets) {
      expect(reply).not.toContain(secret);
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
