import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@integrations/testing';
import { LoadBalancer } from './load-balancer';
import { PortAllocator, parsePortRange } from './ports';

/**
 * The mechanics of a rolling restart without the platform around them: real NGINX in front of two
 * processes that drain on SIGTERM as every service does (service-kit), a steady stream of POSTs
 * through NGINX, and each process restarted in turn the way `RunningSystem.rollingRestart` does it.
 * Not one POST may fail, and each must have run exactly once.
 */
const REPO_ROOT = resolve(__dirname, '../..');
const host = '127.0.0.1';

interface Backend {
  name: string;
  port: number;
  log: string;
  child?: ChildProcess;
}

describe('load balancer and drain: a rolling restart under POSTs', () => {
  let dir: string;
  let lb: LoadBalancer | undefined;
  const backends: Backend[] = [];

  const start = (backend: Backend) => {
    backend.child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'fixtures/drain-fixture.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          FIXTURE_PORT: String(backend.port),
          FIXTURE_NAME: backend.name,
          FIXTURE_LOG: backend.log,
          SHUTDOWN_DRAIN_MS: '1500',
        },
        stdio: 'ignore',
      },
    );
  };
  const ready = (backend: Backend) =>
    waitFor(
      async () => (await fetch(`http://${host}:${backend.port}/health/ready`).catch(() => undefined))?.status === 200,
      { timeoutMs: 60_000, intervalMs: 100, message: `${backend.name} ready` },
    );
  const exited = (child: ChildProcess) =>
    new Promise<NodeJS.Signals | number | null>((done) =>
      child.exitCode !== null || child.signalCode !== null
        ? done(child.signalCode ?? child.exitCode)
        : child.once('exit', (code, signal) => done(signal ?? code)),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lb-int-'));
    const ports = new PortAllocator(host, parsePortRange(process.env.LOCAL_PORT_RANGE));
    for (const name of ['a', 'b']) {
      const backend = { name, port: await ports.next(), log: join(dir, `${name}.log`) };
      writeFileSync(backend.log, '');
      backends.push(backend);
      start(backend);
    }
    await Promise.all(backends.map(ready));
    lb = await LoadBalancer.start({
      host,
      dir: join(dir, 'nginx'),
      logDir: dir,
      controlPort: await ports.next(),
      upstreams: [{ name: 'orders', port: await ports.next(), servers: backends.map((b) => b.port) }],
    });
  }, 120_000);

  afterAll(async () => {
    await lb?.stop();
    for (const backend of backends) backend.child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no request and runs none twice while each replica is drained and restarted', async () => {
    const url = `${lb!.urlOf('orders')}/orders`;
    const sent: string[] = [];
    const failures: string[] = [];
    const servedBy = new Map<string, number>();
    let running = true;
    // Four clients in a loop; fetch keeps its connections alive where the server lets it.
    const client = async (worker: number) => {
      for (let i = 0; running; i++) {
        const id = `${worker}-${i}`;
        sent.push(id);
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id }),
          });
          const body = (await response.json()) as { id?: string; servedBy?: string };
          if (response.status !== 201 || body.id !== id)
            failures.push(`${id}: ${response.status} ${JSON.stringify(body)}`);
          else servedBy.set(body.servedBy!, (servedBy.get(body.servedBy!) ?? 0) + 1);
        } catch (error) {
          failures.push(`${id}: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`);
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    const timings: string[] = [];
    try {
      for (const backend of backends) {
        await waitFor(() => sent.length > 50 + timings.length * 200, { timeoutMs: 30_000 });
        const t0 = Date.now();
        await lb!.setDown('orders', backend.port, true);
        const outAt = Date.now();
        const gone = exited(backend.child!);
        backend.child!.kill('SIGTERM');
        const exit = await gone;
        const stoppedAt = Date.now();
        start(backend);
        await ready(backend);
        await lb!.setDown('orders', backend.port, false);
        timings.push(
          `${backend.name}: out of rotation ${outAt - t0} ms, drained and exited (${exit}) ${stoppedAt - outAt} ms, back after ${Date.now() - t0} ms`,
        );
      }
      await waitFor(() => sent.length > 50 + timings.length * 200, { timeoutMs: 30_000 });
    } finally {
      running = false;
      await Promise.all(clients);
    }
    process.stdout.write(
      `[lb int-spec] ${sent.length} POSTs, ${failures.length} failed; served by ${JSON.stringify(Object.fromEntries(servedBy))}\n  ${timings.join('\n  ')}\n`,
    );

    expect(failures).toEqual([]);
    // Exactly once: every id in the two replicas' logs, none twice.
    const ran = backends.flatMap((b) => readFileSync(b.log, 'utf8').split('\n').filter(Boolean));
    expect(ran.length).toBe(sent.length);
    expect(new Set(ran)).toEqual(new Set(sent));
    // Both replicas served traffic (the balancing is real), and SIGTERM ended each after its drain.
    expect([...servedBy.keys()].sort()).toEqual(['a', 'b']);
    expect(timings.every((line) => line.includes('(SIGTERM)'))).toBe(true);
  }, 180_000);

  it('answers a JSON 502 when no replica is reachable', async () => {
    for (const backend of backends) backend.child!.kill('SIGKILL');
    await Promise.all(backends.map((b) => exited(b.child!)));
    const response = await fetch(`${lb!.urlOf('orders')}/orders`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      error: {
        code: 'LOAD_BALANCER.UPSTREAM_UNAVAILABLE',
        message: 'No replica of this service answered; retry shortly.',
      },
    });
  });
});
