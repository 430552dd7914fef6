import { parseStartArgs } from './start-options';

describe('npm start options', () => {
  it('defaults to one process per service and every line shown', () => {
    expect(parseStartArgs([])).toEqual({
      kind: 'start',
      options: {
        stopInfra: false,
        only: undefined,
        prefix: undefined,
        minLevel: 'trace',
        raw: false,
        swc: false,
        replicas: 1,
      },
    });
  });

  it('reads every option, in both spellings of a value', () => {
    const parsed = parseStartArgs([
      '--replicas',
      '2',
      '--only=config,acl',
      '--prefix',
      'p_',
      '--quiet',
      '--raw',
      '--swc',
      '--stop-infra',
    ]);
    expect(parsed).toEqual({
      kind: 'start',
      options: {
        stopInfra: true,
        only: ['config', 'acl'],
        prefix: 'p_',
        minLevel: 'warn',
        raw: true,
        swc: true,
        replicas: 2,
      },
    });
    expect(parseStartArgs(['--replicas=3'])).toMatchObject({ options: { replicas: 3 } });
  });

  it('asks for the usage with -h or --help, whatever else is given', () => {
    expect(parseStartArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseStartArgs(['--replicas', '2', '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--replicas'], /--replicas/],
    [['--replicas', '0'], /--replicas takes a whole number from 1 to 9; got "0"/],
    [['--replicas', '10'], /got "10"/],
    [['--replicas', '1.5'], /got "1.5"/],
    [['--prefix', 'no spaces'], /--prefix takes 1-20 letters/],
    [['--only', ','], /--only takes a comma-separated list/],
    [['--quiet=yes'], /--quiet/],
  ])('refuses %j, saying why', (argv, message) => {
    const parsed = parseStartArgs(argv);
    expect(parsed.kind).toBe('usage-error');
    expect(parsed.kind === 'usage-error' && parsed.message).toMatch(message);
  });
});
