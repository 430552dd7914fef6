import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../../..');
export const UI_ROOT = join(REPO_ROOT, 'apps/admin-ui');
export const UI_DIST = join(UI_ROOT, 'dist');

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

/**
 * The e2e tests drive the built UI the gateway serves; build it when dist/ is missing or older than
 * the sources, so `npm test` on a fresh clone needs no extra step.
 */
export function ensureAdminUiBuilt(log: (line: string) => void = () => undefined): void {
  // Parallel jest workers: one builds, the others wait for it (a stale lock older than 2 min is ignored).
  const lock = join(UI_ROOT, '.build-lock');
  const waitUntil = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > waitUntil) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    buildIfStale(log);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildIfStale(log: (line: string) => void): void {
  const index = join(UI_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(join(UI_ROOT, 'src')),
    newestMtime(join(UI_ROOT, 'index.html')),
    newestMtime(join(UI_ROOT, 'vite.config.mts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const started = Date.now();
  log('building the admin UI (npm run build:admin-ui)…');
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'apps/admin-ui', '--logLevel', 'warn'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `building the admin UI failed (run \`npm run build:admin-ui\` to see why):\n${result.stdout}\n${result.stderr}`,
    );
  }
  log(`admin UI built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
