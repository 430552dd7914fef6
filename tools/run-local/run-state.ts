import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What `npm start` is running, so `npm stop` (another terminal, or after the launcher was killed)
 * can find it. Pids are only trusted while their command line still matches: pids get reused.
 */
export interface RunState {
  launcher: { pid: number; marker: string };
  services: Array<{ name: string; pid: number; marker: string }>;
  startedAt: string;
}

export const LAUNCHER_MARKER = 'tools/run-local/launch.ts';

/** One file per system: `npm start` and `npm start -- --prefix p_` run side by side. */
export function runStateFile(root: string, prefix?: string): string {
  return join(root, `.local/run/launcher${prefix ? `-${prefix}` : ''}.json`);
}

export function readRunState(file: string): RunState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunState;
  } catch {
    return undefined;
  }
}

export function writeRunState(file: string, state: RunState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeRunState(file: string): void {
  rmSync(file, { force: true });
}

/** True when `pid` is alive and its command line contains `marker`. */
export function isOurs(pid: number, marker: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return cmdline.includes(marker);
  } catch {
    // No /proc (macOS) or no such process: fall back to "is it alive".
    if (existsSync('/proc/self')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}
