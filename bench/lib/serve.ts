import { writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@integrations/service-kit';

/**
 * Child-process entry of the benchmarks (see child-service.ts): starts one service, reports
 * `{type: 'ready', url}` over IPC, and closes it gracefully on `{type: 'stop'}`. Each service is
 * loaded lazily so that a benchmark only needs the services it starts.
 *
 *   node -r @swc-node/register bench/lib/serve.ts <kind>   (options as JSON in BENCH_SERVE_OPTIONS)
 */
export type ServiceKind = 'bare' | 'bare-proxy' | 'registry' | 'gateway' | 'oauth' | 'acl' | 'config' | 'commerce-api';

interface Running {
  url: string;
  close(): Promise<void>;
}

type Options = Record<string, unknown>;

const logger = (name: string) => createLogger(name, process.env.BENCH_LOG_LEVEL ?? 'warn');

async function start(kind: ServiceKind, options: Options): Promise<Running> {
  switch (kind) {
    case 'bare':
      return startBare(options);
    case 'bare-proxy':
      return startBareProxy(options);
    case 'registry': {
      const { startRegistry } = await import('../../apps/registry/src/start');
      return startRegistry(options, { logger: logger('registry') });
    }
    case 'gateway': {
      const { startGateway } = await import('../../apps/gateway/src/start');
      return startGateway({ ...options, logger: logger('gateway') });
    }
    case 'oauth': {
      const { startOauth } = await import('../../apps/oauth/src/start');
      const { pinnedSettings, ...overrides } = options;
      return startOauth(overrides, { logger: logger('oauth'), pinnedSettings: pinnedSettings as never });
    }
    case 'acl': {
      const { startAcl } = await import('../../apps/acl/src/start');
      return startAcl({ ...options, logger: logger('acl') });
    }
    case 'config': {
      const { startConfigService } = await import('../../apps/config/src/start');
      return startConfigService(options, { logger: logger('config') });
    }
    case 'commerce-api': {
      const { startCommerceApi } = await import('../../examples/commerce-api/src/start');
      return startCommerceApi(options);
    }
    default: {
      const _exhaustive: never = kind;
      throw new Error(`unknown service kind ${String(_exhaustive)}`);
    }
  }
}

/**
 * The floor every HTTP figure is compared with: node:http answering a fixed body of the size the
 * real endpoint returns, with the same keep-alive settings as the services.
 */
async function startBare(options: Options): Promise<Running> {
  const body = Buffer.from(typeof options.body === 'string' ? options.body : '{"ok":true}');
  const contentType = typeof options.contentType === 'string' ? options.contentType : 'application/json';
  const server = createServer((request, response) => {
    // Drain the request body (token exchange posts one) before answering, as a real handler does.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The limit a gateway is compared with (issue 11 item 6): the dozen lines of a bare node:http
 * reverse proxy to the same upstream, keep-alive to it, no checks, headers passed as they are.
 */
async function startBareProxy(options: Options): Promise<Running> {
  const upstream = new URL(String(options.upstream));
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/**
 * V8's CPU profiler (what `node --cpu-prof` runs), started and stopped over IPC so that a profile
 * covers the measured load only, not the boot. Written as a .cpuprofile (Chrome DevTools format).
 */
let profiler: Session | undefined;

async function onProfileMessage(message: { type?: string; file?: string; intervalUs?: number }): Promise<void> {
  if (message.type === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: message.intervalUs ?? 250 });
    await profiler.post('Profiler.start');
    process.send?.({ type: 'profile-started' });
  } else if (message.type === 'profile-stop' && profiler && message.file) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(message.file, JSON.stringify(profile));
    profiler.disconnect();
    profiler = undefined;
    process.send?.({ type: 'profile-stopped', file: message.file });
  }
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServiceKind;
  const options = JSON.parse(process.env.BENCH_SERVE_OPTIONS ?? '{}') as Options;
  let running: Running;
  try {
    running = await start(kind, options);
  } catch (error) {
    process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    process.disconnect?.();
    return;
  }
  // The parent gave up (or died) while we were starting: do not linger.
  if (!process.connected) {
    await running.close().catch(() => undefined);
    process.exit(0);
  }
  process.on('message', (message: { type?: string }) => {
    if (message?.type?.startsWith('profile-')) {
      onProfileMessage(message).catch((error: unknown) =>
        process.send?.({ type: 'profile-failed', message: String(error) }),
      );
      return;
    }
    if (message?.type !== 'stop') return;
    running
      .close()
      .catch((error: unknown) => process.stderr.write(`close failed: ${String(error)}\n`))
      .finally(() => process.exit(0));
  });
  // The parent died without stopping us: do not linger.
  process.on('disconnect', () => {
    void running.close().finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready', url: running.url });
}

void main();
