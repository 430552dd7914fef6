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

  it("remembers each admin's last write until the timeout has passed", () => {
    let now = 1_000;
    const ryw = new ReadYourWrites(3_000, 10, () => now);
    ryw.remember('alice', { id: 'a', version: 1 });
    ryw.remember('alice', { id: 'b', version: 4 });
    ryw.remember(undefined, { id: 'c', version: 1 });
    expect(ryw.lastWriteOf('alice')).toEqual({ id: 'b', version: 4 });
    expect(ryw.lastWriteOf('bob')).toBeUndefined();
    expect(ryw.lastWriteOf(undefined)).toBeUndefined();
    now += 3_001;
    expect(ryw.lastWriteOf('alice')).toBeUndefined();
  });
});
