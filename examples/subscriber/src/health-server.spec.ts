import { startHealthServer, type HealthServer } from './health-server';

describe('subscriber health endpoints', () => {
  let health: HealthServer;

  beforeAll(async () => {
    health = await startHealthServer(0, '127.0.0.1');
  });
  afterAll(() => health?.close());

  it('is live at once, ready only while subscribed, and serves nothing else', async () => {
    expect((await fetch(`${health.url}/health/live`)).status).toBe(200);
    const before = await fetch(`${health.url}/health/ready`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'down', checks: { kafka: 'down' } });

    health.setReady(true);
    const ready = await fetch(`${health.url}/health/ready?probe=1`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'up', checks: { kafka: 'up' } });

    health.setReady(false);
    expect((await fetch(`${health.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${health.url}/health/ready`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${health.url}/metrics`)).status).toBe(404);
  });
});
