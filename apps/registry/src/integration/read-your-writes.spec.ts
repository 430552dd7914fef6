import { ReadYourWrites } from './read-your-writes';

describe('ReadYourWrites', () => {
  it('waits until the projection reports it caught up', async () => {
    let checks = 0;
    const ryw = new ReadYourWrites(1_000, 1);
    await expect(ryw.waitUntil(async () => ++checks >= 3)).resolves.toBe(true);
    expect(checks).toBe(3);
  });

  it('gives up after the timeout and says so', async () => {
    const ryw = new ReadYourWrites(30, 5);
    const started = Date.now();
    await expect(ryw.waitUntil(async () => false)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
  });
});
