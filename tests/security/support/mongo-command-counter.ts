import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a service and the database that counts the commands going through it, by
 * name, reading only the MongoDB wire protocol's framing (OP_MSG: length, opCode 2013, flags,
 * section 0 = the command document, whose first key is the command's name). Lets a test compare
 * the database work of two requests through the public HTTP surface, without touching the service.
 */
export class MongoCommandCounter {
  readonly counts = new Map<string, number>();
  private server!: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<string> {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      this.sockets.add(client).add(upstream);
      let buffered = Buffer.alloc(0);
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
          const length = buffered.readInt32LE(0);
          this.count(buffered.subarray(0, length));
          buffered = buffered.subarray(length);
        }
      });
      upstream.on('data', (chunk) => client.write(chunk));
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return `mongodb://127.0.0.1:${port}`;
  }

  /** Data commands only (not the driver's heartbeats and session housekeeping). */
  dataCommands(): number {
    let total = 0;
    for (const [name, count] of this.counts) if (DATA_COMMANDS.has(name)) total += count;
    return total;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private count(message: Buffer): void {
    if (message.length < 26 || message.readInt32LE(12) !== 2013 || message[20] !== 0) return;
    // Section 0: int32 document length at 21, then the first element: type byte at 25, name from 26.
    const end = message.indexOf(0, 26);
    if (end < 0) return;
    const name = message.toString('utf8', 26, end);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
}

const DATA_COMMANDS = new Set(['find', 'insert', 'update', 'delete', 'findAndModify', 'count', 'aggregate']);
