import { gzipSync } from 'node:zlib';
import {
  activeIntegration,
  authorizationFor,
  type Credentials,
  startPlatformStack,
  type PlatformStack,
} from '../../apps/gateway/test/fixtures/platform-stack';
import { sendBytes, sendRaw } from './support/gateway-attack';

/**
 * Issue 12 item 9: bodies the gateway does not parse (XML, octet-stream…) used to stream upstream
 * without a size limit. Every `/rest` body is now read whole within BODY_LIMIT (64kb here, the
 * default) before any check: larger is 413, and the commerce API never sees the call. Each attack
 * is a call an integration may make (POST products), signed, so the size is the only reason to
 * refuse it.
 */
jest.setTimeout(120_000);

const LIMIT = 64 * 1024;
let stack: PlatformStack;
let gatewayUrl: string;
let integration: { id: string; credentials: Credentials };

beforeAll(async () => {
  stack = await startPlatformStack('sec_bodies');
  gatewayUrl = stack.gateway.gateway.url;
  integration = await activeIntegration(stack, 'Bodies', ['Magento_Catalog::products']);
});

afterAll(async () => {
  await stack?.close();
});

const PATH = '/rest/V1/products';
const sign = () => authorizationFor(integration.credentials, 'POST', `${gatewayUrl}${PATH}`);
const head = (headers: Record<string, string>) =>
  `POST ${PATH} HTTP/1.1\r\nHost: ${new URL(gatewayUrl).host}\r\nAuthorization: ${sign()}\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

describe('bodies over the limit through the gateway (issue 12 item 9)', () => {
  it('an XML body declared larger than the limit: 413 before it is read, never proxied', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await sendBytes(
      gatewayUrl,
      head({ 'Content-Type': 'application/xml', 'Content-Length': String(LIMIT + 1) }),
      '<product>',
    );
    expect(reply.status).toBe(413);
    expect(reply.text).toMatch(/"message":"The request body is larger than 64kb\."/);
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('a chunked octet-stream body that grows past the limit: 413, never proxied', async () => {
    stack.upstreamSaw.length = 0;
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const chunks = Array.from({ length: 5 }, () => [`${chunk.length.toString(16)}\r\n`, chunk, '\r\n']).flat();
    const reply = await sendBytes(
      gatewayUrl,
      head({ 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' }),
      ...chunks,
    );
    expect(reply.status).toBe(413);
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('a JSON body declared larger than the limit: 413, never proxied', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await sendBytes(
      gatewayUrl,
      head({ 'Content-Type': 'application/json', 'Content-Length': String(LIMIT + 1) }),
      '{"product":',
    );
    expect(reply.status).toBe(413);
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('a gzip bomb (a small JSON body that inflates past the limit): 413, never proxied', async () => {
    stack.upstreamSaw.length = 0;
    const bomb = gzipSync(Buffer.from(`{"product":{"name":"${'a'.repeat(10 * 1024 * 1024)}"}}`));
    expect(bomb.length).toBeLessThan(LIMIT);
    const reply = await sendRaw(gatewayUrl, {
      method: 'POST',
      path: PATH,
      headers: [
        ['Authorization', sign()],
        ['Content-Type', 'application/json'],
        ['Content-Encoding', 'gzip'],
      ],
      body: bomb,
    });
    expect(reply.status).toBe(413);
    expect(stack.upstreamSaw).toEqual([]);
  });

  it('an XML body within the limit still reaches the commerce API', async () => {
    stack.upstreamSaw.length = 0;
    const reply = await sendRaw(gatewayUrl, {
      method: 'POST',
      path: PATH,
      headers: [
        ['Authorization', sign()],
        ['Content-Type', 'application/xml'],
      ],
      body: `<product>${'x'.repeat(1000)}</product>`,
    });
    // The example commerce API answers XML with its own refusal: what matters is that it got the call.
    expect(reply.status).not.toBe(413);
    expect(stack.upstreamSaw).toEqual([{ method: 'POST', url: PATH, integrationId: integration.id }]);
  });
});
