import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCommerceApi } from './commerce-api';
import { answerHealthProbe } from './health';

export interface RunningCommerceApi {
  url: string;
  close(): Promise<void>;
}

export interface CommerceApiOptions {
  port?: number;
  host?: string;
  /** Sees every request that reaches the API (tests prove a denied call never got here). */
  onRequest?: (request: { method: string; url: string; integrationId: string | null }) => void;
}

/** Starts the stand-in commerce API; port 0 picks a free port (tests). */
export async function startCommerceApi(options: CommerceApiOptions = {}): Promise<RunningCommerceApi> {
  const host = options.host ?? '127.0.0.1';
  const handle = createCommerceApi();
  const server = createServer((req, res) => {
    // Probes are not API calls: they never reach onRequest (tests count what the gateway let through).
    if (answerHealthProbe(req, res)) return;
    const integrationId = req.headers['x-integration-id'];
    options.onRequest?.({
      method: req.method ?? '',
      url: req.url ?? '',
      integrationId: typeof integrationId === 'string' ? integrationId : null,
    });
    void handle(req, res);
  });
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
