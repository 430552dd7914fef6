import { metricsRegistry } from '@integrations/service-kit';
import { problemLabel, recordTokenReply, recordVerdict } from './verification-metrics';

const value = async (labels: string) => {
  const line = (await metricsRegistry.metrics())
    .split('\n')
    .find((l) => l.startsWith(`oauth_verification_outcomes_total{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
};

describe('verification metrics', () => {
  it('labels a refusal by its stable code, never by the problem text', () => {
    expect(problemLabel('OAUTH.SIGNATURE_INVALID')).toBe('signature_invalid');
    expect(problemLabel('OAUTH.NONCE_USED')).toBe('nonce_used');
    expect(problemLabel('OAUTH.TOKEN_REVOKED')).toBe('token_revoked');
    expect(problemLabel(undefined)).toBe('other');
    expect(problemLabel('The "2.0" Oauth version isn\'t supported.')).toBe('other');
    expect(problemLabel(`OAUTH.${'X'.repeat(60)}`)).toBe('other');
  });

  it('counts accepted and rejected verifications by kind and problem', async () => {
    const rejected = 'service="oauth",kind="api-call",outcome="rejected",problem="signature_invalid"';
    const accepted = 'service="oauth",kind="token-access",outcome="accepted",problem="none"';
    const before = { rejected: await value(rejected), accepted: await value(accepted) };
    recordVerdict('api-call', { ok: false, code: 'OAUTH.SIGNATURE_INVALID' });
    recordVerdict('api-call', { ok: false, code: 'OAUTH.SIGNATURE_INVALID' });
    recordTokenReply('token-access', { status: 200 });
    recordTokenReply('token-request', { status: 401, code: 'OAUTH.NONCE_USED' });
    expect(await value(rejected)).toBe(before.rejected + 2);
    expect(await value(accepted)).toBe(before.accepted + 1);
    expect(
      await value('service="oauth",kind="token-request",outcome="rejected",problem="nonce_used"'),
    ).toBeGreaterThanOrEqual(1);
  });
});
