import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './render';

/**
 * The container image's /app, built on this machine the way ./Dockerfile builds it, without Docker:
 *  - the `build` stage's RUN commands (tools/docker/build-dist.mjs, the copies of config/ and the
 *    scripts, the admin UI), read from the Dockerfile itself with /out pointing here;
 *  - the `prod-deps` stage's `npm ci --omit=dev` (production dependencies only), cached per
 *    package-lock.json in <tmp>/integrations-deploy-test/prod-deps/<hash>;
 *  - the `runtime` stage's ENV (NODE_ENV) and CMD.
 * `DEPLOY_TEST_DEPS=workspace` uses the workspace's node_modules instead of the production install.
 */
export interface Image {
  /** The image's /app. */
  appDir: string;
  /** The runtime stage's ENV, SERVICE excepted (set per container). */
  env: Record<string, string>;
  /** The runtime stage's CMD. */
  cmd: string[];
  /** Which dependencies it runs with. */
  deps: 'production' | 'workspace';
}

/**
 * Outside the repository on purpose: node resolves a module by walking up from the requiring
 * file's real path, and inside the checkout it would find the workspace's node_modules (dev
 * dependencies included) above the image's, as it never could in the container. No dot segment
 * either (the admin UI's static files refuse paths with one).
 */
export const STATE = join(tmpdir(), 'integrations-deploy-test');
const checkout = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 8);

interface Stage {
  name: string;
  lines: string[];
}

function dockerfileStages(): Stage[] {
  const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n')) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) stages.push({ name: from[1]!, lines: [] });
    else if (stages.length > 0 && line.trim() && !line.trim().startsWith('#')) stages.at(-1)!.lines.push(line.trim());
  }
  return stages;
}

const stage = (stages: Stage[], name: string) => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};

let built: Image | undefined;

export function buildImage(): Image {
  if (built) return built;
  const stages = dockerfileStages();
  const appDir = join(STATE, `image-${checkout}`);
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });

  // build stage: `COPY . .` is the repository itself; each RUN runs in it with /out = appDir.
  for (const line of stage(stages, 'build').lines) {
    const run = /^RUN\s+(.*)$/.exec(line);
    if (!run) continue;
    execFileSync('bash', ['-ec', run[1]!.replaceAll('/out', appDir)], {
      cwd: REPO_ROOT,
      env: { ...process.env, SERVICE: 'gateway' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  // prod-deps stage: its `npm ci` (not the `npm cache clean` after it: that would empty this
  // machine's npm cache).
  const install = stage(stages, 'prod-deps')
    .lines.map((line) => /^RUN\s+(npm ci [^&]*)/.exec(line)?.[1]?.trim())
    .find(Boolean);
  if (!install) throw new Error('Dockerfile: the prod-deps stage has no `RUN npm ci …`');
  const deps = process.env.DEPLOY_TEST_DEPS === 'workspace' ? 'workspace' : 'production';
  const nodeModules = deps === 'workspace' ? join(REPO_ROOT, 'node_modules') : productionDependencies(install);
  symlinkSync(nodeModules, join(appDir, 'node_modules'));

  const runtime = stage(stages, 'runtime');
  const env: Record<string, string> = {};
  for (const line of runtime.lines) {
    const set = /^ENV\s+([A-Z_]+)=(\S+)$/.exec(line);
    if (set && set[1] !== 'SERVICE') env[set[1]!] = set[2]!;
  }
  const cmd = JSON.parse(/^CMD\s+(\[.*\])$/m.exec(runtime.lines.join('\n'))?.[1] ?? 'null') as string[] | null;
  if (!cmd) throw new Error('Dockerfile: the runtime stage has no exec-form CMD');
  built = { appDir, env, cmd, deps };
  return built;
}

function productionDependencies(install: string): string {
  const lock = readFileSync(join(REPO_ROOT, 'package-lock.json'));
  const manifest = readFileSync(join(REPO_ROOT, 'package.json'));
  const hash = createHash('sha256').update(manifest).update(lock).update(install).digest('hex').slice(0, 16);
  const dir = join(STATE, 'prod-deps', hash);
  if (!existsSync(join(dir, '.complete'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), manifest);
    writeFileSync(join(dir, 'package-lock.json'), lock);
    execFileSync('bash', ['-ec', install], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(join(dir, '.complete'), new Date().toISOString());
  }
  return join(dir, 'node_modules');
}
