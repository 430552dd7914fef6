import { formatProblem, formEncode, problems } from './problems';

describe('formatProblem', () => {
  it('writes the body Magento writes (#12032 shows oauth_problem=Consumer+key+has+expired)', () => {
    expect(formatProblem(problems.consumerKeyExpired().problem)).toBe('oauth_problem=Consumer+key+has+expired');
    expect(formatProblem(problems.parameterAbsent('oauth_nonce').problem)).toBe(
      'oauth_problem=%22oauth_nonce%22+is+required.+Enter+and+try+again.',
    );
    expect(formatProblem(problems.versionRejected('2.0').problem)).toBe(
      'oauth_problem=The+%222.0%22+Oauth+version+isn%27t+supported.',
    );
  });

  it('decodes back to the problem text with a standard form parser', () => {
    const problem = problems.nonceUsed('int-42').problem;
    expect(new URLSearchParams(formatProblem(problem)).get('oauth_problem')).toBe(problem);
  });
});

describe('formEncode', () => {
  it('encodes a token reply', () => {
    expect(
      formEncode([
        ['oauth_token', 'abc'],
        ['oauth_token_secret', 'd e'],
      ]),
    ).toBe('oauth_token=abc&oauth_token_secret=d+e');
  });
});

describe('problems', () => {
  it('cuts long client-chosen values it echoes', () => {
    const { problem } = problems.signatureMethodRejected('X'.repeat(500));
    expect(problem.length).toBeLessThan(120);
  });
});
