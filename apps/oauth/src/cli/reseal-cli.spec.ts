import { formatProgress, formatSummary, parseResealArgs, UsageError } from './reseal-cli';
import type { ResealReport } from './reseal-values';

describe('parseResealArgs', () => {
  it('defaults to a real run with progress every 1000 documents', () => {
    expect(parseResealArgs([])).toEqual({ dryRun: false, progressEvery: 1000, batchSize: 500, help: false });
  });

  it('reads --dry-run and numbers given as a separate or an inline value', () => {
    expect(parseResealArgs(['--dry-run', '--progress-every', '50', '--batch-size=20'])).toEqual({
      dryRun: true,
      progressEvery: 50,
      batchSize: 20,
      help: false,
    });
  });

  it.each([
    [['--progress-every'], "Option '--progress-every <value>' argument missing"],
    [['--batch-size', '0'], '--batch-size takes a whole number >= 1, got "0"'],
    [['--batch-size=1.5'], '--batch-size takes a whole number >= 1, got "1.5"'],
    [['--batch-size=1e3'], '--batch-size takes a whole number >= 1, got "1e3"'],
    [['--force'], "Unknown option '--force'"],
    [['dry-run'], "Unexpected argument 'dry-run'"],
    [['--dry-run=yes'], "Option '--dry-run' does not take an argument"],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseResealArgs(argv)).toThrow(UsageError);
    expect(() => parseResealArgs(argv)).toThrow(message);
  });

  it('--help (or -h) asks for the usage only, whatever else is given', () => {
    expect(parseResealArgs(['--help'])).toMatchObject({ help: true });
    expect(parseResealArgs(['-h', '--dry-run', '--batch-size=0'])).toMatchObject({ help: true });
  });
});

const report = (overrides: Partial<ResealReport>): ResealReport => ({
  dryRun: false,
  activeKeyId: 'k2',
  documents: 10,
  resealed: 0,
  current: 0,
  unreadable: 0,
  busy: 0,
  collections: [],
  unreadableKeyIds: {},
  unreadableSamples: [],
  ...overrides,
});

describe('formatSummary', () => {
  it('states the counts and that the old keys can go once nothing is left', () => {
    expect(formatSummary(report({ resealed: 7, current: 3 }))).toEqual([
      're-sealed 7, already current 3, unreadable 0 (active key "k2", 10 documents)',
      'every stored secret is sealed with "k2"; keys other than it can be removed once every oauth replica runs with it active',
    ]);
  });

  it('a dry run with work left says to run for real', () => {
    expect(formatSummary(report({ dryRun: true, resealed: 4 }))).toEqual([
      'dry run: would re-seal 4, already current 0, unreadable 0 (active key "k2", 10 documents)',
      'next step: run without --dry-run',
    ]);
  });

  it('names the key ids and integrations of unreadable values, and what to do', () => {
    const lines = formatSummary(
      report({
        unreadable: 3,
        unreadableKeyIds: { k0: 2, k1: 1 },
        unreadableSamples: [
          { collection: 'tokens', field: 'verifier', integrationId: 'int-1', keyId: 'k0', reason: 'unknown key' },
        ],
      }),
    );
    expect(lines[0]).toBe(
      're-sealed 0, already current 0, unreadable 3 (key ids: k0 x2, k1 x1) (active key "k2", 10 documents)',
    );
    expect(lines[1]).toBe('  unreadable: tokens.verifier of integration int-1: unknown key "k0"');
    expect(lines[2]).toBe('  ... and 2 more');
    expect(lines[3]).toMatch(/^next step: configure the key\(s\) named above/);
  });
});

describe('formatProgress', () => {
  it('shows the position in the collection and the counts so far', () => {
    expect(
      formatProgress(
        { collection: 'tokens', total: 5000, documents: 1000, resealed: 990, current: 10, unreadable: 0, busy: 0 },
        false,
      ),
    ).toBe('  tokens: 1000/5000 documents, re-sealed 990, already current 10, unreadable 0');
  });
});
