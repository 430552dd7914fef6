import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

/** What reached an upstream: the request line and every header exactly as sent (name case kept). */
export interface UpstreamRequest {
  method: string;
  url: string;
  /** Header [name, value] pairs as they arrived. */
  rawHeaders: Array<[string, string]>;
  body: string;
}

export interface RecordingUpstream {
  url: string;
  saw: UpstreamRequest[];
  close(): Promise<void>;
}

/** An upstream that answers 200 `{}` to everything and records what reached it. */
export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const saw: UpstreamRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const rawHeaders: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      saw.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    saw,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The names of an upstream request's headers as a CGI/PHP upstream reads them (case, `_` as `-`). */
export function cgiNames(seen: UpstreamRequest): string[] {
  return seen.rawHeaders.map(([name]) => name.toLowerCase().replace(/_/g, '-'));
}

/** Every value an upstream request carries under a name that CGI reads as `name`. */
export function cgiValues(seen: UpstreamRequest, name: string): string[] {
  return seen.rawHeaders
    .filter(([header]) => header.toLowerCase().replace(/_/g, '-') === name)
    .map(([, value]) => value);
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request through node:http, header names exactly as given (fetch refuses some of them), no
 * keep-alive. `body` as bytes or text; `chunked` sends it without a Content-Length.
 */
export function sendRaw(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    headers?: Array<[string, string]>;
    body?: Buffer | string;
    chunked?: boolean;
  },
): Promise<RawReply> {
  const url = new URL(baseUrl);
  // Raw (array) headers get no automatic Host.
  const headers: Array<[string, string]> = [['Host', url.host], ...(options.headers ?? [])];
  if (options.body !== undefined && !options.chunked)
    headers.push(['Content-Length', String(Buffer.byteLength(options.body))]);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: headers.flat(),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    // A server that refuses a large body early may close before it is all sent: the reply counts.
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/**
 * Bytes written as they are on a fresh connection (a request head, maybe part of a body, never
 * finished), then whatever the server answers until it closes the connection: for refusals that
 * come before the body is read, without racing a client that is still sending.
 */
export function sendBytes(
  baseUrl: string,
  ...parts: Array<string | Buffer>
): Promise<{ status: number; text: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(Number(url.port), url.hostname, () => {
      for (const part of parts) socket.write(part);
    });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    const done = () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    socket.on('end', done);
    socket.on('error', (error) => (text ? done() : reject(error)));
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
  });
}
