import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCH_TMP, REPO_ROOT } from './report';
import type { ServiceKind } from './serve';

export interface ChildService {
  name: string;
  url: string;
  pid: number;
  /** Where the child's stdout/stderr go (below tmp/bench/logs). */
  logFile: string;
  /** Starts V8's CPU profiler in the child (what `--cpu-prof` runs), sampling every `intervalUs`. */
  startProfile(intervalUs?: number): Promise<void>;
  /** Stops it and writes the .cpuprofile to `file`. */
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartChildOptions {
  /** Label for logs and errors, e.g. `gateway (auth off)`. */
  name: string;
  kind: ServiceKind;
  /** Passed to the service's start function (JSON). */
  options?: Record<string, unknown>;
  /** Extra environment variables for the child (e.g. the benchmark-only switch). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/**
 * Runs one service in its own Node process, as in production: the load tool (this process) and
 * the system under test do not share an event loop, and the baselines get the same treatment.
 */
export function startChild(options: StartChildOptions): Promise<ChildService> {
  const logDir = join(BENCH_TMP, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${options.name.replace(/[^A-Za-z0-9_-]+/g, '_')}-${process.pid}.log`);
  const log = createWriteStream(logFile);
  const child = fork(join(__dirname, 'serve.ts'), [options.kind], {
    cwd: REPO_ROOT,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, ...options.env, BENCH_SERVE_OPTIONS: JSON.stringify(options.options ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const where = relative(REPO_ROOT, logFile);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start within ${options.startTimeoutMs ?? 120_000} ms (log: ${where})`));
    }, options.startTimeoutMs ?? 120_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with code ${code} before it was ready (log: ${where})`));
    };
    child.once('exit', onExit);
    child.on('message', (message: { type?: string; url?: string; message?: string }) => {
      if (message.type === 'error') {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.once('exit', () => undefined);
        reject(new Error(`${options.name} failed to start: ${message.message} (log: ${where})`));
      } else if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({
          name: options.name,
          url: message.url,
          pid: child.pid!,
          logFile: where,
          startProfile: (intervalUs) => ask(child, { type: 'profile-start', intervalUs }, 'profile-started'),
          stopProfile: (file) => ask(child, { type: 'profile-stop', file }, 'profile-stopped'),
          stop: () => stopChild(child),
        });
      }
    });
  });
}

/** Sends a message to the child and waits for its answer of type `answer`. */
function ask(child: ChildProcess, message: Record<string, unknown>, answer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { type?: string; message?: string }) => {
      if (reply?.type === answer) {
        child.off('message', onMessage);
        resolve();
      } else if (reply?.type === 'profile-failed') {
        child.off('message', onMessage);
        reject(new Error(`profiling failed in the child: ${reply.message}`));
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** Graceful stop (the service closes its consumers and connections), then SIGKILL after 30 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
  });
}

/**
 * Starts several services at once. If one fails, the others are still awaited and stopped, so no
 * child outlives the benchmark; then the first error is thrown.
 */
export async function startChildren(options: StartChildOptions[]): Promise<ChildService[]> {
  const settled = await Promise.allSettled(options.map((option) => startChild(option)));
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stopAll(started);
    throw failed.reason;
  }
  return started;
}

/** Stops services in reverse start order, even when one of them fails to stop. */
export async function stopAll(services: Array<ChildService | undefined>): Promise<void> {
  for (const service of [...services].reverse()) {
    await service
      ?.stop()
      .catch((error: unknown) => process.stderr.write(`stopping ${service.name} failed: ${String(error)}\n`));
  }
}
