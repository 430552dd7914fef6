import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command-line entry point of the repository as `npm run` does (TypeScript through
 * @swc-node/register), with `env` on top of a copy of this process's environment.
 */
export function runCli(entry: string, args: string[], env: Record<string, string | undefined> = {}): CliRun {
  const node = entry.endsWith('.ts') ? ['-r', '@swc-node/register', entry] : [entry];
  const result = spawnSync(process.execPath, [...node, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
