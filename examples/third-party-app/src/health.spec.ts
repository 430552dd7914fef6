import { startThirdPartyApp, type RunningThirdPartyApp } from './start';

describe('third-party-app health endpoints', () => {
  let app: RunningThirdPartyApp;

  beforeAll(async () => {
    app = await startThirdPartyApp({ port: 0, log: () => undefined });
  });
  afterAll(() => app?.close());

  it('answers liveness and readiness, and leaves every other path to the app', async () => {
    const live = await fetch(`${app.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'up' });
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'up', checks: {} });
    expect((await fetch(`${app.url}/health/other`)).status).toBe(404);
  });
});
