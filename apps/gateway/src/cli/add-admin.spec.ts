import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

jest.setTimeout(120_000);

const REPO_ROOT = resolve(__dirname, '../../../..');

/** `npm run admin:add -- <args>`, against a database that does not exist: acting would fail. */
function addAdmin(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/gateway/src/cli/add-admin.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, MONGO_URL: 'mongodb://127.0.0.1:9', ADMIN_NEW_PASSWORD: 'a long enough password 1' },
      encoding: 'utf8',
      input: '',
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run admin:add', () => {
  it('refuses a new admin without a role, or an unknown role, with exit 64', () => {
    expect(addAdmin(['alice'])).toMatchObject({ status: 64, stderr: expect.stringContaining('needs a role') });
    expect(addAdmin(['alice', '--role', 'root'])).toMatchObject({
      status: 64,
      stderr: expect.stringContaining('--role must be one of: administrator, integrations-manager, viewer'),
    });
  });

  it('prints its usage for --help and exits 0 without touching the database', () => {
    const run = addAdmin(['--help']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^usage: npm run admin:add -- <username> --role <role>/);
  });

  it('refuses an unknown option with exit 64, naming it', () => {
    const run = addAdmin(['alice', '--role', 'viewer', '--frobnicate']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain("Unknown option '--frobnicate'");
    expect(run.stdout).toBe('');
  });

  it('refuses a missing or second username with exit 64', () => {
    expect(addAdmin([]).status).toBe(64);
    expect(addAdmin(['alice', 'bob'])).toMatchObject({ status: 64, stderr: expect.stringContaining('one <username>') });
  });
});
