import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the registry made to the acl. */
export interface AclCall {
  /** Order of arrival among all calls and `mark()`s of this stand-in. */
  seq: number;
  method: string;
  path: string;
  body: unknown;
  correlationId: string | undefined;
}

/**
 * A node:http server standing in for the acl's access endpoints (the real acl is tested end to end
 * in tests/system): it records every call and answers 204, or what `respond` says. `respond` runs
 * before the answer, so a test can look at the event store while the registry waits for the acl.
 */
export interface AclStandIn {
  url: string;
  readonly calls: AclCall[];
  /** Status to answer (default 204); may inspect or change the world first. */
  respond: (call: AclCall) => Promise<number> | number;
  /** A sequence number in the same order as the calls (e.g. when the registry's reply arrived). */
  mark(): number;
  close(): Promise<void>;
}

export async function startAclStandIn(): Promise<AclStandIn> {
  let seq = 0;
  const standIn: AclStandIn = {
    url: '',
    calls: [],
    respond: () => 204,
    mark: () => ++seq,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const call: AclCall = {
      seq: ++seq,
      method: req.method ?? '',
      path: req.url ?? '',
      body: text ? JSON.parse(text) : undefined,
      correlationId: req.headers['x-correlation-id'] as string | undefined,
    };
    standIn.calls.push(call);
    let status = 500;
    try {
      status = await standIn.respond(call);
    } finally {
      res.writeHead(status).end();
    }
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = standIn.close;
  standIn.close = () => {
    server.closeAllConnections();
    return close();
  };
  return standIn;
}

/** A URL on which nothing listens: the acl is down. */
export async function unreachableUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
