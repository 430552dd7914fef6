import { randomUUID } from 'node:crypto';
import { waitFor } from '@integrations/testing';
import type { RunningOauth } from '../src/start';
import { OauthHarness } from './support/oauth-harness';
import { signed, type Credentials } from './support/partner-client';

/**
 * Two oauth services on one database and one set of topics act as replicas A and B (real Kafka +
 * FerretDB). A change made through one is in force on the other from the reply on, with no TTL to
 * wait for (docs/adr/0006 §3), and usage counted by both adds up exactly (§6).
 */

let harness: OauthHarness;
let a: RunningOauth;
let b: RunningOauth;

beforeAll(async () => {
  // Usage is flushed by the tests themselves, never by the timer.
  harness = await OauthHarness.start({ flushMs: 600_000 });
  a = harness.oauth;
  b = await harness.startReplica();
});

afterAll(async () => {
  await harness?.close();
});

interface Keys {
  consumer: Credentials;
  token: Credentials;
}

const keysOf = (body: {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}) => ({
  consumer: { key: body.consumerKey, secret: body.consumerSecret },
  token: { key: body.accessToken, secret: body.accessTokenSecret },
});

const call = (on: RunningOauth, keys: Keys) =>
  harness.apiCall(signed({ method: 'GET', path: '/rest/V1/products', ...keys }), on);

async function activeIntegration(): Promise<{ id: string; keys: Keys }> {
  const id = randomUUID();
  await harness.createIntegration(id);
  const reply = await harness.credentials(id, { mode: 'tokens', reauthorize: false }, a);
  expect(reply.status).toBe(200);
  await harness.activate(id);
  return { id, keys: keysOf(reply.body) };
}

describe('a change through one replica is in force on the other from the reply on', () => {
  it('reauthorize through A: the very next call with the old token on B is refused, the new one accepted on B', async () => {
    const { id, keys } = await activeIntegration();
    let current = keys;
    for (let round = 1; round <= 5; round++) {
      // B has the consumer and the current token in its caches.
      expect(await call(b, current)).toMatchObject({ ok: true, integrationId: id });
      expect(await call(b, current)).toMatchObject({ ok: true, integrationId: id });

      const reply = await harness.credentials(id, { mode: 'tokens', reauthorize: true }, a);
      expect(reply.status).toBe(200);
      const next = keysOf(reply.body);
      expect(await call(b, current)).toEqual({
        ok: false,
        status: 401,
        code: 'OAUTH.TOKEN_REVOKED',
        problem: 'Access token has been revoked',
      });
      expect(await call(b, next)).toMatchObject({ ok: true, integrationId: id, consumerKey: keys.consumer.key });
      current = next;
    }
  });

  it('a reset activated through B: the old consumer is refused on A at once, the new one accepted on A', async () => {
    const { id, keys } = await activeIntegration();
    expect(await call(a, keys)).toMatchObject({ ok: true });
    // Kafka has not delivered the IntegrationReset the registry committed.
    const resetVersion = harness.nextVersion(id);
    const reply = await harness.credentials(
      id,
      { mode: 'tokens', reauthorize: true, integration: { status: 'reset', version: resetVersion } },
      b,
    );
    expect(reply.status).toBe(200);
    expect(await call(a, keys)).toMatchObject({ ok: false, code: 'OAUTH.CONSUMER_KEY_UNKNOWN' });
    expect(await call(a, keysOf(reply.body))).toMatchObject({ ok: true, consumerKey: reply.body.consumerKey });
  });

  it('IntegrationDeleted (handled by whichever replica Kafka gives it to): both refuse the credentials once it is applied', async () => {
    const { id, keys } = await activeIntegration();
    expect(await call(a, keys)).toMatchObject({ ok: true });
    expect(await call(b, keys)).toMatchObject({ ok: true });
    // Resolves once the status projection applied it, which happens after the removal and its signal.
    await harness.integrationEvent(id, 'IntegrationDeleted', { name: `it ${id}` });
    for (const replica of [a, b])
      expect(await call(replica, keys)).toMatchObject({ ok: false, code: 'OAUTH.CONSUMER_KEY_UNKNOWN' });
  });
});

describe('usage with two replicas', () => {
  const published = (id: string) =>
    harness
      .publishedEvents()
      .filter((event) => event.type === 'IntegrationUsageRecorded' && event.subject === id)
      .map((event) => event.data.uses as number);

  async function callsOn(replica: RunningOauth, keys: Keys, count: number): Promise<void> {
    for (let i = 0; i < count; i++) expect(await call(replica, keys)).toMatchObject({ ok: true });
  }

  it('counts are exact when both flush at once: the largest total published is the sum', async () => {
    const { id, keys } = await activeIntegration();
    const db = a.runtime.connection.db!;
    const stored = async () =>
      (await db.collection('usage_counts').find({ integrationId: id }).toArray()).reduce(
        (sum, document) => sum + (document.uses as number),
        0,
      );

    await Promise.all([callsOn(a, keys, 5), callsOn(b, keys, 7)]);
    await Promise.all([a.runtime.usage.flush(), b.runtime.usage.flush()]);
    expect(await stored()).toBe(12);
    await waitFor(() => published(id).includes(12), { message: 'a total of 12 published' });
    expect(Math.max(...published(id))).toBe(12);

    await Promise.all([callsOn(a, keys, 3), callsOn(b, keys, 4)]);
    await Promise.all([a.runtime.usage.flush(), b.runtime.usage.flush()]);
    expect(await stored()).toBe(19);
    await waitFor(() => published(id).includes(19), { message: 'a total of 19 published' });
    expect(Math.max(...published(id))).toBe(19);
  });
});
