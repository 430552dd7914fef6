import { CredentialDetailsReplySchema } from '@integrations/contracts';
import { createLogger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
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

    const reply = await details(id);
    expect(reply.status).toBe(200);
    expect(CredentialDetailsReplySchema.strict().safeParse(reply.body).success).toBe(true);
    expect(reply.body).toEqual({
      integrationId: id,
      consumer: { consumerKey: credentials.consumerKey, issuedAt: expect.any(String), lastUsedAt: null },
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

  it('no secret nor whole token in any reply above or in any log line of the run', async () => {
    const reply = JSON.stringify((await details(id)).body);
    const secrets = [credentials.consumerSecret, credentials.accessToken, credentials.accessTokenSecret];
    expect(lines.length).toBeGreaterThan(10);
    // Control: the scan reads the lines where a secret would be (the consumer key is no secret).
    expect(reply).toContain(credentials.consumerKey);
    for (const secret of secrets) {
      expect(reply).not.toContain(secret);
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
