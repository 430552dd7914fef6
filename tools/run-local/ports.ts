import { createServer } from 'node:net';

/** A port the OS considers free right now (bind to 0, read it, release it). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something already listens on host:port (so our service would fail with EADDRINUSE). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'),
    );
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

export type PortRange = readonly [number, number];

/**
 * `LOCAL_PORT_RANGE=18000-18999`: where the launcher picks the ports it chooses itself (free ports,
 * replicas, the load balancer), e.g. on a machine shared with others. Unset: any port the OS gives.
 */
export function parsePortRange(value: string | undefined): PortRange | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(value);
  const [low, high] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!match || low < 1024 || high > 65535 || low > high) {
    throw new Error(`LOCAL_PORT_RANGE must look like 18000-18999 (ports 1024-65535, low first); got "${value}"`);
  }
  return [low, high];
}

/**
 * Hands out free ports, never the same one twice (the services bind them only later, so the OS would
 * happily report a port it already reported as free), from a range when one is given.
 */
export class PortAllocator {
  private readonly given = new Set<number>();
  private cursor: number;

  constructor(
    private readonly host: string,
    private readonly range?: PortRange,
  ) {
    // A random start: two launches at once (parallel test files) rarely probe the same ports.
    this.cursor = range ? range[0] + Math.floor(Math.random() * (range[1] - range[0] + 1)) : 0;
  }

  /** Reserves a port somebody asked for by number (so a free port is never the same one). */
  claim(port: number): void {
    this.given.add(port);
  }

  async next(): Promise<number> {
    if (!this.range) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const port = await freePort(this.host);
        if (!this.given.has(port)) {
          this.given.add(port);
          return port;
        }
      }
      throw new Error('the OS kept handing out ports already given to other services');
    }
    const [low, high] = this.range;
    const size = high - low + 1;
    for (let probed = 0; probed < size; probed++) {
      const port = low + ((this.cursor - low + probed) % size);
      if (this.given.has(port) || (await portInUse(this.host, port))) continue;
      this.given.add(port);
      this.cursor = port + 1;
      return port;
    }
    throw new Error(`no free port left in LOCAL_PORT_RANGE ${low}-${high}`);
  }
}
