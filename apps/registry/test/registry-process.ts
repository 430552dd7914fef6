import { waitFor } from '@integrations/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../..');

/** A registry replica in a process of its own, so that a test can SIGKILL it. */
export interface RegistryProcess {
  url: string;
  pid: number;
  /** stdout and stderr so far (JSON log lines), for a failure message. */
  output(): string;
  /** SIGKILL: no graceful shutdown, the relay lease is not given up. Resolves once the process is gone. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** `node -r @swc-node/register apps/registry/src/main.ts` with `env`; resolves once it is ready. */
export async function startRegistryProcess(env: Record<string, string>): Promise<RegistryProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/registry/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, REGISTRY_PORT: String(port), REGISTRY_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (gone) throw new Error(`the registry process exited:\n${output}`);
        const response = await fetch(`${url}/health/ready`).catch(() => undefined);
        return response?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, message: () => `registry process ready\n${output.slice(-2_000)}` },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    kill: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
