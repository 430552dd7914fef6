import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCommerceApi } from './commerce-api';

export interface RunningCommerceApi {
  url: string;
  close(): Promise<void>;
}

/** Starts the stand-in commerce API; port 0 picks a free port (tests). */
export async function startCommerceApi(options: { port?: number; host?: string } = {}): Promise<RunningCommerceApi> {
  const host = options.host ?? '127.0.0.1';
  const handle = createCommerceApi();
  const server = createServer((req, res) => void handle(req, res));
  // Longer than the proxies' idle timeouts, so they close idle connections first, never we.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3010, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
