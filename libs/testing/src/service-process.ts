import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const REPO_ROOT = resolve(__dirname, '../../..');

export interface ServiceProcessOptions {
  /** Entry point from the repository root, e.g. `apps/registry/src/main.ts`. */
  entry: string;
  /** The variable the service reads its port from (e.g. `REGISTRY_PORT`): set to a free port. */
  portVariable: string;
  /** The service's configuration, as in production: the environment. */
  env: Record<string, string>;
  /** Default `/health/ready`. */
  readyPath?: string;
  /** Default 60 s: the TypeScript is compiled on the fly. */
  readyTimeoutMs?: number;
}

export interface RunningServiceProcess {
  url: string;
  pid: number;
  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Another service for a test, as its own process started from its entry point with its
 * configuration in the environment (`node -r @swc-node/register <entry>`): the way it runs in
 * production, and the only way one app's tests may use another app (apps never import apps).
 * Resolves once it answers `readyPath` with 2xx; its output is kept and shown if it fails to start.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<RunningServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', options.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, [options.portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const outcome = await waitFor(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) return 'exited';
      const response = await fetch(`${url}${options.readyPath ?? '/health/ready'}`).catch(() => undefined);
      return response?.ok ? 'ready' : undefined;
    },
    {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      intervalMs: 200,
      message: () => `${options.entry} ready on ${url}; its last output:\n${output}`,
    },
  ).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  if (outcome === 'exited') {
    await exited;
    throw new Error(
      `${options.entry} exited (${child.exitCode ?? child.signalCode}) before it was ready; its last output:\n${output}`,
    );
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
