import { randomBytes } from 'node:crypto';
import {
  activeIntegration,
  authorizationFor,
  type Credentials,
  startPlatformStack,
  type PlatformStack,
} from '../../apps/gateway/test/fixtures/platform-stack';
import { startTestGateway } from '../../apps/gateway/test/support/gateway-harness';
import { sendRaw } from './support/gateway-attack';

/**
 * Issue 12 item 13: `GET /auth/decision` trusts X-Original-* and X-Forwarded-* and used to answer
 * anyone who could reach the gateway's port. It now answers only a caller holding
 * GATEWAY_AUTH_DECISION_SECRET in X-Auth-Decision-Secret (the NGINX of docs/nginx/nginx.conf);
 * anyone else gets 404, and nothing is checked: the signed call's nonce stays unused.
 */
jest.setTimeout(120_000);

const secret = randomBytes(32).toString('hex');
let stack: PlatformStack;
let gatewayUrl: string;
let integration: { id: string; credentials: Credentials };

beforeAll(async () => {
  stack = await startPlatformStack('sec_decision', { gateway: { authDecisionSecret: secret } });
  gatewayUrl = stack.gateway.gateway.url;
  integration = await activeIntegration(stack, 'Decision', ['Magento_Catalog::products']);
});

afterAll(async () => {
  await stack?.close();
});

/** A decision request for a call signed for the gateway's own URL, as NGINX would describe it. */
function decisionHeaders(authorization: string, path = '/rest/V1/products'): Array<[string, string]> {
  const { host } = new URL(gatewayUrl);
  return [
    ['X-Original-Method', 'GET'],
    ['X-Original-URI', path],
    ['X-Forwarded-Proto', 'http'],
    ['X-Forwarded-Host', host],
    ['Authorization', authorization],
  ];
}

/** The decision endpoint refused, and the signed call it described was not checked (its nonce is unused). */
async function refusedWithoutEffect(extra: Array<[string, string]>, base = gatewayUrl): Promise<void> {
  const path = '/rest/V1/products';
  const authorization = authorizationFor(integration.credentials, 'GET', `${gatewayUrl}${path}`);
  const reply = await sendRaw(base, { path: '/auth/decision', headers: [...decisionHeaders(authorization), ...extra] });
  expect(reply.status).toBe(404);
  expect(reply.headers['x-integration-id']).toBeUndefined();
  expect(reply.headers['x-upstream-path']).toBeUndefined();
  // Nothing was verified: the very same signed call still goes through once.
  stack.upstreamSaw.length = 0;
  const replay = await sendRaw(gatewayUrl, { path, headers: [['Authorization', authorization]] });
  expect(replay.status).toBe(200);
  expect(stack.upstreamSaw).toHaveLength(1);
}

describe('/auth/decision only for the proxy holding the secret (issue 12 item 13)', () => {
  it('a decision asked without the secret header: 404, nothing checked', async () => {
    await refusedWithoutEffect([]);
  });

  it('a decision asked with a wrong secret: 404, nothing checked', async () => {
    await refusedWithoutEffect([['X-Auth-Decision-Secret', randomBytes(32).toString('hex')]]);
  });

  it('a decision asked with the secret in another header name (x_auth_decision_secret): 404', async () => {
    await refusedWithoutEffect([['x_auth_decision_secret', secret]]);
  });

  it('a decision asked of a gateway without GATEWAY_AUTH_DECISION_SECRET: 404, the endpoint is off', async () => {
    const bare = await startTestGateway(stack.mongoUrl, {
      registryUrl: stack.registry.url,
      oauthUrl: stack.oauth.url,
      aclUrl: stack.acl.url,
      configUrl: stack.config.url,
    });
    try {
      await refusedWithoutEffect([['X-Auth-Decision-Secret', secret]], bare.gateway.url);
    } finally {
      await bare.close();
    }
  });

  it('the proxy holding the secret gets its decision', async () => {
    const authorization = authorizationFor(integration.credentials, 'GET', `${gatewayUrl}/rest/V1/products`);
    const reply = await sendRaw(gatewayUrl, {
      path: '/auth/decision',
      headers: [...decisionHeaders(authorization), ['X-Auth-Decision-Secret', secret]],
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-integration-id']).toBe(integration.id);
  });
});
