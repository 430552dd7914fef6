import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The registry's command-line tools, run as an operator runs them. Without MONGO_URL a tool that
 * acted would fail on its configuration: exit 0 on --help proves it did nothing.
 */
jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../../..');
const REBUILD = 'apps/registry/src/rebuild.ts';
const CHECK = 'apps/registry/src/integration/manifest/check-manifest.ts';

function run(script: string, ...args: string[]) {
  const env = { ...process.env };
  delete env.MONGO_URL;
  delete env.INTEGRATIONS_MANIFEST_FILE;
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', script, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each([
  ['rebuild', REBUILD, '--help'],
  ['check-manifest', CHECK, '-h'],
])('%s', (name, script, flag) => {
  it(`prints its usage on ${flag} and exits 0 without acting`, () => {
    const result = run(script, flag);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^[A-Z].*\n(.*\n)*usage: node -r @swc-node\/register apps\/registry\/src\//);
  });

  it('refuses an unknown option with exit 64, naming it', () => {
    const result = run(script, '--promot');
    expect(result.status).toBe(64);
    expect(result.stderr).toContain(`${name}: Unknown option '--promot'`);
    expect(result.stderr).toContain('usage:');
    expect(result.stdout).toBe('');
  });
});

describe('rebuild', () => {
  it('takes no file (a stray argument is a usage error)', () => {
    expect(run(REBUILD, 'registry').status).toBe(64);
  });
});

describe('check-manifest', () => {
  it('checks the sample manifest of the examples component', () => {
    const result = run(CHECK, 'k8s/components/examples/config-files/integrations.json');
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain('1 integration(s): ERP Connector');
  });

  it('asks for a file when given none (exit 64)', () => {
    const result = run(CHECK);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('no manifest given: pass the file, or set INTEGRATIONS_MANIFEST_FILE');
  });

  it('exits 1 for a manifest that cannot be read', () => {
    const result = run(CHECK, 'does/not/exist.json');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('does/not/exist.json');
  });
});
