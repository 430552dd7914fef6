import { IssueCredentialsRequestSchema, type IssueCredentialsRequest } from '@integrations/contracts';
import { getTestInfra, uniqueName } from '@integrations/testing';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRegistry, type RunningRegistry } from '../../../registry/src/start';
import { ADMIN, startTestGateway, testLogger, type TestGateway } from '../../test/support/gateway-harness';

/**
 * What the gateway asks the oauth service when an admin activates (ADR 0006 §2): the contract's
 * `POST /integrations/{id}/credentials` with the integration as the gateway read it from the real
 * registry (`integration: {status, version}`). The oauth side is a stand-in that validates with the
 * contract and records the request.
 */
let registry: RunningRegistry;
let gateway: TestGateway;
let oauth: Server;
let token: string;
const received: IssueCredentialsRequest[] = [];
/** An oauth service that predates `integration` refuses it, as its strict schema did. */
let refuseIntegrationField = false;

const credential = () => randomBytes(16).toString('hex');

beforeAll(async () => {
  const { mongoUrl, kafkaBrokers } = await getTestInfra();
  const tag = uniqueName('gw_issue');
  oauth = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (refuseIntegrationField && 'integration' in body) {
        const message = 'Unknown field(s): integration. Remove them and try again.';
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'REQUEST.INVALID', message, details: [{ message }] } }));
        return;
      }
      received.push(IssueCredentialsRequestSchema.parse(body));
      const reply = {
        mode: 'tokens',
        consumerKey: credential(),
        consumerSecret: credential(),
        accessToken: credential(),
        accessTokenSecret: credential(),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => oauth.listen(0, '127.0.0.1', resolve));
  registry = await startRegistry(
    {
      REGISTRY_PORT: 0,
      MONGO_URL: mongoUrl,
      KAFKA_BROKERS: kafkaBrokers,
      REGISTRY_DB: `${tag}_reg`,
      REGISTRY_TOPIC_PREFIX: `${tag}.`,
    },
    { logger: testLogger('registry') },
  );
  gateway = await startTestGateway(mongoUrl, {
    database: `${tag}_gw`,
    registryUrl: registry.url,
    oauthUrl: `http://127.0.0.1:${(oauth.address() as AddressInfo).port}`,
  });
  token = await gateway.api.login(ADMIN.username, ADMIN.password);
});

afterAll(async () => {
  await gateway?.close();
  await registry?.close();
  await new Promise((resolve) => oauth?.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  refuseIntegrationField = false;
});

const admin = (method: string, path: string, body?: unknown) => gateway.api.request(method, path, { token, body });

async function createIntegration(): Promise<{ id: string; version: number }> {
  const created = await admin('POST', '/admin/v1/integrations', {
    name: `Issue ${uniqueName('i')}`,
    resourceAccess: 'all',
    currentPassword: ADMIN.password,
  });
  expect(created.status).toBe(201);
  return created.body;
}

describe('credentials issuance carries the integration as the gateway read it', () => {
  it('Activate sends {status: inactive, version} of the registry; Reauthorize then {status: active, version}', async () => {
    const integration = await createIntegration();
    const activated = await admin('POST', `/admin/v1/integrations/${integration.id}/activate`, {
      currentPassword: ADMIN.password,
    });
    expect(activated.status).toBe(200);
    expect(received).toEqual([
      { mode: 'tokens', reauthorize: false, integration: { status: 'inactive', version: integration.version } },
    ]);

    const reauthorized = await admin('POST', `/admin/v1/integrations/${integration.id}/reauthorize`, {
      currentPassword: ADMIN.password,
    });
    expect(reauthorized.status).toBe(200);
    const [, second] = received;
    expect(second).toMatchObject({ mode: 'tokens', reauthorize: true, integration: { status: 'active' } });
    expect(second.integration!.version).toBeGreaterThan(integration.version);
  });

  it('asks an oauth service that does not know the field yet without it', async () => {
    refuseIntegrationField = true;
    const integration = await createIntegration();
    const activated = await admin('POST', `/admin/v1/integrations/${integration.id}/activate`, {
      currentPassword: ADMIN.password,
    });
    expect(activated.status).toBe(200);
    expect(received).toEqual([{ mode: 'tokens', reauthorize: false }]);
  });
});
