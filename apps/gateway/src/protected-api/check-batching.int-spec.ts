import {
  type AclDecision,
  type ApiCallVerdict,
  DecideBatchRequestSchema,
  VerifyBatchRequestSchema,
} from '@integrations/contracts';
import { getTestInfra } from '@integrations/testing';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { startTestGateway, type TestGateway } from '../../test/support/gateway-harness';

/**
 * The gateway's batched checks (ADR 0006 §5) through its HTTP surface, against real node:http
 * servers implementing the batch contracts of oauth (`POST /oauth/verify/api-calls`) and acl
 * (`POST /decisions/batch`), and an upstream that records what reached it. The stand-ins accept
 * any `oauth_consumer_key="<key>"` as integration `int-<key>`, and allow every route.
 */
interface Received {
  at: number;
  items: number;
}

let gateway: TestGateway;
let oauth: Server;
let acl: Server;
let upstream: Server;
const verifyBatches: Received[] = [];
const decideBatches: Array<Received & { integrationIds: Array<string | null> }> = [];
const upstreamSaw: Array<{ url: string; integrationId: string | undefined }> = [];
/** oauth holds its answer until the acl has been asked (at most 5 s): only a parallel ask passes. */
let holdVerifyUntilDecided = false;
let verifyRepliedAt = 0;
let oauthStatus = 200;
let aclStatus = 200;

function listen(handler: (req: IncomingMessage, body: string) => Promise<{ status: number; body: unknown }>) {
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      void handler(req, text).then(({ status, body }) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      );
    });
  });
  return new Promise<{ server: Server; url: string }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const allow = (path: string): AclDecision => ({
  decision: 'allow',
  status: 200,
  reason: 'granted',
  routeId: 'GET /V1/products',
  upstream: 'commerce',
  upstreamUrl: null,
  upstreamPath: path,
  resources: ['Magento_Catalog::products'],
});

beforeAll(async () => {
  const oauthServer = await listen(async (req, text) => {
    if (req.url !== '/oauth/verify/api-calls') return { status: 404, body: {} };
    const { calls } = VerifyBatchRequestSchema.parse(JSON.parse(text));
    verifyBatches.push({ at: Date.now(), items: calls.length });
    if (holdVerifyUntilDecided) {
      const giveUpAt = Date.now() + 5_000;
      while (decideBatches.length === 0 && Date.now() < giveUpAt)
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    verifyRepliedAt = Date.now();
    const verdicts: ApiCallVerdict[] = calls.map((call) => {
      const key = /oauth_consumer_key="([^"]+)"/.exec(call.authorization ?? '')?.[1] ?? 'none';
      return { ok: true, integrationId: `int-${key}`, consumerKey: key, scheme: 'oauth' };
    });
    return { status: oauthStatus, body: { verdicts } };
  });
  const aclServer = await listen(async (req, text) => {
    if (req.url !== '/decisions/batch') return { status: 404, body: {} };
    const { requests } = DecideBatchRequestSchema.parse(JSON.parse(text));
    decideBatches.push({
      at: Date.now(),
      items: requests.length,
      integrationIds: requests.map((request) => request.integrationId),
    });
    return { status: aclStatus, body: { decisions: requests.map((request) => allow(request.path)) } };
  });
  const upstreamServer = await listen(async (req) => {
    upstreamSaw.push({ url: req.url ?? '', integrationId: req.headers['x-integration-id'] as string | undefined });
    return { status: 200, body: { ok: true } };
  });
  oauth = oauthServer.server;
  acl = aclServer.server;
  upstream = upstreamServer.server;
  gateway = await startTestGateway((await getTestInfra()).mongoUrl, {
    oauthUrl: oauthServer.url,
    aclUrl: aclServer.url,
    upstreamUrls: { commerce: upstreamServer.url },
  });
});

afterAll(async () => {
  await gateway?.close();
  for (const server of [oauth, acl, upstream]) await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  verifyBatches.length = 0;
  decideBatches.length = 0;
  upstreamSaw.length = 0;
  holdVerifyUntilDecided = false;
  oauthStatus = 200;
  aclStatus = 200;
});

/** `count` signed-looking calls at once, with the consumer keys `key(i)`. */
async function burst(count: number, key: (i: number) => string): Promise<number[]> {
  const base = gateway.gateway.url;
  const replies = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${base}/rest/V1/products?i=${i}`, {
        headers: { authorization: `OAuth oauth_consumer_key="${key(i)}", oauth_signature="s"` },
      }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      }),
    ),
  );
  return replies;
}

/** `count` requests written at once on one connection (HTTP/1.1 pipelining); their statuses in order. */
function pipelined(count: number, key: (i: number) => string): Promise<number[]> {
  const { hostname, port } = new URL(gateway.gateway.url);
  const requests = Array.from(
    { length: count },
    (_, i) =>
      `GET /rest/V1/products?i=${i} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
      `Authorization: OAuth oauth_consumer_key="${key(i)}", oauth_signature="s"\r\n` +
      (i === count - 1 ? 'Connection: close\r\n' : '') +
      '\r\n',
  ).join('');
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(requests));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve([...received.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((match) => Number(match[1]))));
  });
}

describe('batched checks through the gateway', () => {
  it('sends the calls that arrive in one turn as one verify and one decide request, each call with its own verdict', async () => {
    // Pipelined on one connection, in one write: node:http reads them all in the same turn.
    const statuses = await pipelined(24, (i) => `k${i}`);
    expect(statuses).toEqual(Array(24).fill(200));
    expect(verifyBatches.map((batch) => batch.items)).toEqual([24]);
    expect(decideBatches.map((batch) => batch.items)).toEqual([24]);
    // Each call went up with the integration its own credentials named.
    expect(upstreamSaw).toHaveLength(24);
    for (const seen of upstreamSaw) {
      const i = Number(new URL(seen.url, 'http://x').searchParams.get('i'));
      expect(seen.integrationId).toBe(`int-k${i}`);
    }
  });

  it('asks the acl without waiting for oauth once the consumer key is known', async () => {
    await burst(1, () => 'parallel'); // oauth names the integration of this key
    verifyBatches.length = 0;
    decideBatches.length = 0;
    holdVerifyUntilDecided = true;
    expect(await burst(1, () => 'parallel')).toEqual([200]);
    expect(decideBatches).toHaveLength(1);
    expect(decideBatches[0].integrationIds).toEqual(['int-parallel']);
    // The decision was asked while oauth was still holding its answer.
    expect(decideBatches[0].at).toBeLessThanOrEqual(verifyRepliedAt);
    expect(verifyRepliedAt - verifyBatches[0].at).toBeLessThan(5_000);
  });

  it('answers 503 to every call of a failed verify batch, and proxies none of them', async () => {
    oauthStatus = 500;
    const statuses = await burst(8, (i) => `fail${i}`);
    expect(statuses).toEqual(Array(8).fill(503));
    expect(upstreamSaw).toEqual([]);
  });

  it('answers 503 to every call of a failed decide batch, and proxies none of them', async () => {
    aclStatus = 502;
    const statuses = await burst(8, (i) => `acl${i}`);
    expect(statuses).toEqual(Array(8).fill(503));
    expect(upstreamSaw).toEqual([]);
  });
});
