import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { toCloudEvent, type SettingPath, type Settings } from '@integrations/contracts';
import { connectMongo } from '@integrations/event-store';
import { createKafkaMessageBus, type IncomingMessage, type MessageBus } from '@integrations/messaging';
import { getTestInfra, uniqueName, waitFor } from '@integrations/testing';
import pino from 'pino';
import { startOauth, type OauthOverrides, type RunningOauth } from '../../src/start';
import { testEncryptionKeys } from './oauth-test-env';
import type { ForwardedRequest } from './partner-client';

// Replies are asserted field by field with expect(); a loose type keeps the tests readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
}

/**
 * One oauth service on the shared Kafka + FerretDB, with its own database and topic prefix, plus
 * what a test needs around it: more replicas of it (same database, topics and keys), a stand-in
 * registry that records activation completions, publishing the registry's integration events and
 * the config service's settings (real Kafka messages), reading the oauth topic, and the service's
 * log lines.
 */
export class OauthHarness {
  readonly oauthMessages: IncomingMessage[] = [];
  /** Replicas started with `startReplica()`, closed with the harness. */
  private readonly replicas: RunningOauth[] = [];
  private integrationVersions = new Map<string, number>();
  private configVersion = 0;

  private constructor(
    readonly oauth: RunningOauth,
    readonly bus: MessageBus,
    readonly registry: RegistryStub,
    /** The service's log lines (JSON), for the secret scan. */
    readonly logLines: string[],
    private readonly overrides: OauthOverrides,
  ) {}

  static async start(options: { flushMs?: number; overrides?: OauthOverrides } = {}): Promise<OauthHarness> {
    const { mongoUrl, kafkaBrokers } = await getTestInfra();
    const logLines: string[] = [];
    const registry = await RegistryStub.start();
    const overrides: OauthOverrides = {
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      OAUTH_PORT: 0,
      OAUTH_DB: uniqueName('oauth_it'),
      OAUTH_TOPIC_PREFIX: `${uniqueName('oauth')}.`,
      OAUTH_ENCRYPTION_KEYS: testEncryptionKeys(),
      OAUTH_USAGE_FLUSH_MS: options.flushMs ?? 500,
      REGISTRY_URL: registry.url,
      ...options.overrides,
    };
    const oauth = await startOauth(overrides, { logger: logCollector(logLines) });
    const bus = createKafkaMessageBus({ brokers: kafkaBrokers, clientId: 'oauth-it', logger: () => undefined });
    await bus.connect();
    const created = new OauthHarness(oauth, bus, registry, logLines, overrides);
    // Everything the service publishes, for assertions (and the secret scan).
    await bus.subscribe<IncomingMessage>({
      groupId: `${oauth.env.OAUTH_TOPIC_PREFIX}it-reader`,
      topics: [oauth.runtime.topics.oauth],
      fromBeginning: true,
      parse: (message) => message,
      handle: async (message) => void created.oauthMessages.push(message),
    });
    return created;
  }

  get url(): string {
    return this.oauth.url;
  }

  /** Another replica: same database, topics, keys and settings, its own process state and port. */
  async startReplica(overrides: OauthOverrides = {}): Promise<RunningOauth> {
    const replica = await startOauth({ ...this.overrides, ...overrides }, { logger: logCollector(this.logLines) });
    this.replicas.push(replica);
    return replica;
  }

  /** Stops the services (if a test did not already) and the test bus, then drops the test database. */
  async close(): Promise<void> {
    for (const replica of this.replicas) await replica.close();
    await this.oauth.close();
    await this.registry.close();
    await this.bus.disconnect();
    const connection = await connectMongo(this.oauth.env.MONGO_URL, this.oauth.env.OAUTH_DB);
    await connection.db?.dropDatabase().catch(() => undefined);
    await connection.close();
  }

  async post<T = Json>(path: string, body: unknown, on: { url: string } = this.oauth): Promise<Reply<T>> {
    const response = await fetch(`${on.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-actor': 'alice' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  credentials(integrationId: string, body: Record<string, unknown>, on: { url: string } = this.oauth) {
    return this.post(`/integrations/${integrationId}/credentials`, body, on);
  }

  /** `{status, body}` as the gateway would relay it. */
  async tokenRequest(request: ForwardedRequest): Promise<{ status: number; body: string }> {
    return (await this.post('/oauth/verify/token-request', request)).body;
  }

  async tokenAccess(request: ForwardedRequest): Promise<{ status: number; body: string }> {
    return (await this.post('/oauth/verify/token-access', request)).body;
  }

  async apiCall(request: ForwardedRequest, on: { url: string } = this.oauth): Promise<Json> {
    const reply = await this.post('/oauth/verify/api-call', request, on);
    expect(reply.status).toBe(200);
    return reply.body;
  }

  /** The registry's version of the integration, as far as this harness published its events. */
  versionOf(integrationId: string): number {
    return this.integrationVersions.get(integrationId) ?? 0;
  }

  /**
   * Publishes a registry event for the integration and waits until it is projected. The version is
   * the next one, or `options.version` (one taken earlier with `nextVersion`: an event delivered late).
   */
  async integrationEvent(
    integrationId: string,
    type: string,
    payload: Record<string, unknown>,
    options: { version?: number } = {},
  ): Promise<number> {
    const version = options.version ?? this.nextVersion(integrationId);
    const event = toCloudEvent(
      {
        streamId: integrationId,
        version,
        type,
        payload: { integrationId, ...payload },
        timestamp: new Date(),
        metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'alice' },
      },
      '/integrations/registry',
    );
    await this.bus.publish(this.oauth.runtime.topics.integration, [
      { key: integrationId, value: JSON.stringify(event) },
    ]);
    await this.waitUntilProjected(integrationId, version, type);
    return version;
  }

  /**
   * Takes the integration's next version without publishing anything: an event the registry
   * committed that Kafka has not delivered (yet).
   */
  nextVersion(integrationId: string): number {
    const version = this.versionOf(integrationId) + 1;
    this.integrationVersions.set(integrationId, version);
    return version;
  }

  async waitUntilProjected(integrationId: string, version: number, what = 'event'): Promise<void> {
    await waitFor(async () => (await this.oauth.runtime.statuses.versionOf(integrationId)) >= version, {
      message: `${what} ${integrationId}@${version} projected`,
      timeoutMs: 15_000,
    });
  }

  async createIntegration(integrationId: string): Promise<void> {
    await this.integrationEvent(integrationId, 'IntegrationCreated', {
      name: `it ${integrationId}`,
      email: null,
      callbackUrl: null,
      identityLinkUrl: null,
      resourceAccess: 'all',
      resources: [],
      setupType: 'manual',
      insecure: false,
    });
  }

  activate(integrationId: string, mode: 'tokens' | 'exchange' = 'tokens') {
    return this.integrationEvent(integrationId, 'IntegrationActivated', { mode });
  }

  /** Publishes a ConfigChanged event (the config service's) and waits until the service applied it. */
  async setSettings(values: Partial<Settings>): Promise<void> {
    this.configVersion += 1;
    const changes = Object.entries(values).map(([path, value]) => ({
      path: path as SettingPath,
      value: value as never,
      previous: null,
    }));
    const event = toCloudEvent(
      {
        streamId: 'config:default',
        version: this.configVersion,
        type: 'ConfigChanged',
        payload: { changes },
        timestamp: new Date(),
        metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'alice' },
      },
      '/integrations/config',
    );
    await this.bus.publish(this.oauth.runtime.topics.config, [{ key: 'config:default', value: JSON.stringify(event) }]);
    await this.oauth.runtime.configView.waitForVersion(this.configVersion, 15_000);
  }

  /** oauth events published so far, parsed. */
  publishedEvents(): Array<{ type: string; subject: string; data: Record<string, unknown> }> {
    return this.oauthMessages.map((message) => JSON.parse(message.value ?? '{}'));
  }
}

/** A partner's callback endpoint: records the credentials POSTs, answers `status`. */
export class CallbackServer {
  readonly posts: Array<{
    contentType: string | undefined;
    form: URLSearchParams;
    raw: string;
    headers: Record<string, string | string[] | undefined>;
  }> = [];
  status = 200;
  /** Runs before answering (a partner that completes the exchange while we wait, say). */
  onPost?: (form: URLSearchParams) => Promise<void>;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<CallbackServer> {
    const holder: { self?: CallbackServer } = {};
    const server = createServer((request, response) => {
      const self = holder.self!;
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const form = new URLSearchParams(raw);
        self.posts.push({ contentType: request.headers['content-type'], form, raw, headers: request.headers });
        void (self.onPost?.(form) ?? Promise.resolve()).finally(() => {
          response.statusCode = self.status;
          response.end('ok');
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new CallbackServer(server);
    return holder.self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/oauth/callback`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function logCollector(lines: string[]) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: 'info', base: { service: 'oauth' } }, sink);
}

/**
 * Stands in for the registry's `POST /integrations/{id}/activation/completion` (the real one is
 * exercised end to end with the gateway): records each call, when it arrived and when it was
 * answered, and answers `reply` (or nothing, while `hold` is set).
 */
export class RegistryStub {
  readonly completions: Array<{
    integrationId: string;
    body: Json;
    headers: Record<string, string | string[] | undefined>;
    answeredAt?: number;
  }> = [];
  reply: { status: number; body: unknown } = { status: 200, body: { outcome: 'completed', version: 3 } };
  /** While set, calls wait for it (a registry slower than the oauth service's timeout, say). */
  hold?: Promise<void>;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<RegistryStub> {
    const holder: { self?: RegistryStub } = {};
    const server = createServer((request, response) => {
      const self = holder.self!;
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const match = /^\/integrations\/([^/]+)\/activation\/completion$/.exec(request.url ?? '');
        if (request.method !== 'POST' || !match) {
          response.writeHead(404).end();
          return;
        }
        const entry: RegistryStub['completions'][number] = {
          integrationId: decodeURIComponent(match[1]!),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
          headers: request.headers,
        };
        self.completions.push(entry);
        void (self.hold ?? Promise.resolve()).then(() => {
          entry.answeredAt = Date.now();
          response.writeHead(self.reply.status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(self.reply.body));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.self = new RegistryStub(server);
    return holder.self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
