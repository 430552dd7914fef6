import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * Which replicas NGINX sent requests to, read from its access log (format `lb` in
 * tools/run-local/load-balancer.ts: `… <server port> "<request>" <status> upstream=<addr>[, <addr>] …`).
 * A mark taken before some calls and read after them tells which replica of each service served them.
 */
export class AccessLog {
  constructor(private readonly file: string) {}

  /** The current end of the log. */
  mark(): number {
    return existsSync(this.file) ? statSync(this.file).size : 0;
  }

  /** The replica addresses (`127.0.0.1:port`) that answered requests to NGINX's `port` since `mark`. */
  upstreamsSince(mark: number, port: number): Set<string> {
    const text = existsSync(this.file) ? readFileSync(this.file).subarray(mark).toString('utf8') : '';
    const hit = new Set<string>();
    for (const line of text.split('\n')) {
      const match = /^\S+ (\d+) ".*" \d{3} upstream=(\S+(?:, \S+)*) /.exec(line);
      if (!match || Number(match[1]) !== port) continue;
      for (const address of match[2]!.split(', ')) if (address !== '-') hit.add(address);
    }
    return hit;
  }
}
