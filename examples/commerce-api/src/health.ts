import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `GET /health/live` and `GET /health/ready`, as the platform services answer them (the launcher and
 * Kubernetes probes read them). This stand-in keeps its data in memory: it is ready once it listens.
 * Returns false for any other request.
 */
export function answerHealthProbe(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/health/live' && path !== '/health/ready') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const body = JSON.stringify(path === '/health/live' ? { status: 'up' } : { status: 'up', checks: {} });
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
