import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSecretBox } from './encryption-keys';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const ROUNDS = 100;
const quiet = { warn() {}, info() {} };

/**
 * A process that, once told to go, starts like an oauth replica on each of `ROUNDS` fresh key files
 * in `dir` in turn (loads the development key file) and seals its name with each: released
 * together, replicas meet on the same file at the same moment in many rounds.
 */
function replica(dir: string, name: string) {
  const script = `
    const { loadSecretBox } = require(${JSON.stringify(path.join(__dirname, 'encryption-keys.ts'))});
    const quiet = { warn() {}, info() {} };
    process.stdout.write('ready\\n');
    process.stdin.once('data', () => {
      const sealed = [];
      for (let round = 0; round < ${ROUNDS}; round++) {
        const devKeyFile = require('node:path').join(${JSON.stringify(dir)}, 'keys-' + round + '.json');
        sealed.push(loadSecretBox({ nodeEnv: 'development', devMode: true, devKeyFile }, quiet).seal(${JSON.stringify(name)}, 'c'));
      }
      process.stdout.write(JSON.stringify(sealed) + '\\n');
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => (stdout.startsWith('ready\n') ? resolve() : undefined);
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`replica ${name} exited (${code}) before it was ready: ${stderr}`)));
  });
  const done = new Promise<string[]>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.slice('ready\n'.length)) as string[])
        : reject(
            new Error(
              `replica ${name} failed to start (exit ${code}): ${stderr.split('\n').find((line) => /Error/.test(line)) ?? stderr}`,
            ),
          ),
    ),
  );
  return { ready, go: () => child.stdin.end('go\n'), done };
}

describe('the development key file', () => {
  it('is created once when replicas start together: every replica starts, and all seal with the same key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oauth-keys-race-'));
    const names = ['a', 'b', 'c', 'd'];
    const replicas = names.map((name) => replica(dir, name));
    await Promise.all(replicas.map((r) => r.ready));
    for (const r of replicas) r.go();
    const sealed = await Promise.allSettled(replicas.map((r) => r.done));
    expect(sealed.filter((s) => s.status === 'rejected')).toEqual([]);
    for (let round = 0; round < ROUNDS; round++) {
      const box = loadSecretBox(
        { nodeEnv: 'development', devMode: true, devKeyFile: path.join(dir, `keys-${round}.json`) },
        quiet,
      );
      const opened = sealed.map((s) => box.open((s as PromiseFulfilledResult<string[]>).value[round]!, 'c'));
      expect(opened).toEqual(names);
    }
    // No draft left behind.
    expect(readdirSync(dir)).toHaveLength(ROUNDS);
  }, 120_000);
});
