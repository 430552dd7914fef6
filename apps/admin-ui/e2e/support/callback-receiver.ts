import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A partner reduced to what the UI's exchange mechanics need: `/callback` accepts the credentials
 * POST (so the activation reaches the exchange step) and remembers its form fields; `/login` (the
 * identity link) sends the browser straight back to `success_call_back` without exchanging tokens.
 * The full partner (examples/third-party-app) is used where the exchange must complete.
 */
export interface CallbackReceiver {
  url: string;
  received: Array<Record<string, string>>;
  /** Query strings the identity link was opened with. */
  logins: URLSearchParams[];
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: Array<Record<string, string>> = [];
  const logins: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://partner.invalid');
      if (req.method === 'GET' && url.pathname === '/login') {
        logins.push(url.searchParams);
        const back = url.searchParams.get('success_call_back');
        res.writeHead(back ? 302 : 400, back ? { location: back } : { 'content-type': 'text/plain' }).end();
        return;
      }
      if (req.method === 'POST') received.push(Object.fromEntries(new URLSearchParams(body)));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    logins,
    close: () =>
      new Promise((resolve) => {
        // The browser keeps its connection alive; close() alone would wait for it to time out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (the "partner is down" case). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
