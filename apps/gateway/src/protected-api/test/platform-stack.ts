import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import mongoose from 'mongoose';
import OAuth from 'oauth-1.0a';
import { startAcl, type RunningAcl } from '../../../../acl/src/start';
import { startConfigService, type RunningConfigService } from '../../../../config/src/start';
import { startOauth, type RunningOauth } from '../../../../oauth/src/start';
import { startRegistry, type RunningRegistry } from '../../../../registry/src/start';
import { startCommerceApi, type RunningCommerceApi } from '../../../../../examples/commerce-api/src/start';
import { getTestInfra, uniqueName as uniqueDbName } from '@integrations/testing';
import { ADMIN, startTestGateway, testLogger, type TestGateway } from '../../../test/support/gateway-harness';
import type { AdminApi } from '../../../test/support/http-client';
import type { StartGatewayOptions } from '../../start';

// Replies are asserted field by field; a loose type keeps the tests readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface UpstreamRequest {
  method: string;
  url: string;
  integrationId: string | null;
}

/**
 * The whole platform in this process, each service on a free port with its own database, all on one
 * topic prefix of the shared Kafka (so they hear each other and no other test): config, oauth,
 * registry, acl, the example commerce API and the gateway in front.
 */
export interface PlatformStack {
  gateway: TestGateway;
  api: AdminApi;
  /** The bootstrap admin's session token. */
  token: string;
  config: RunningConfigService;
  oauth: RunningOauth;
  registry: RunningRegistry;
  acl: RunningAcl;
  commerce: RunningCommerceApi;
  /** Every request that reached the commerce API (cleared by the tests as they like). */
  upstreamSaw: UpstreamRequest[];
  close(): Promise<void>;
}

export async function startPlatformStack(
  name: string,
  gatewayOptions: StartGatewayOptions = {},
): Promise<PlatformStack> {
  const { mongoUrl, kafkaBrokers } = await getTestInfra();
  const tag = uniqueDbName(name);
  const prefix = `${tag}.`;
  const common = { MONGO_URL: mongoUrl, KAFKA_BROKERS: kafkaBrokers };
  const started: Array<{ close(): Promise<void> }> = [];
  const databases: string[] = [];
  const upstreamSaw: UpstreamRequest[] = [];
  try {
    const config = await startConfigService(
      { ...common, CONFIG_PORT: 0, CONFIG_DB: `${tag}_cfg`, CONFIG_TOPIC_PREFIX: prefix },
      { logger: testLogger('config') },
    );
    started.push(config);
    databases.push(`${tag}_cfg`);
    mkdirSync(`tmp/${tag}`, { recursive: true });
    const oauth = await startOauth(
      {
        ...common,
        OAUTH_PORT: 0,
        OAUTH_DB: `${tag}_oauth`,
        OAUTH_TOPIC_PREFIX: prefix,
        OAUTH_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        OAUTH_USAGE_FLUSH_MS: 500,
      },
      { logger: testLogger('oauth') },
    );
    started.push(oauth);
    databases.push(`${tag}_oauth`);
    const registry = await startRegistry(
      { ...common, REGISTRY_PORT: 0, REGISTRY_DB: `${tag}_reg`, REGISTRY_TOPIC_PREFIX: prefix },
      { logger: testLogger('registry') },
    );
    started.push(registry);
    databases.push(`${tag}_reg`);
    const commerce = await startCommerceApi({ port: 0, onRequest: (request) => upstreamSaw.push(request) });
    started.push(commerce);
    const acl = await startAcl({
      ...common,
      ACL_PORT: 0,
      ACL_DB: `${tag}_acl`,
      ACL_TOPIC_PREFIX: prefix,
      logger: testLogger('acl'),
      // The acl's route map names the upstream; the gateway proxies to the URL it answers.
      env: { UPSTREAM_COMMERCE_URL: commerce.url },
    });
    started.push(acl);
    databases.push(`${tag}_acl`);
    const gateway = await startTestGateway(mongoUrl, {
      database: `${tag}_gw`,
      registryUrl: registry.url,
      oauthUrl: oauth.url,
      aclUrl: acl.url,
      configUrl: config.url,
      upstreamUrls: {},
      benchAuthDisabled: false,
      ...gatewayOptions,
    });
    started.push(gateway);
    const token = await gateway.api.login(ADMIN.username, ADMIN.password);
    return {
      gateway,
      api: gateway.api,
      token,
      config,
      oauth,
      registry,
      acl,
      commerce,
      upstreamSaw,
      close: async () => {
        for (const service of started.reverse()) await service.close().catch(() => undefined);
        await dropDatabases(mongoUrl, databases);
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
    await dropDatabases(mongoUrl, databases);
    throw error;
  }
}

async function dropDatabases(mongoUrl: string, names: string[]): Promise<void> {
  for (const name of names) {
    const connection = await mongoose.createConnection(mongoUrl, { dbName: name }).asPromise();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

/** A partner's signer (the `oauth-1.0a` package, HMAC-SHA256), independent of our verifier. */
export function signer(credentials: Pick<Credentials, 'consumerKey' | 'consumerSecret'>): OAuth {
  return new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  });
}

export interface SignedCallOptions {
  /** Form fields: sent as application/x-www-form-urlencoded and signed. */
  form?: Record<string, string>;
  /** Sent as JSON (not signed, as in Magento). */
  json?: unknown;
  /** Sign these form fields but send `sendForm` instead (tampering). */
  sendForm?: string;
}

/** The Authorization header a partner sends for `method url` (the URL exactly as it will be sent). */
export function authorizationFor(
  credentials: Credentials,
  method: string,
  url: string,
  form?: Record<string, string>,
): string {
  const client = signer(credentials);
  const data = client.authorize(
    { url, method, data: form ? { ...form } : undefined },
    { key: credentials.accessToken, secret: credentials.accessTokenSecret },
  );
  return client.toHeader(data).Authorization;
}

/** A freshly signed call (new nonce) to the gateway. */
export async function signedCall(
  baseUrl: string,
  credentials: Credentials,
  method: string,
  path: string,
  options: SignedCallOptions = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const url = new URL(`${baseUrl}${path}`).href;
  const headers: Record<string, string> = {
    authorization: authorizationFor(credentials, method, url, options.form),
    accept: 'application/json',
  };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = options.sendForm ?? new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  return send(url, method, headers, body);
}

export async function anonymousCall(
  baseUrl: string,
  method: string,
  path: string,
): Promise<{ status: number; body: Json; headers: Headers }> {
  return send(new URL(`${baseUrl}${path}`).href, method, { accept: 'application/json' });
}

async function send(url: string, method: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: response.status, body: parsed as Json, headers: response.headers };
}

/** Polls until `check` holds; returns how long it took (ms). */
export async function within(check: () => Promise<boolean>, timeoutMs = 10_000, intervalMs = 25): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

/** Magento's 401/403 body. */
export const notAuthorized = (resources: string) => ({
  message: "The consumer isn't authorized to access %resources.",
  parameters: { resources },
});

export const CREDENTIAL = /^[0-9a-z]{32}$/;
