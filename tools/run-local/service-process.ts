import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServiceSpec } from './services';

export type LineSink = (service: string, line: string, stream: 'stdout' | 'stderr') => void;

export interface ExitInfo {
  /** The instance: `registry`, or `registry-2` when the service runs replicas. */
  service: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the launcher asked for it (stop, kill, restart). */
  expected: boolean;
}

const KEPT_LINES = 60;

/**
 * One service as a child process, from the repository root: `node <build>/<main>.js` (compiled by
 * the launcher), or `node -r @swc-node/register <main>.ts`.
 * Output lines go to the sink and to `<logDir>/<service>.log`; the last lines are kept for the
 * crash report. The child runs in its own process group, so a Ctrl-C in the terminal reaches the
 * launcher only and the launcher decides the shutdown order.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private recent: string[] = [];
  private stopping = false;
  private exitPromise?: Promise<ExitInfo>;
  /** How the current child ended, once its output is drained; undefined while it runs. */
  lastExit?: ExitInfo;

  /**
   * @param buildDir where `tools/docker/build-dist.mjs` compiled the sources; undefined runs the
   * TypeScript through @swc-node/register instead.
   * @param id the instance's name in logs and exit reports (`registry-2`); default the service's.
   */
  constructor(
    readonly spec: ServiceSpec,
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    private readonly sink: LineSink,
    private readonly onExit: (exit: ExitInfo) => void,
    private readonly buildDir?: string,
    readonly id: string = spec.name,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.lastExit === undefined;
  }

  /** Resolves when the current child exits (immediately resolved shape when none runs). */
  get exited(): Promise<ExitInfo> {
    return this.exitPromise ?? Promise.resolve({ service: this.id, code: null, signal: null, expected: true });
  }

  start(): void {
    if (this.running) throw new Error(`${this.id} is already running (pid ${this.pid})`);
    mkdirSync(dirname(this.logFile), { recursive: true });
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    this.log.write(`\n----- ${new Date().toISOString()} starting ${this.id} (${this.spec.main}) -----\n`);
    this.recent = [];
    this.stopping = false;
    this.lastExit = undefined;
    const args = this.buildDir
      ? ['--enable-source-maps', join(this.buildDir, this.spec.main.replace(/\.ts$/, '.js'))]
      : ['-r', '@swc-node/register', join(this.root, this.spec.main)];
    const child = spawn(process.execPath, args, {
      cwd: this.root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.pipe(child.stdout!, 'stdout');
    this.pipe(child.stderr!, 'stderr');
    const log = this.log;
    this.exitPromise = new Promise<ExitInfo>((resolve) => {
      // 'close' (not 'exit'): the pipes are drained, so the crash report has the last lines.
      child.once('close', (code, signal) => {
        const info: ExitInfo = { service: this.id, code, signal, expected: this.stopping };
        this.lastExit = info;
        log.end(`----- ${new Date().toISOString()} ${this.id} exited (${signal ?? `code ${code}`}) -----\n`);
        resolve(info);
        this.onExit(info);
      });
      child.once('error', (error) => {
        this.remember(`failed to spawn: ${error.message}`);
      });
    });
  }

  /**
   * `signal`, then SIGKILL when it has not exited after `timeoutMs`. Resolves once it is gone.
   * The platform's services close at once on SIGINT and drain first on SIGTERM (service-kit).
   */
  async stop(timeoutMs: number, signal: NodeJS.Signals = 'SIGINT'): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    this.stopping = true;
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal without waiting (fault tests use SIGKILL); the exit counts as expected. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.running) return;
    this.stopping = true;
    this.signal(signal);
  }

  /** Synchronous last resort (process 'exit' handler): no waiting possible there. */
  killNow(): void {
    if (this.running) this.signal('SIGKILL');
  }

  lastLines(count = 25): string[] {
    return this.recent.slice(-count);
  }

  private signal(signal: NodeJS.Signals) {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      // The whole group: a service that forked helpers takes them down with it.
      process.kill(-pid, signal);
    } catch {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
  }

  private pipe(stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        this.line(pending.slice(0, newline), name);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    });
    stream.on('end', () => {
      if (pending) this.line(pending, name);
      pending = '';
    });
  }

  private line(line: string, stream: 'stdout' | 'stderr') {
    this.log?.write(`${redactForFile(line)}\n`);
    this.remember(line);
    this.sink(this.id, line, stream);
  }

  private remember(line: string) {
    this.recent.push(line);
    if (this.recent.length > KEPT_LINES) this.recent.shift();
  }
}

/**
 * The gateway prints a generated admin password once, as a plain-text banner meant for the terminal.
 * Log files outlive the terminal and are not mode 600: the password stays out of them.
 */
export function redactForFile(line: string): string {
  return line.replace(/^(\s*password:\s*)\S.*$/i, '$1[redacted: see the admin credentials file]');
}
