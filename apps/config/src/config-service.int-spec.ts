import { createConfigView, createKafkaEndOffsets, type ConfigView } from '@integrations/config-client';
import { parseCloudEvent, SettingsViewSchema, type KnownCloudEvent } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, type MessageBus, type Subscription } from '@integrations/messaging';
import { createLogger } from '@integrations/service-kit';
import { randomUUID } from 'node:crypto';
import type { SettingsView } from './settings/settings.view';
import { startConfigService, type RunningConfigService } from './start';

// Real Kafka + FerretDB (tools/infra/infra.sh up; source tools/infra/env.sh).
const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const MONGO_URL = process.env.MONGO_URL ?? '';
if (KAFKA_BROKERS.length === 0 || !MONGO_URL) {
  throw new Error(
    'KAFKA_BROKERS and MONGO_URL must be set: run `bash tools/infra/infra.sh up` and `source tools/infra/env.sh`.',
  );
}

jest.setTimeout(60_000);

const runId = randomUUID().slice(0, 8);
const CONFIG_DB = `it_config_${runId}`;
const logger = createLogger('config-it', 'warn');
const endOffsets = createKafkaEndOffsets(KAFKA_BROKERS);

let service: RunningConfigService;
let bus: MessageBus;
let collector: Subscription;
/** Every message on the config topic, in order. */
const published: KnownCloudEvent[] = [];
let viewStartedBefore: ConfigView;
const views: ConfigView[] = [];

function newView(): ConfigView {
  const view = createConfigView({ bus, groupIdPrefix: `it-config-${runId}`, logger, endOffsets, topic: service.topic });
  views.push(view);
  return view;
}

async function call(method: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${service.url}/config`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const reply = (await response.json()) as SettingsView & {
    error?: { code: string; message: string; details?: unknown };
  };
  // The reply is what the contract says (the gateway refuses anything else with a 502).
  if (response.status === 200) SettingsViewSchema.parse(reply);
  return { status: response.status, body: reply };
}
const getConfig = async () => (await call('GET')).body;
const putConfig = (values: unknown, headers?: Record<string, string>) => call('PUT', { values }, headers);

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Kafka keeps one partition in order: once this change's event arrived, any earlier one has too. */
async function publishSentinel(): Promise<KnownCloudEvent> {
  const before = await getConfig();
  const next = Number(before.values['oauth/cleanup/cleanup_probability']) + 1;
  const { body } = await putConfig({ 'oauth/cleanup/cleanup_probability': next });
  await waitFor('the sentinel event', () => published.some((e) => e.sequence === String(body.version)));
  return published.at(-1)!;
}

beforeAll(async () => {
  service = await startConfigService(
    { CONFIG_PORT: 0, CONFIG_DB, CONFIG_TOPIC_PREFIX: `it-config-${runId}.`, MONGO_URL, KAFKA_BROKERS },
    { logger },
  );
  bus = createKafkaMessageBus({ brokers: KAFKA_BROKERS, clientId: `it-config-${runId}`, logLevel: 'error' });
  await bus.connect();
  collector = await bus.subscribe({
    groupId: `it-config-${runId}-collector`,
    topics: [service.topic],
    fromBeginning: true,
    parse: (message) => parseCloudEvent(message.value),
    handle: async (parsed) => {
      if (parsed.kind === 'known') published.push(parsed.event);
    },
  });
  viewStartedBefore = newView();
  await viewStartedBefore.start();
});

afterAll(async () => {
  await Promise.all(views.map((view) => view.stop()));
  await collector?.close();
  await bus?.disconnect();
  await service?.close();
  const connection = await connectMongo(MONGO_URL, CONFIG_DB);
  await connection.dropDatabase();
  await connection.close();
});

describe('config service (real Kafka + FerretDB)', () => {
  it('starts on the catalog defaults at version 0, describing each setting', async () => {
    const config = await getConfig();
    expect(config.version).toBe(0);
    expect(config.values['oauth/consumer/expiration_period']).toBe(300);
    expect(config.values['webapi/webapisecurity/allow_insecure']).toBe(false);
    expect(config.settings.find((s) => s.path === 'oauth/consumer/post_timeout')).toEqual(
      expect.objectContaining({
        type: 'integer',
        default: 5,
        min: 1,
        max: 60,
        unit: 'seconds',
        value: 5,
        label: 'OAuth consumer credentials HTTP Post timeout',
      }),
    );
    expect(config.settings.find((s) => s.path === 'webapi/webapisecurity/allow_insecure')).toEqual(
      expect.objectContaining({ type: 'boolean', default: false, value: false, label: 'Allow Anonymous Guest Access' }),
    );
    expect(config.settings.map((s) => s.path).sort()).toEqual(Object.keys(config.values).sort());
  });

  it('stores valid values, bumps the version, publishes ConfigChanged, and a running view applies it within 1 s of the commit', async () => {
    const started = Date.now();
    const { status, body } = await putConfig(
      {
        'webapi/webapisecurity/allow_insecure': true,
        'oauth/consumer/expiration_period': 900,
        'oauth/consumer/post_timeout': 5,
      },
      { 'x-actor': 'alice', 'x-correlation-id': `it-${runId}` },
    );
    const putMs = Date.now() - started;
    expect(status).toBe(200);
    expect(body.version).toBe(1);
    expect(body.values['webapi/webapisecurity/allow_insecure']).toBe(true);
    expect(body.settings.find((s) => s.path === 'oauth/consumer/expiration_period')?.value).toBe(900);

    const committed = Date.now();
    await viewStartedBefore.waitForVersion(1, 1_000);
    const viewLatencyMs = Date.now() - committed;
    expect(viewLatencyMs).toBeLessThan(1_000);
    expect(viewStartedBefore.get('webapi/webapisecurity/allow_insecure')).toBe(true);
    expect(viewStartedBefore.get('oauth/consumer/expiration_period')).toBe(900);

    const config = await getConfig();
    expect(config.version).toBe(1);
    expect(config.values).toEqual(body.values);

    await waitFor('the ConfigChanged event', () => published.length === 1);
    const [event] = published;
    expect(event).toMatchObject({
      type: 'ConfigChanged',
      source: '/integrations/config',
      subject: 'config:default',
      sequence: '1',
      actor: 'alice',
      correlationid: `it-${runId}`,
      data: {
        // post_timeout was sent unchanged, so it is not in the event.
        changes: [
          { path: 'webapi/webapisecurity/allow_insecure', value: true, previous: false },
          { path: 'oauth/consumer/expiration_period', value: 900, previous: 300 },
        ],
      },
    });
    logger.warn({ putMs, commitToViewMs: viewLatencyMs }, 'first config change latencies');
  });

  it('answers an unchanged PUT with the same version and publishes nothing', async () => {
    const before = await getConfig();
    const { status, body } = await putConfig({
      'webapi/webapisecurity/allow_insecure': '1',
      'oauth/consumer/expiration_period': 900,
    });
    expect(status).toBe(200);
    expect(body.version).toBe(before.version);
    const count = published.length;
    const sentinel = await publishSentinel();
    expect(published.length).toBe(count + 1);
    expect(sentinel.data).toEqual({
      changes: [expect.objectContaining({ path: 'oauth/cleanup/cleanup_probability' })],
    });
  });

  interface Rejection {
    what: string;
    body: unknown;
    code: string;
    message: RegExp;
    details?: unknown;
  }
  const rejections: Rejection[] = [
    {
      what: 'an unknown path',
      body: { values: { 'oauth/consumer/nope': 1 } },
      code: 'CONFIG.UNKNOWN_PATH',
      message: /^Unknown setting: oauth\/consumer\/nope\. Nothing was changed\. Known settings: /,
      details: [{ field: 'oauth/consumer/nope', message: 'oauth/consumer/nope is not a known setting.' }],
    },
    {
      what: 'an unknown path beside a valid value',
      body: { values: { 'oauth/consumer/post_timeout': 9, 'web/x/y': true } },
      code: 'CONFIG.UNKNOWN_PATH',
      message: /^Unknown setting: web\/x\/y\./,
    },
    {
      what: 'a word for a boolean',
      body: { values: { 'webapi/webapisecurity/allow_insecure': 'yes' } },
      code: 'CONFIG.INVALID_VALUE',
      message: /allow_insecure must be a boolean \(true or false/,
    },
    {
      what: 'a value below the minimum',
      body: { values: { 'oauth/consumer/post_timeout': 0 } },
      code: 'CONFIG.INVALID_VALUE',
      message:
        /^oauth\/consumer\/post_timeout must be an integer between 1 and 60 \(seconds\); got 0\. Nothing was changed\.$/,
      details: [
        {
          field: 'oauth/consumer/post_timeout',
          message: 'oauth/consumer/post_timeout must be an integer between 1 and 60 (seconds); got 0.',
        },
      ],
    },
    {
      what: 'a value above the maximum',
      body: { values: { 'oauth/signature/timestamp_window': 3601 } },
      code: 'CONFIG.INVALID_VALUE',
      message: /timestamp_window must be an integer between 30 and 3600 \(seconds\); got 3601\./,
    },
    {
      what: 'a string for an integer',
      body: { values: { 'oauth/consumer/expiration_period': '600' } },
      code: 'CONFIG.INVALID_VALUE',
      message: /expiration_period must be an integer between 1 and 86400 \(seconds\); got a string\./,
    },
    {
      what: 'one bad value among good ones',
      body: { values: { 'oauth/consumer/post_maxredirects': 2, 'oauth/consumer/post_timeout': 61 } },
      code: 'CONFIG.INVALID_VALUE',
      message: /between 1 and 60/,
      details: [{ field: 'oauth/consumer/post_timeout', message: expect.stringMatching(/got 61\.$/) }],
    },
    { what: 'an array body', body: [1, 2], code: 'REQUEST.INVALID', message: /expected object, received array/ },
    { what: 'a JSON string body', body: '"values"', code: 'REQUEST.INVALID_JSON', message: /not valid JSON/ },
    {
      what: 'an extra field',
      body: { values: { 'oauth/consumer/post_timeout': 9 }, force: true },
      code: 'REQUEST.INVALID',
      message: /Unknown field\(s\): force/,
    },
    {
      what: 'values that are not an object',
      body: { values: ['oauth/consumer/post_timeout'] },
      code: 'REQUEST.INVALID',
      message: /values: .*expected record/,
    },
    { what: 'no values at all', body: {}, code: 'REQUEST.INVALID', message: /values: / },
  ];

  it.each(rejections)('rejects $what with 400 $code and stores nothing', async ({ body, code, message, details }) => {
    const before = await getConfig();
    const count = published.length;
    const response = await call('PUT', typeof body === 'string' ? body : JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe(code);
    expect(response.body.error?.message).toMatch(message);
    if (details) expect(response.body.error?.details).toEqual(details);

    expect(await getConfig()).toEqual(before);
    await publishSentinel();
    expect(published.length).toBe(count + 1);
  });

  it('applies two concurrent PUTs of different settings, both kept, one version each', async () => {
    const before = await getConfig();
    const [first, second] = await Promise.all([
      putConfig({ 'oauth/consumer/post_maxredirects': 4 }),
      putConfig({ 'oauth/signature/allow_hmac_sha1': true }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.version, second.body.version].sort()).toEqual([before.version + 1, before.version + 2]);
    const after = await getConfig();
    expect(after.version).toBe(before.version + 2);
    expect(after.values['oauth/consumer/post_maxredirects']).toBe(4);
    expect(after.values['oauth/signature/allow_hmac_sha1']).toBe(true);
    await viewStartedBefore.waitForVersion(after.version, 1_000);
    expect(viewStartedBefore.snapshot()).toEqual(after.values);
  });

  it('gets every change to a running view within 1 s of its commit (the PUT answer)', async () => {
    const puts: number[] = [];
    const propagation: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = Date.now();
      const { body } = await putConfig({ 'oauth/access/reauthorize_grace_period': 100 + i });
      const committed = Date.now();
      await viewStartedBefore.waitForVersion(body.version, 1_000);
      puts.push(committed - sent);
      propagation.push(Date.now() - committed);
      expect(viewStartedBefore.get('oauth/access/reauthorize_grace_period')).toBe(100 + i);
    }
    logger.warn({ putMs: puts, commitToViewMs: propagation }, 'config change latencies');
    expect(Math.max(...propagation)).toBeLessThan(1_000);
  });

  it('gives a view started after the changes the current values as soon as start() resolves', async () => {
    const current = await getConfig();
    expect(current.version).toBeGreaterThan(1);
    const late = newView();
    const started = Date.now();
    await late.start();
    logger.warn({ catchUpMs: Date.now() - started, version: current.version }, 'late ConfigView caught up');
    expect(late.version()).toBe(current.version);
    expect(late.snapshot()).toEqual(current.values);
    expect(late.get('webapi/webapisecurity/allow_insecure')).toBe(true);
  });

  it('reports ready with Mongo and Kafka up', async () => {
    const response = await fetch(`${service.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'up', checks: { mongo: 'up', kafka: 'up' } });
  });
});
