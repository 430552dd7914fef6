import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Plays a broker going down: every open connection is dropped and new ones are refused. */
  cut(): Promise<void>;
  /** The broker is back on the same address. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of one broker, for tests that need a broker restart without restarting the
 * shared Kafka. Route a client through it with kafkajs's `socketFactory`, or give a service its
 * address as the bootstrap broker (a broker down at boot: later connections go to the address the
 * broker advertises, so only the bootstrap is cut).
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    live.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of live) socket.destroy();
    });
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    cut: close,
    restore: () => listen(port),
    stop: () => (server.listening ? close() : Promise.resolve()),
  };
}
