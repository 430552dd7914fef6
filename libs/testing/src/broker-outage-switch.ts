import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

export interface BrokerOutageSwitch {
  /** Give it to the kafkajs client (or `createKafkaMessageBus({socketFactory})`) to cut. */
  socketFactory: ISocketFactory;
  /** From the client's side the broker is gone: open connections drop, new ones are refused. */
  cut(): void;
  restore(): void;
}

/**
 * A broker outage for ONE client, without stopping the shared broker: the same errors kafkajs
 * sees when the broker process dies (connection reset, then ECONNREFUSED), for as long as a test
 * wants. Use the real restart (`TestInfra.kafkaControl`) where the broker may be touched.
 */
export function createBrokerOutageSwitch(): BrokerOutageSwitch {
  const live = new Set<net.Socket>();
  let isCut = false;
  const refused = (host: string, port: number) =>
    Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (test outage)`), { code: 'ECONNREFUSED' });

  const socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    if (isCut) {
      const socket = new net.Socket();
      setImmediate(() => socket.destroy(refused(host, port)));
      return socket;
    }
    // What kafkajs's default factory does.
    const socket = ssl
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    live.add(socket);
    socket.once('close', () => live.delete(socket));
    return socket;
  };

  return {
    socketFactory,
    cut() {
      isCut = true;
      for (const socket of live)
        socket.destroy(Object.assign(new Error('read ECONNRESET (test outage)'), { code: 'ECONNRESET' }));
    },
    restore() {
      isCut = false;
    },
  };
}
