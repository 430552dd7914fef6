import { randomUUID } from 'node:crypto';
import { OauthHarness } from './support/oauth-harness';
import { waitFor } from '@integrations/testing';
import { signed } from './support/partner-client';

/** Health, and the graceful shutdown that must not lose the usage counted since the last flush. */

let harness: OauthHarness;

beforeAll(async () => {
  // A flush interval no test waits for: only the shutdown can publish the usage.
  harness = await OauthHarness.start({ flushMs: 600_000 });
});

afterAll(async () => {
  await harness?.close();
});

it('reports ready when Mongo and Kafka answer', async () => {
  const response = await fetch(`${harness.url}/health/ready`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'up', checks: { mongo: 'up', kafka: 'up' } });
});

it('flushes the usage counters on shutdown and publishes them before disconnecting', async () => {
  const id = randomUUID();
  await harness.createIntegration(id);
  const { body } = await harness.credentials(id, { mode: 'tokens', reauthorize: false });
  await harness.activate(id);
  const consumer = { key: body.consumerKey, secret: body.consumerSecret };
  const token = { key: body.accessToken, secret: body.accessTokenSecret };
  for (let i = 0; i < 2; i++) {
    expect(await harness.apiCall(signed({ method: 'GET', path: '/rest/V1/products', consumer, token }))).toMatchObject({
      ok: true,
    });
  }
  expect(harness.publishedEvents().some((event) => event.type === 'IntegrationUsageRecorded')).toBe(false);

  await harness.oauth.close();
  const usage = await waitFor(
    () => harness.publishedEvents().find((event) => event.type === 'IntegrationUsageRecorded' && event.subject === id),
    { message: 'IntegrationUsageRecorded after shutdown' },
  );
  expect(usage.data).toMatchObject({ integrationId: id, uses: 2 });
});
