import { createLogger } from '@integrations/service-kit';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { UpstreamProxy } from './upstream-proxy';

/** The proxy between two real node:http servers: a front that forwards everything, an upstream. */
let upstream: Server;
let front: Server;
let frontUrl: string;
let agent: Agent;
let onUpstream: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
let upstreamUrl = '';

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

beforeAll(async () => {
  agent = new Agent();
  const proxy = new UpstreamProxy(agent, createLogger('proxy-test', 'silent'), 300);
  upstream = createServer((req, res) => onUpstream(req, res));
  upstreamUrl = await listen(upstream);
  front = createServer((req, res) => {
    const target = req.headers['x-test-upstream'] === 'down' ? 'http://127.0.0.1:9' : upstreamUrl;
    void proxy.forward(req, res, target, req.url ?? '/', undefined, {
      integrationId: 'int-1',
      correlationId: 'c-1',
      clientAddress: req.socket.remoteAddress,
      host: 'shop.example.com',
      scheme: 'https',
      bodyLength: undefined,
      decoded: false,
    });
  });
  frontUrl = await listen(front);
});

afterAll(async () => {
  await agent.close();
  front.closeAllConnections();
  upstream.closeAllConnections();
  await new Promise((resolve) => front.close(resolve));
  await new Promise((resolve) => upstream.close(resolve));
});

function fetchThrough(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    get(`${frontUrl}${path}`, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('UpstreamProxy', () => {
  it('streams the status, headers (minus hop-by-hop) and a large body back, as the upstream sent them', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 0x62);
    onUpstream = (req, res) => {
      res.writeHead(201, {
        'content-type': 'text/plain',
        'x-seen-integration-id': String(req.headers['x-integration-id']),
        'keep-alive': 'timeout=5',
      });
      res.end(big);
    };
    const reply = await fetchThrough('/rest/V1/products?x=1');
    expect(reply.status).toBe(201);
    expect(reply.headers['x-seen-integration-id']).toBe('int-1');
    expect(reply.headers['keep-alive']).toBeUndefined();
    expect(reply.body.equals(big)).toBe(true);
  });

  it('answers 502 when the upstream cannot be reached, 504 when it says nothing in time', async () => {
    const down = await fetchThrough('/rest/V1/products', { 'x-test-upstream': 'down' });
    expect(down.status).toBe(502);
    expect(JSON.parse(down.body.toString())).toEqual({ message: 'The API is unavailable right now. Try again later.' });

    onUpstream = () => undefined; // never answers
    const silent = await fetchThrough('/rest/V1/products');
    expect(silent.status).toBe(504);
  });

  it('stops the upstream call when the client goes away', async () => {
    let received: () => void = () => undefined;
    const upstreamHasIt = new Promise<void>((resolve) => (received = resolve));
    const upstreamClosed = new Promise<void>((resolve) => {
      onUpstream = (req) => {
        req.socket.once('close', () => resolve());
        received();
      };
    });
    const client = get(`${frontUrl}/rest/V1/slow`, { agent: false });
    client.on('error', () => undefined);
    await upstreamHasIt;
    client.destroy();
    await upstreamClosed;
  });
});
