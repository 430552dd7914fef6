import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  url: string;
  /** Ready once subscribed; not ready again from shutdown on. */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/**
 * `GET /health/live` and `GET /health/ready`, as the platform services answer them: the subscriber
 * serves nothing else, but Kubernetes probes and the image's HEALTHCHECK need something to ask.
 * Live = the process answers; ready = it has joined its consumer group. Port 0 picks a free port.
 */
export async function startHealthServer(port: number, host: string): Promise<HealthServer> {
  let ready = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/health/live' && path !== '/health/ready') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not found' }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const up = path === '/health/live' || ready;
    const body =
      path === '/health/live'
        ? { status: 'up' }
        : { status: up ? 'up' : 'down', checks: { kafka: up ? 'up' : 'down' } };
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    setReady: (value) => {
      ready = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
