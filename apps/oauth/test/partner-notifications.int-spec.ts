import { createHmac, randomUUID } from 'node:crypto';
import { PARTNER_SIGNATURE_HEADER, PartnerNotificationSchema } from '@integrations/contracts';
import { waitFor } from '@integrations/testing';
import { PARTNER_NOTIFICATIONS_COLLECTION } from '../src/notifications/notification-queue';
import { CallbackServer, OauthHarness } from './support/oauth-harness';

/**
 * The oauth service's partner notifications on real Kafka + FerretDB, two replicas on one database:
 * the integration events consumer queues a notification (one replica handles each partition), one
 * replica at a time sends (its lease), each attempt recorded on the oauth topic. The whole path
 * through the gateway, with the history, is apps/gateway/test/partner-notifications.int-spec.ts.
 */
let harness: OauthHarness;
let callback: CallbackServer;

beforeAll(async () => {
  harness = await OauthHarness.start({
    overrides: { OAUTH_NOTIFY_RETRY_BASE_MS: 200, OAUTH_NOTIFY_POLL_MS: 100, OAUTH_NOTIFY_MAX_ATTEMPTS: 2 },
  });
  await harness.startReplica();
  callback = await CallbackServer.start();
  await harness.setSettings({ 'oauth/consumer/outbound_allowlist': '127.0.0.1' });
});

afterAll(async () => {
  await callback?.close();
  await harness?.close();
});

const queue = () => harness.oauth.runtime.connection.db!.collection(PARTNER_NOTIFICATIONS_COLLECTION);
const notificationsTo = (integrationId: string) =>
  callback.posts.filter((post) => post.contentType === 'application/json' && post.raw.includes(integrationId));
const attemptsOf = (integrationId: string) =>
  harness
    .publishedEvents()
    .filter((event) => event.subject === integrationId && event.type.startsWith('PartnerNotification'));

/** An integration with `callbackUrl`, activated in tokens mode: it has a consumer. */
async function activated(callbackUrl: string | null): Promise<{ id: string; key: string; secret: string }> {
  const id = randomUUID();
  await harness.integrationEvent(id, 'IntegrationCreated', {
    name: `notified ${id}`,
    email: null,
    callbackUrl,
    identityLinkUrl: null,
    resourceAccess: 'all',
    resources: [],
    setupType: 'manual',
    insecure: false,
  });
  const issued = await harness.credentials(id, { mode: 'tokens', reauthorize: false });
  expect(issued.status).toBe(200);
  await harness.activate(id);
  return { id, key: issued.body.consumerKey, secret: issued.body.consumerSecret };
}

describe('partner notifications with two oauth replicas', () => {
  it('sends one signed POST per change, whichever replica queued it', async () => {
    callback.status = 200;
    const integration = await activated(callback.url);
    const version = await harness.integrationEvent(integration.id, 'IntegrationReauthorized', { mode: 'tokens' });
    await waitFor(async () => attemptsOf(integration.id).length === 1, { message: 'the delivery event' });
    // Time for a second sender to send it again, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const posts = notificationsTo(integration.id);
    expect(posts).toHaveLength(1);
    const [post] = posts;
    const expected = `sha256=${createHmac('sha256', integration.secret).update(post.raw).digest('hex')}`;
    expect(post.headers[PARTNER_SIGNATURE_HEADER]).toBe(expected);
    const body = PartnerNotificationSchema.parse(JSON.parse(post.raw));
    expect(body).toMatchObject({
      type: 'integration.reauthorized',
      attempt: 1,
      integration: { id: integration.id, consumerKey: integration.key },
    });
    expect(attemptsOf(integration.id)).toEqual([
      expect.objectContaining({
        type: 'PartnerNotificationDelivered',
        data: expect.objectContaining({
          notificationId: body.id,
          notification: 'integration.reauthorized',
          integrationVersion: version,
          attempt: 1,
          host: '127.0.0.1',
          status: 200,
        }),
      }),
    ]);
  });

  it('gives up after OAUTH_NOTIFY_MAX_ATTEMPTS and erases its copy of the secret', async () => {
    callback.status = 503;
    const integration = await activated(callback.url);
    await harness.integrationEvent(integration.id, 'IntegrationReauthorized', { mode: 'tokens' });
    await waitFor(async () => attemptsOf(integration.id).length === 2, { message: 'two failed attempts' });
    const [first, last] = attemptsOf(integration.id);
    expect(first.data).toMatchObject({ attempt: 1, status: 503, code: 'OAUTH.CALLBACK_FAILED' });
    expect(typeof first.data.nextAttemptAt).toBe('string');
    expect(last.data).toMatchObject({ attempt: 2, status: 503, nextAttemptAt: null });
    expect(await queue().findOne({ integrationId: integration.id })).toMatchObject({
      state: 'abandoned',
      attempts: 2,
      secret: null,
    });
    expect(notificationsTo(integration.id)).toHaveLength(2);
    callback.status = 200;
  });

  it('queues nothing for an integration without a callback URL, or without credentials', async () => {
    const silent = await activated(null);
    await harness.integrationEvent(silent.id, 'IntegrationReauthorized', { mode: 'tokens' });
    const neverActivated = randomUUID();
    await harness.integrationEvent(neverActivated, 'IntegrationCreated', {
      name: `never ${neverActivated}`,
      email: null,
      callbackUrl: callback.url,
      identityLinkUrl: null,
      resourceAccess: 'all',
      resources: [],
      setupType: 'manual',
      insecure: false,
    });
    await harness.integrationEvent(neverActivated, 'IntegrationDeleted', { name: `never ${neverActivated}` });
    expect(await queue().countDocuments({ integrationId: { $in: [silent.id, neverActivated] } })).toBe(0);
  });

  it('notifies a callback URL set by an update, and a deletion after the consumer is gone', async () => {
    const integration = await activated(null);
    await harness.integrationEvent(integration.id, 'IntegrationUpdated', { changes: { callbackUrl: callback.url } });
    await harness.integrationEvent(integration.id, 'IntegrationDeleted', { name: `notified ${integration.id}` });
    await waitFor(async () => notificationsTo(integration.id).length === 1, { message: 'the deletion notified' });
    const [post] = notificationsTo(integration.id);
    // Signed with the secret the deletion removed: the queue kept a sealed copy.
    const expected = `sha256=${createHmac('sha256', integration.secret).update(post.raw).digest('hex')}`;
    expect(post.headers[PARTNER_SIGNATURE_HEADER]).toBe(expected);
    expect(JSON.parse(post.raw)).toMatchObject({ type: 'integration.deleted' });
    const consumers = harness.oauth.runtime.connection.db!.collection('consumers');
    expect(await consumers.countDocuments({ integrationId: integration.id })).toBe(0);
  });

  it('learns the callback URL of an integration older than the notifications from a replay of the topic', async () => {
    const integration = await activated(callback.url);
    // As if created before the oauth service kept callback URLs.
    const targets = harness.oauth.runtime.connection.db!.collection('notification_targets');
    await targets.deleteOne({ _id: integration.id } as never);
    const created = {
      name: `notified ${integration.id}`,
      email: null,
      callbackUrl: callback.url,
      identityLinkUrl: null,
      resourceAccess: 'all',
      resources: [],
      setupType: 'manual',
      insecure: false,
    };
    // The replay delivers IntegrationCreated again (version 1, applied long ago).
    await harness.integrationEvent(integration.id, 'IntegrationCreated', created, { version: 1 });
    await waitFor(async () => (await targets.countDocuments({ _id: integration.id } as never)) === 1, {
      message: 'the callback URL learnt again',
    });
    await harness.integrationEvent(integration.id, 'IntegrationReauthorized', { mode: 'tokens' });
    await waitFor(async () => notificationsTo(integration.id).length === 1, { message: 'the partner notified' });
  });

  it('never writes the secret or a signature to its logs or events', () => {
    const signatures = callback.posts.map((post) => post.headers[PARTNER_SIGNATURE_HEADER]).filter(Boolean);
    expect(signatures.length).toBeGreaterThanOrEqual(4);
    const published = JSON.stringify(harness.publishedEvents());
    for (const signature of signatures) {
      expect(harness.logLines.some((line) => line.includes(String(signature)))).toBe(false);
      expect(published.includes(String(signature))).toBe(false);
    }
  });
});
