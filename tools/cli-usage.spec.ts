import { runCli } from './test/run-cli';

jest.setTimeout(120_000);

/** Nothing listens here: a CLI that tried to act would fail or hang, not exit 0 with its usage. */
const NOWHERE = { MONGO_URL: 'mongodb://127.0.0.1:9', KAFKA_BROKERS: '127.0.0.1:9' };

describe.each([
  { cli: 'tools/run-local/stop.ts', usage: /^usage: npm stop/ },
  { cli: 'tools/ops/republish-events.ts', usage: /^usage: npm run events:republish/ },
  { cli: 'tools/docker/build-dist.mjs', usage: /^usage: node tools\/docker\/build-dist\.mjs/ },
])('$cli', ({ cli, usage }) => {
  it('prints its usage for --help and exits 0 without doing anything', () => {
    const run = runCli(cli, ['--help'], NOWHERE);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(usage);
    expect(run.stdout.trim().split('\n')[0]).toMatch(usage);
    expect(run.stdout).not.toMatch(/stopping|no local run|refilling|files compiled/);
  });

  it('refuses an unknown option with exit 64, naming it', () => {
    const run = runCli(cli, ['--frobnicate'], NOWHERE);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain("Unknown option '--frobnicate'");
    expect(run.stderr).toMatch(/usage: /);
    expect(run.stdout).toBe('');
  });
});

describe('tools/ops/republish-events.ts', () => {
  it('refuses a database name that is not one (exit 64) before connecting', () => {
    const run = runCli('tools/ops/republish-events.ts', ['../etc'], NOWHERE);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('<database> takes 1-63 letters');
  });
});

describe('tools/run-local/stop.ts', () => {
  it('refuses a prefix that is not one (it names a file)', () => {
    const run = runCli('tools/run-local/stop.ts', ['--prefix', '../../x'], NOWHERE);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('--prefix takes 1-20 letters');
  });
});
