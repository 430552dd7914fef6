import { createServer, type Server } from 'node:net';
import { parsePortRange, PortAllocator } from './ports';

describe('LOCAL_PORT_RANGE', () => {
  it('reads a low-high range of unprivileged ports', () => {
    expect(parsePortRange(undefined)).toBeUndefined();
    expect(parsePortRange(' ')).toBeUndefined();
    expect(parsePortRange('18000-18999')).toEqual([18000, 18999]);
    expect(parsePortRange(' 18000 - 18001 ')).toEqual([18000, 18001]);
  });

  it.each(['18000', '80-90', '19000-18000', '18000-70000', 'a-b'])('refuses %j, showing the expected form', (value) => {
    expect(() => parsePortRange(value)).toThrow(
      `LOCAL_PORT_RANGE must look like 18000-18999 (ports 1024-65535, low first); got "${value}"`,
    );
  });
});

describe('PortAllocator', () => {
  it('never hands out the same port twice, nor a claimed one', async () => {
    const allocator = new PortAllocator('127.0.0.1');
    const taken = new Set<number>();
    for (let i = 0; i < 20; i++) taken.add(await allocator.next());
    expect(taken.size).toBe(20);
  });

  it('stays inside its range, skips ports in use and says when the range is exhausted', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      // A range of three around the busy port: it never comes out; the others do (unless somebody
      // else holds them), then the range is exhausted.
      const low = port > 1025 ? port - 1 : port;
      const allocator = new PortAllocator('127.0.0.1', [low, low + 2]);
      const given: number[] = [];
      let exhausted: Error | undefined;
      while (!exhausted)
        await allocator.next().then(
          (p) => given.push(p),
          (error: Error) => (exhausted = error),
        );
      expect(given).not.toContain(port);
      expect(new Set(given).size).toBe(given.length);
      for (const p of given) expect(p >= low && p <= low + 2).toBe(true);
      expect(exhausted.message).toBe(`no free port left in LOCAL_PORT_RANGE ${low}-${low + 2}`);
    } finally {
      busy.close();
    }
  });
});
