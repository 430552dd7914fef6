import {
  activeIntegration,
  authorizationFor,
  type Credentials,
  startPlatformStack,
  within,
  type PlatformStack,
} from '../../apps/gateway/test/fixtures/platform-stack';
import {
  cgiNames,
  cgiValues,
  type RecordingUpstream,
  sendRaw,
  startRecordingUpstream,
  type UpstreamRequest,
} from './support/gateway-attack';
import { ADMIN } from './support/security-gateway';

/**
 * Issue 12 item 7: headers a client smuggles towards the commerce API. CGI, PHP, WSGI and Rack read
 * `X_Integration_Id` as `X-Integration-Id`; a method override turns an approved GET into a DELETE;
 * forwarding headers lie about the caller. Each attack goes through the real gateway (oauth, acl,
 * registry, config on Kafka + FerretDB) to an upstream that records every header as it arrived:
 * the call itself is allowed (the attack is the header), and the smuggled header never arrives.
 */
jest.setTimeout(120_000);

let stack: PlatformStack;
let upstream: RecordingUpstream;
let gatewayUrl: string;
let integration: { id: string; credentials: Credentials };

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  stack = await startPlatformStack('sec_headers', { gateway: { upstreamUrls: { commerce: upstream.url } } });
  gatewayUrl = stack.gateway.gateway.url;
  integration = await activeIntegration(stack, 'Smuggling', ['Magento_Catalog::products']);
  // Guest access on: the anonymous attacks below are allowed calls, as in the review.
  const guest = await stack.api.request('PUT', '/admin/v1/config', {
    token: stack.token,
    // A security setting: the admin's current password confirms it (step-up).
    body: { values: { 'webapi/webapisecurity/allow_insecure': true }, currentPassword: ADMIN.password },
  });
  expect(guest.status).toBe(200);
  await within(async () => (await sendRaw(gatewayUrl, { path: '/rest/V1/products' })).status === 200, 10_000);
});

afterAll(async () => {
  await stack?.close();
  await upstream?.close();
});

/** One call through the gateway; what the upstream received for it. */
async function through(
  headers: Array<[string, string]>,
  options: { signed?: boolean; method?: string; path?: string } = {},
): Promise<UpstreamRequest> {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/rest/V1/products';
  const all = [...headers];
  if (options.signed)
    all.push(['Authorization', authorizationFor(integration.credentials, method, `${gatewayUrl}${path}`)]);
  upstream.saw.length = 0;
  const reply = await sendRaw(gatewayUrl, { method, path, headers: all });
  expect(reply.status).toBe(200);
  expect(upstream.saw).toHaveLength(1);
  return upstream.saw[0];
}

describe('header smuggling through the gateway (issue 12 item 7)', () => {
  it('x_integration_id on an anonymous guest call: no integration id of any spelling reaches the upstream', async () => {
    const seen = await through([['x_integration_id', 'victim-integration']]);
    expect(cgiValues(seen, 'x-integration-id')).toEqual([]);
  });

  it('X_Integration_Id (mixed case) on an anonymous guest call: dropped', async () => {
    const seen = await through([['X_Integration_Id', 'victim-integration']]);
    expect(cgiValues(seen, 'x-integration-id')).toEqual([]);
  });

  it('X-Integration_Id (mixed separators) beside a signed call: only the verified id reaches the upstream', async () => {
    const seen = await through([['X-Integration_Id', 'victim-integration']], { signed: true });
    expect(cgiValues(seen, 'x-integration-id')).toEqual([integration.id]);
  });

  it('X-HTTP-Method-Override: DELETE on an approved GET: the upstream gets a GET and no override', async () => {
    const seen = await through([['X-HTTP-Method-Override', 'DELETE']], { signed: true });
    expect(seen.method).toBe('GET');
    expect(cgiNames(seen)).not.toContain('x-http-method-override');
  });

  it('x_http_method_override, X-HTTP-Method and X-Method-Override: dropped', async () => {
    const seen = await through(
      [
        ['x_http_method_override', 'DELETE'],
        ['X-HTTP-Method', 'DELETE'],
        ['X-Method-Override', 'PUT'],
      ],
      { signed: true },
    );
    expect(seen.method).toBe('GET');
    expect(cgiNames(seen)).toEqual(
      expect.not.arrayContaining(['x-http-method-override', 'x-http-method', 'x-method-override']),
    );
  });

  it("x_forwarded_for and X-Forwarded-For: the upstream sees only the gateway's view of the caller", async () => {
    const seen = await through([
      ['x_forwarded_for', '203.0.113.9'],
      ['X-Forwarded-For', '203.0.113.10'],
    ]);
    const forwardedFor = cgiValues(seen, 'x-forwarded-for');
    expect(forwardedFor).toHaveLength(1);
    expect(forwardedFor[0]).toMatch(/^(?:::ffff:)?127\.0\.0\.1$/);
  });

  it("Forwarded: for=…;host=… from the client: replaced by the gateway's own", async () => {
    const seen = await through([['Forwarded', 'for=203.0.113.9;host=evil.example;proto=https']]);
    const forwarded = cgiValues(seen, 'forwarded');
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).not.toContain('203.0.113.9');
    expect(forwarded[0]).not.toContain('evil.example');
    expect(forwarded[0]).toContain(`host="${new URL(gatewayUrl).host}"`);
  });

  it('X-Forwarded-Host / X_Forwarded_Proto from the client: the gateway sets its own', async () => {
    const seen = await through([
      ['X-Forwarded-Host', 'evil.example'],
      ['X_Forwarded_Proto', 'https'],
    ]);
    expect(cgiValues(seen, 'x-forwarded-host')).toEqual([new URL(gatewayUrl).host]);
    expect(cgiValues(seen, 'x-forwarded-proto')).toEqual(['http']);
  });

  it('X-Real-IP and True-Client-IP: dropped', async () => {
    const seen = await through([
      ['X-Real-IP', '203.0.113.9'],
      ['x_real_ip', '203.0.113.9'],
      ['True-Client-IP', '203.0.113.9'],
    ]);
    expect(cgiNames(seen)).toEqual(expect.not.arrayContaining(['x-real-ip', 'true-client-ip']));
  });

  it('X-Original-URL / X-Rewrite-URL (a path override after the decision): dropped', async () => {
    const seen = await through([
      ['X-Original-URL', '/rest/V1/orders'],
      ['X_Rewrite_URL', '/rest/V1/orders'],
    ]);
    expect(seen.url).toBe('/rest/V1/products');
    expect(cgiNames(seen)).toEqual(expect.not.arrayContaining(['x-original-url', 'x-rewrite-url']));
  });

  it('Proxy: (httpoxy, HTTP_PROXY for a CGI upstream): dropped', async () => {
    const seen = await through([['Proxy', 'http://203.0.113.9:3128']]);
    expect(cgiNames(seen)).not.toContain('proxy');
  });

  it("x_correlation_id: the upstream gets the gateway's correlation id only", async () => {
    const seen = await through([['x_correlation_id', 'forged id']]);
    const ids = cgiValues(seen, 'x-correlation-id');
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe('forged id');
  });
});
