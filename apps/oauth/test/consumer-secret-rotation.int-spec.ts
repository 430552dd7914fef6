import { connectMongo } from '@integrations/event-store';
import { waitFor } from '@integrations/testing';
import { randomUUID } from 'node:crypto';
import { CONSUMERS_COLLECTION } from '../src/consumer/consumer.store';
import { CallbackServer, OauthHarness } from './support/oauth-harness';
import { signed, type Credentials } from './support/partner-client';

/**
 * "Rotate consumer secret" with a token exchange, on the oauth service (real Kafka, FerretDB, HTTP
 * to a partner's callback): the new secret is POSTed to the callback URL like an activation's, the
 * reply does not carry it, and a callback that refuses it changes nothing.
 */
jest.setTimeout(120_000);

let harness: OauthHarness;
let callback: CallbackServer;

beforeAll(async () => {
  // Housekeeping often, to see it drop a previous secret whose overlap ended.
  harness = await OauthHarness.start({ overrides: { OAUTH_CLEANUP_INTERVAL_MS: 200 } });
  callback = await CallbackServer.start();
  await harness.setSettings({ 'oauth/consumer/outbound_allowlist': '127.0.0.1' });
});
afterAll(async () => {
  await callback?.close();
  await harness?.close();
});

const exchangeRequest = () => ({
  mode: 'exchange',
  integration: { status: 'active', version: 2 },
  callbackUrl: callback.url,
  storeBaseUrl: 'https://shop.example.com/',
});

/** A request-token call signed with the consumer's key and a secret: the exchange's first step. */
const requestToken = (consumer: Credentials) =>
  harness.tokenRequest(signed({ path: '/oauth/token/request', consumer }));

describe('Rotate consumer secret with a token exchange', () => {
  let id: string;
  let consumer: Credentials;

  /** A token exchange started (a fresh verifier), as at activation; the consumer is created once, then kept. */
  const startExchange = async () => {
    const issued = await harness.credentials(id, {
      mode: 'exchange',
      reauthorize: false,
      callbackUrl: callback.url,
      storeBaseUrl: 'https://shop.example.com/',
    });
    expect(issued.status).toBe(200);
    const form = callback.posts.at(-1)!.form;
    return { key: form.get('oauth_consumer_key')!, secret: form.get('oauth_consumer_secret')! };
  };

  beforeAll(async () => {
    id = randomUUID();
    await harness.createIntegration(id);
    consumer = await startExchange();
  });

  it('a callback that refuses the new secret changes nothing: 502, the old secret still signs', async () => {
    callback.status = 500;
    try {
      const refused = await harness.post(`/integrations/${id}/consumer-secret/rotation`, exchangeRequest());
      expect([refused.status, refused.body.error.code]).toEqual([502, 'OAUTH.CALLBACK_FAILED']);
      expect(JSON.stringify(refused.body)).not.toContain(callback.posts.at(-1)!.form.get('oauth_consumer_secret')!);
    } finally {
      callback.status = 200;
    }
    expect((await requestToken(consumer)).status).toBe(200);
    // That used the exchange's verifier: a new exchange for the next test, with the same consumer.
    expect(await startExchange()).toEqual(consumer);
  });

  it('POSTs the new secret to the callback URL (key and store URL, no verifier), never in the reply', async () => {
    const before = callback.posts.length;
    const rotated = await harness.post(`/integrations/${id}/consumer-secret/rotation`, exchangeRequest());
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ mode: 'exchange', consumerKey: consumer.key, previousSecretExpiresAt: null });
    expect(callback.posts).toHaveLength(before + 1);
    const form = callback.posts.at(-1)!.form;
    expect([...form.keys()]).toEqual(['oauth_consumer_key', 'oauth_consumer_secret', 'store_base_url']);
    expect(form.get('oauth_consumer_key')).toBe(consumer.key);
    const secret = form.get('oauth_consumer_secret')!;
    expect(secret).toMatch(/^[0-9a-z]{32}$/);
    expect(secret).not.toBe(consumer.secret);
    expect(JSON.stringify(rotated.body)).not.toContain(secret);
    // The old secret stopped (overlap 0), the new one signs.
    const old = await requestToken(consumer);
    expect([old.status, old.body]).toEqual([401, expect.stringMatching(/signature/i)]);
    expect((await requestToken({ ...consumer, secret })).status).toBe(200);
    for (const line of harness.logLines) expect(line).not.toContain(secret);
  });

  it('an integration without a consumer answers 409 OAUTH.NO_CREDENTIALS', async () => {
    const other = randomUUID();
    await harness.createIntegration(other);
    const reply = await harness.post(`/integrations/${other}/consumer-secret/rotation`, exchangeRequest());
    expect([reply.status, reply.body.error.code]).toEqual([409, 'OAUTH.NO_CREDENTIALS']);
  });

  it('housekeeping drops the sealed previous secret once its overlap ended', async () => {
    await harness.setSettings({ 'oauth/consumer/secret_rotation_overlap': 1 });
    const rotated = await harness.post(`/integrations/${id}/consumer-secret/rotation`, exchangeRequest());
    expect([rotated.status, rotated.body.previousSecretExpiresAt]).toEqual([200, expect.any(String)]);
    const connection = await connectMongo(harness.oauth.env.MONGO_URL, harness.oauth.env.OAUTH_DB);
    try {
      const stored = () => connection.db!.collection(CONSUMERS_COLLECTION).findOne({ _id: consumer.key as never });
      expect((await stored())?.previousSecret).toMatch(/^gcm1:/);
      await waitFor(async () => (await stored())?.previousSecret === undefined, {
        message: 'the previous secret dropped after its overlap',
      });
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(rotated.body.previousSecretExpiresAt));
    } finally {
      await connection.close();
    }
  });
});
