import { type IntegrationCredentials, waitFor } from '@integrations/testing';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { StartGatewayOptions } from '../../../apps/gateway/src/start';
import { ADMIN, startTestGateway, type TestGateway } from '../../../apps/gateway/test/support/gateway-harness';
import type { AdminApi } from '../../../apps/gateway/test/support/http-client';
import { type RunningCommerceApi, startCommerceApi } from '../../../examples/commerce-api/src/start';
import { type RunningThirdPartyApp, startThirdPartyApp } from '../../../examples/third-party-app/src/start';
import type { PartnerLog } from '../../../examples/third-party-app/src/third-party-app';
import { bootPlatform, type Platform } from './platform';
import { type Json, signedRequest } from './signed-calls';

export { ADMIN };
export { anonymousCall, type Json, signedRequest } from './signed-calls';

/** A request that reached the commerce API. */
export interface UpstreamRequest {
  method: string;
  url: string;
  integrationId: string | null;
}

export interface GatewayStackOptions {
  /** The gateway's options (decision secret, rate limits, …) on top of the test gateway's. */
  gateway?: StartGatewayOptions;
  /** Start the example partner app in this process too (the OAuth exchange tests read what it holds). */
  partner?: boolean;
  /** Where the partner app logs (default: nowhere). */
  partnerLog?: PartnerLog;
  /** Extra variables for the platform's processes. */
  env?: NodeJS.ProcessEnv;
  /**
   * Every service logs at debug level, the gateway in this process too, into `logLines`: a secret
   * scan proves nothing secret is logged at any level.
   */
  scanLogs?: boolean;
}

/** One log line of the run, labelled with the process (or the in-process gateway) that wrote it. */
export interface LogLine {
  label: string;
  text: string;
}

/**
 * The gateway under test in this process, in front of the platform booted by `bootPlatform`
 * (config, acl, registry and oauth as processes, one each, on databases and topics of their own),
 * with the two outside parties in this process as well, so that a test sees what they got: the
 * example commerce API (`upstreamSaw`: every request the gateway let through) and, when asked, the
 * example partner app (`partner.state`: the credentials the store POSTed to it). In process, the
 * gateway takes options no environment variable sets (a decision secret of the test's own, rate
 * limits) and its database is at hand.
 */
export interface GatewayStack {
  platform: Platform;
  gateway: TestGateway;
  /** The gateway's URL (what a partner calls). */
  base: string;
  api: AdminApi;
  /** The test admin's session token. */
  token: string;
  /** The platform's services by name (config, acl, registry, oauth). */
  urls: Record<string, string>;
  commerce: RunningCommerceApi;
  upstreamSaw: UpstreamRequest[];
  partner?: RunningThirdPartyApp;
  mongoUrl: string;
  kafkaBrokers: string[];
  /** `<tag>_<run>_`: the prefix of this run's databases and topics. */
  prefix: string;
  /** Every database of the run (the platform's and the gateway's). */
  databases: string[];
  /** Every log line of every process so far, and with `scanLogs` of the gateway and the partner app. */
  logLines(): LogLine[];
  /**
   * Changes settings through the gateway (with the admin's password: some are security settings)
   * and waits until every oauth and acl process applied them (their "Config applied" log line).
   * Answers how long that took after the reply (ms).
   */
  changeSettings(values: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

const SETTINGS_READERS = ['oauth', 'acl'];

/** A config view's line (libs/config-client) saying it applied a change of `path`. */
const appliedSetting = (entry: Record<string, unknown>, path: string) =>
  entry.msg === 'Config applied' && (entry.changed as string[] | undefined)?.includes(path) === true;

export async function startGatewayStack(tag: string, options: GatewayStackOptions = {}): Promise<GatewayStack> {
  const upstreamSaw: UpstreamRequest[] = [];
  const commerce = await startCommerceApi({ port: 0, onRequest: (request) => upstreamSaw.push(request) });
  let platform: Platform | undefined;
  let gateway: TestGateway | undefined;
  let partner: RunningThirdPartyApp | undefined;
  let passed = false;
  /** With `scanLogs`: the lines of the gateway and the partner app (in this process). */
  const inProcessLines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      inProcessLines.push(String(chunk));
      done();
    },
  });
  // Plain pino without redaction: the scan must prove nothing secret is logged, not that redaction caught it.
  const scanLogger = (service: string) => pino({ level: 'debug', base: { service } }, sink);
  const partnerScanLog = scanLogger('third-party-app');
  const partnerLog: PartnerLog =
    options.partnerLog ??
    (options.scanLogs ? (level, message, fields) => partnerScanLog[level](fields ?? {}, message) : () => undefined);
  const close = async () => {
    await partner?.close().catch(() => undefined);
    await gateway?.close().catch(() => undefined);
    await platform?.shutDown(passed && platform.unexpectedExits.length === 0);
    await commerce.close().catch(() => undefined);
  };
  try {
    platform = await bootPlatform({
      tag,
      replicas: 1,
      services: ['config', 'acl', 'registry', 'oauth'],
      // The acl's route map names the commerce upstream; info: the "Config applied" lines.
      env: {
        UPSTREAM_COMMERCE_URL: commerce.url,
        LOG_LEVEL: options.scanLogs ? 'debug' : 'info',
        ...options.env,
      },
      captureOutput: true,
    });
    const urls = platform.system.urls;
    gateway = await startTestGateway(platform.infra.mongoUrl, {
      database: `${platform.prefix}gateway`,
      registryUrl: urls.registry,
      oauthUrl: urls.oauth,
      aclUrl: urls.acl,
      configUrl: urls.config,
      upstreamUrls: {},
      ...(options.scanLogs ? { logger: scanLogger('gateway') } : {}),
      ...options.gateway,
    });
    const base = gateway.gateway.url;
    if (options.partner) partner = await startThirdPartyApp({ port: 0, storeBaseUrl: base, log: partnerLog });
    const token = await gateway.api.login(ADMIN.username, ADMIN.password);
    // The launcher opened the allow-list to loopback (the partners of these tests listen there).
    await platform.waitForLog('oauth', (entry) => appliedSetting(entry, 'oauth/consumer/outbound_allowlist'), {
      message: 'oauth applying the loopback allow-list',
    });
    const running = platform;
    const api = gateway.api;
    return {
      platform,
      gateway,
      base,
      api,
      token,
      urls,
      commerce,
      upstreamSaw,
      ...(partner ? { partner } : {}),
      mongoUrl: platform.infra.mongoUrl,
      kafkaBrokers: platform.infra.kafkaBrokers,
      prefix: platform.prefix,
      databases: [...Object.values(platform.system.databases), `${platform.prefix}gateway`],
      logLines: () => [
        ...running.output.map(({ instance, line }, i) => ({ label: `${instance} log line ${i}`, text: line })),
        ...inProcessLines.map((text, i) => ({ label: `in-process log line ${i}`, text })),
      ],
      changeSettings: async (values) => {
        const from = running.output.length;
        const reply = await api.request('PUT', '/admin/v1/config', {
          token,
          body: { values, currentPassword: ADMIN.password },
        });
        if (reply.status !== 200)
          throw new Error(`changing ${Object.keys(values).join(', ')}: ${reply.status} ${JSON.stringify(reply.body)}`);
        const replied = Date.now();
        for (const service of SETTINGS_READERS)
          for (const path of Object.keys(values))
            await running.waitForLog(service, (entry) => appliedSetting(entry, path), {
              from,
              message: `${service} applying ${path}`,
            });
        return Date.now() - replied;
      },
      close: async () => {
        passed = true;
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** An integration created through the admin API: Custom Magento_Catalog::products unless `fields` say otherwise. */
export async function createIntegration(
  stack: GatewayStack,
  label: string,
  fields: Record<string, unknown> = {},
): Promise<Json> {
  const reply = await stack.api.request('POST', '/admin/v1/integrations', {
    token: stack.token,
    body: {
      name: uniqueLabel(label),
      resourceAccess: 'custom',
      resources: ['Magento_Catalog::products'],
      currentPassword: ADMIN.password,
      ...fields,
    },
  });
  if (reply.status !== 201)
    throw new Error(`creating an integration answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** An integration activated without token exchange (no callback URL): its credentials work from the reply on. */
export async function activeIntegration(
  stack: GatewayStack,
  label: string,
  resources: string[] | 'all',
): Promise<{ id: string; name: string; credentials: IntegrationCredentials }> {
  const created = await createIntegration(stack, label, {
    resourceAccess: resources === 'all' ? 'all' : 'custom',
    resources: resources === 'all' ? [] : resources,
  });
  const activated = await stack.api.request('POST', `/admin/v1/integrations/${created.id}/activate`, {
    token: stack.token,
    body: { currentPassword: ADMIN.password },
  });
  if (activated.status !== 200)
    throw new Error(`activating an integration answered ${activated.status}: ${JSON.stringify(activated.body)}`);
  return { id: created.id, name: created.name, credentials: activated.body.credentials as IntegrationCredentials };
}

/** Polls until a signed GET of the products goes through with `credentials`; returns how long it took. */
export async function signedCallsPass(stack: GatewayStack, credentials: IntegrationCredentials): Promise<number> {
  const t0 = Date.now();
  await waitFor(async () => (await signedRequest(stack.base, credentials, 'GET', '/rest/V1/products')).status === 200, {
    message: 'a signed call with the credentials to be accepted',
  });
  return Date.now() - t0;
}

/** `label` with a random suffix: names are unique per database, and databases are shared by a file's tests. */
export const uniqueLabel = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;

/** Magento's 401/403 body. */
export const notAuthorized = (resources: string) => ({
  message: "The consumer isn't authorized to access %resources.",
  parameters: { resources },
});

/** A consumer key, secret, token or verifier as the oauth service makes them. */
export const CREDENTIAL = /^[0-9a-z]{32}$/;
