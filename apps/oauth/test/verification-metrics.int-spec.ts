import { randomUUID } from 'node:crypto';
import { OauthHarness } from './support/oauth-harness';
import { signed } from './support/partner-client';

jest.setTimeout(120_000);

/**
 * The running oauth service's `GET /metrics`: verification outcomes by problem, the outbox relay's
 * backlog and the integration-events consumer's lag (real Kafka + FerretDB).
 */
let harness: OauthHarness;

beforeAll(async () => {
  harness = await OauthHarness.start();
});
afterAll(() => harness?.close());

async function scrape(): Promise<string> {
  const response = await fetch(`${harness.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series, 0 when it does not exist yet. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const outcome = (kind: string, result: string, problem: string) =>
  `oauth_verification_outcomes_total{service="oauth",kind="${kind}",outcome="${result}",problem="${problem}"}`;

it('counts accepted and rejected verifications, a rejection by its problem', async () => {
  const id = randomUUID();
  await harness.createIntegration(id);
  const reply = await harness.credentials(id, { mode: 'tokens', reauthorize: false });
  await harness.activate(id);
  const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = reply.body;
  const consumer = { key: consumerKey, secret: consumerSecret };
  const token = { key: accessToken, secret: accessTokenSecret };
  const before = await scrape();

  const good = signed({ method: 'GET', path: '/rest/V1/products', consumer, token });
  expect(await harness.apiCall(good)).toMatchObject({ ok: true });
  expect(await harness.apiCall(good)).toMatchObject({ ok: false, code: 'OAUTH.NONCE_USED' });
  const forged = signed({
    method: 'GET',
    path: '/rest/V1/products',
    consumer,
    token,
    signWithConsumerSecret: 'q'.repeat(32),
  });
  expect(await harness.apiCall(forged)).toMatchObject({ ok: false, code: 'OAUTH.SIGNATURE_INVALID' });
  const forgedTokenRequest = signed({ path: '/oauth/token/request', consumer, signWithConsumerSecret: 'q'.repeat(32) });
  expect((await harness.tokenRequest(forgedTokenRequest)).status).toBe(401);

  const after = await scrape();
  const delta = (series: string) => valueOf(after, series) - valueOf(before, series);
  expect(delta(outcome('api-call', 'accepted', 'none'))).toBe(1);
  expect(delta(outcome('api-call', 'rejected', 'nonce_used'))).toBe(1);
  expect(delta(outcome('api-call', 'rejected', 'signature_invalid'))).toBe(1);
  // A tokens-mode consumer never started an exchange: refused before its signature is checked.
  expect(after).toMatch(
    /oauth_verification_outcomes_total\{service="oauth",kind="token-request",outcome="rejected",problem="[a-z_]+"\} [1-9]/,
  );
  // Never the problem text (it quotes request values), never a secret.
  expect(after).not.toContain('oauth_problem=');
  expect(after).not.toContain(consumerSecret);
});

it('shows the relay backlog and the consumer lag of the service', async () => {
  const id = randomUUID();
  await harness.createIntegration(id);
  const text = await scrape();
  expect(text).toMatch(/^event_relay_backlog_events\{service="oauth",relay="oauth"\} 0$/m);
  // The integration-events consumer caught up with what was just published.
  expect(text).toMatch(
    /^kafka_consumer_lag_messages\{service="oauth",group="[^"]+oauth-integration-status",topic="[^"]+integrations\.integration\.v1",partition="\d"\} 0$/m,
  );
});
