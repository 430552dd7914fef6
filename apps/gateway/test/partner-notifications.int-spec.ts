import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotificationVerifier, SIGNATURE_HEADER } from '../../../examples/third-party-app/src/store-notifications';
import { type OauthE2eStack, startOauthE2eStack } from './fixtures/oauth-e2e-stack';
import { createIntegration, type Credentials, type Json, waitUntil } from './fixtures/platform-stack';
import { findSecrets, type KnownSecret, readDatabases, readTopics } from './fixtures/secret-scan';
import { ADMIN } from './support/gateway-harness';

/**
 * Tell the partner: when an integration with a callback URL is reauthorized or deleted, the oauth
 * service POSTs a signed JSON notification there, from a queue in its database, retried with
 * backoff, each attempt in the integration's history. Through the gateway's admin API on the real
 * stack (Kafka, FerretDB, every service), with partners that verify the signature as the README
 * says: a plain node:http one, and the example third-party app.
 */
let stack: OauthE2eStack;
const secrets: KnownSecret[] = [];
/** Signature headers the partners received: they must not appear in logs, events or databases. */
const signatures: string[] = [];

beforeAll(async () => {
  stack = await startOauthE2eStack('notify', {
    // Retries within the test's patience: 300 ms, then 1.2 s, … (production: 10 s, 40 s, …).
    oauth: { OAUTH_NOTIFY_RETRY_BASE_MS: 300, OAUTH_NOTIFY_POLL_MS: 100 },
  });
});

afterAll(async () => {
  await stack?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  stack.api.request(method, path, { token: stack.token, body });

async function setAllowList(value: string): Promise<void> {
  const reply = await admin('PUT', '/admin/v1/config', {
    values: { 'oauth/consumer/outbound_allowlist': value },
    // A security setting: the change needs the admin's password (step-up).
    currentPassword: ADMIN.password,
  });
  expect(reply.status).toBe(200);
  await waitUntil(
    async () => stack.oauth.runtime.settings.get('oauth/consumer/outbound_allowlist') === value,
    `the oauth service applied the allow-list "${value}"`,
  );
}

async function historyOf(id: string): Promise<Json[]> {
  const reply = await admin('GET', `/admin/v1/integrations/${id}/history?pageSize=50`);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

const attemptsIn = (history: Json[]) => history.filter((entry) => entry.type.startsWith('PartnerNotification'));

interface Received {
  body: Json;
  raw: Buffer;
  signature: string | undefined;
  contentType: string | undefined;
  answered: number;
  verdict: string;
}

/**
 * A partner on `host` that verifies every notification with the example app's verifier (the
 * secrets it was given) and answers what `answer` says for each verified one (default 200).
 */
class TestPartner {
  readonly received: Received[] = [];
  readonly secrets = new Map<string, string>();
  answer: (n: number) => number = () => 200;
  private readonly verifier = new NotificationVerifier({ secretOf: (key) => this.secrets.get(key) });
  private server!: Server;

  constructor(private readonly host = '127.0.0.1') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
    return this;
  }

  get url(): string {
    return `http://${this.host}:${(this.server.address() as AddressInfo).port}/notifications?partner=test`;
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const signature = req.headers[SIGNATURE_HEADER] as string | undefined;
    if (signature) signatures.push(signature);
    const check = this.verifier.check(raw, signature);
    const answered = check.ok
      ? this.answer(this.received.filter((r) => r.verdict === 'verified').length + 1)
      : check.status;
    if (check.ok && answered < 300) this.verifier.processed(check.notification.id);
    this.received.push({
      body: JSON.parse(raw.toString('utf8')),
      raw,
      signature,
      contentType: req.headers['content-type'],
      answered,
      verdict: check.ok ? 'verified' : check.reason,
    });
    res.writeHead(answered).end();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function activatedWithCallback(callbackUrl: string): Promise<{ id: string; credentials: Credentials }> {
  // A callback URL without an identity link: activation returns the tokens (no exchange).
  const created = await createIntegration(stack, 'Notified', { callbackUrl });
  const activated = await admin('POST', `/admin/v1/integrations/${created.id}/activate`, {
    currentPassword: ADMIN.password,
  });
  expect(activated.status).toBe(200);
  const credentials = activated.body.credentials as Credentials;
  secrets.push({ kind: 'consumer secret', value: credentials.consumerSecret });
  return { id: created.id, credentials };
}

describe('a partner answering 500, then 200', () => {
  let partner: TestPartner;
  let integration: { id: string; credentials: Credentials };

  beforeAll(async () => {
    await setAllowList('127.0.0.1');
    partner = await new TestPartner().start();
    partner.answer = (n) => (n === 1 ? 500 : 200);
    integration = await activatedWithCallback(partner.url);
    partner.secrets.set(integration.credentials.consumerKey, integration.credentials.consumerSecret);
  });
  afterAll(() => partner?.close());

  it('is told of the reauthorization twice: the same notification, signed afresh for each attempt', async () => {
    const reauthorized = await admin('POST', `/admin/v1/integrations/${integration.id}/reauthorize`, {
      currentPassword: ADMIN.password,
    });
    expect(reauthorized.status).toBe(200);
    await waitUntil(async () => partner.received.some((r) => r.answered === 200), 'a delivered notification');
    expect(partner.received.map((r) => [r.verdict, r.answered])).toEqual([
      ['verified', 500],
      ['verified', 200],
    ]);
    const [first, second] = partner.received;
    for (const received of [first, second]) {
      expect(received.contentType).toBe('application/json');
      expect(received.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    }
    expect(first.body).toMatchObject({
      type: 'integration.reauthorized',
      attempt: 1,
      integration: { id: integration.id, consumerKey: integration.credentials.consumerKey },
    });
    expect(second.body).toMatchObject({ id: first.body.id, type: 'integration.reauthorized', attempt: 2 });
    expect(second.body.occurredAt).toBe(first.body.occurredAt);
    // A new timestamp, a new signature: a partner refuses old bodies and still takes late retries.
    expect(Date.parse(second.body.timestamp)).toBeGreaterThan(Date.parse(first.body.timestamp));
    expect(second.signature).not.toBe(first.signature);
    // A moment later nothing more came: the delivered notification is done.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(partner.received).toHaveLength(2);
  });

  it('refuses a body replayed later, or tampered with (the partner side of the format)', () => {
    const late = new NotificationVerifier({
      secretOf: () => integration.credentials.consumerSecret,
      now: () => Date.now() + 10 * 60_000,
    });
    const [, delivered] = partner.received;
    expect(late.check(delivered.raw, delivered.signature)).toMatchObject({ ok: false, status: 401 });
    const fresh = new NotificationVerifier({ secretOf: () => integration.credentials.consumerSecret });
    expect(fresh.check(delivered.raw, delivered.signature)).toMatchObject({ ok: true, duplicate: false });
    const tampered = Buffer.from(delivered.raw.toString('utf8').replace('reauthorized', 'deleted'));
    expect(fresh.check(tampered, delivered.signature)).toMatchObject({ ok: false, status: 401 });
  });

  it('shows both attempts in the history, above the reauthorization they are about', async () => {
    let history: Json[] = [];
    await waitUntil(
      async () => attemptsIn((history = await historyOf(integration.id))).length === 2,
      'two attempts in the history',
    );
    const reauthorizedAt = history.findIndex((entry) => entry.type === 'IntegrationReauthorized');
    const [delivered, failed] = attemptsIn(history);
    expect(failed).toMatchObject({
      type: 'PartnerNotificationFailed',
      version: history[reauthorizedAt].version,
      actor: null,
      changes: {
        notification: 'integration.reauthorized',
        attempt: 1,
        host: '127.0.0.1',
        httpStatus: 500,
        failure: 'OAUTH.CALLBACK_FAILED',
      },
    });
    expect(Date.parse(failed.changes.nextAttemptAt)).toBeGreaterThan(Date.parse(failed.at));
    expect(delivered).toMatchObject({
      type: 'PartnerNotificationDelivered',
      version: history[reauthorizedAt].version,
      changes: { notification: 'integration.reauthorized', attempt: 2, host: '127.0.0.1', httpStatus: 200 },
    });
    expect(history.indexOf(delivered)).toBeLessThan(history.indexOf(failed));
    expect(history.indexOf(failed)).toBeLessThan(reauthorizedAt);
  });
});

describe('a loopback callback the allow-list does not name', () => {
  // 127.0.0.2 is loopback too (all of 127/8 is, on Linux), but not the allow-listed 127.0.0.1.
  let partner: TestPartner;
  let integration: { id: string; credentials: Credentials };

  beforeAll(async () => {
    await setAllowList('127.0.0.1');
    partner = await new TestPartner('127.0.0.2').start();
    integration = await activatedWithCallback(partner.url);
    partner.secrets.set(integration.credentials.consumerKey, integration.credentials.consumerSecret);
  });
  afterAll(() => partner?.close());

  it('is refused by the outbound guard: nothing reaches the partner, the history says why', async () => {
    const reauthorized = await admin('POST', `/admin/v1/integrations/${integration.id}/reauthorize`, {
      currentPassword: ADMIN.password,
    });
    expect(reauthorized.status).toBe(200);
    let history: Json[] = [];
    await waitUntil(
      async () => attemptsIn((history = await historyOf(integration.id))).length >= 2,
      'two refused attempts',
    );
    for (const attempt of attemptsIn(history)) {
      expect(attempt).toMatchObject({
        type: 'PartnerNotificationFailed',
        changes: { host: '127.0.0.2', failure: 'OAUTH.CALLBACK_ADDRESS_REFUSED' },
      });
      expect(attempt.changes.httpStatus).toBeUndefined();
    }
    expect(partner.received).toEqual([]);
  });

  it('is delivered at the next attempt once the address is allow-listed', async () => {
    await setAllowList('127.0.0.1,127.0.0.2');
    await waitUntil(async () => partner.received.length > 0, 'the notification reached the partner', 30_000);
    expect(partner.received[0]).toMatchObject({ verdict: 'verified', answered: 200 });
    expect(partner.received[0].body.attempt).toBeGreaterThanOrEqual(3);
    await waitUntil(
      async () =>
        attemptsIn(await historyOf(integration.id)).some((entry) => entry.type === 'PartnerNotificationDelivered'),
      'the delivery in the history',
    );
  });
});

describe('deleting an integration the example third-party app holds credentials of', () => {
  it('tells the app, signed with the secret the deletion removed, and the app verifies it', async () => {
    await setAllowList('127.0.0.1');
    const app = stack.partner;
    const created = await createIntegration(stack, 'Example partner', {
      callbackUrl: `${app.url}/callback`,
      identityLinkUrl: `${app.url}/login`,
    });
    // Exchange mode: the oauth service POSTs the consumer key and secret to the app's callback.
    const activated = await admin('POST', `/admin/v1/integrations/${created.id}/activate`, {
      currentPassword: ADMIN.password,
    });
    expect(activated.status).toBe(202);
    const consumerKey = activated.body.consumerKey as string;
    const link = app.state.link(consumerKey)!;
    secrets.push({ kind: 'consumer secret', value: link.consumerSecret }, { kind: 'verifier', value: link.verifier });

    const deleted = await admin('DELETE', `/admin/v1/integrations/${created.id}`);
    expect(deleted.status).toBe(200);
    await waitUntil(async () => app.state.link(consumerKey)!.notifications.length > 0, 'the app was told');
    const [status] = app.state.status().filter((s) => s.consumerKey === consumerKey);
    expect(status).toMatchObject({ deleted: true, hasAccessToken: false });
    expect(status.notifications).toEqual([expect.objectContaining({ type: 'integration.deleted' })]);
    // The consumer and its secret are gone from the oauth service; the queue's copy was erased once sent.
    const oauthDb = stack.oauth.runtime.connection.db!;
    await waitUntil(
      async () => (await oauthDb.collection('consumers').countDocuments({ integrationId: created.id })) === 0,
      'the consumer removed',
    );
    const queue = oauthDb.collection('partner_notifications');
    // The app answered before the sender recorded the delivery.
    await waitUntil(
      async () => (await queue.findOne({ integrationId: created.id }))?.state === 'delivered',
      'the delivery recorded in the queue',
    );
    expect(await queue.find({ integrationId: created.id }).toArray()).toEqual([
      expect.objectContaining({ type: 'integration.deleted', state: 'delivered', attempts: 1, secret: null }),
    ]);
    // The history stays readable after the delete, with the delivery.
    await waitUntil(
      async () =>
        attemptsIn(await historyOf(created.id)).some((entry) => entry.type === 'PartnerNotificationDelivered'),
      'the delivery in the history of the deleted integration',
    );
  });
});

describe('the secret and the signatures', () => {
  it('are in no log line, no event on any topic, and no database document in clear', async () => {
    expect(signatures.length).toBeGreaterThanOrEqual(3);
    const known = [...secrets, ...signatures.map((value) => ({ kind: 'signature', value }))];
    const { messages } = await readTopics(stack.kafkaBrokers, stack.topicPrefix);
    const { documents } = await readDatabases(stack.mongoUrl, stack.databases);
    const logs = stack.logLines.map((text, i) => ({ label: `log line ${i}`, text }));
    // The scan reads what it scans: the delivery events are on the topic, the attempts in the logs.
    expect(messages.some((m) => m.text.includes('PartnerNotificationDelivered'))).toBe(true);
    expect(logs.some((l) => l.text.includes('Partner notified'))).toBe(true);
    expect(findSecrets([...messages, ...logs, ...documents], known)).toEqual([]);
  });
});
