import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/**
 * A `/rest` request's body, read whole before any check (issue 12 item 9): whatever its type, at
 * most the gateway's BODY_LIMIT, so a denied or oversized call never reaches the upstream, and an
 * allowed one goes up as the exact bytes that were checked.
 */
export type RequestBody =
  /** The request has no body (no Content-Length, no Transfer-Encoding). */
  | { kind: 'none' }
  | { kind: 'read'; bytes: Buffer }
  | { kind: 'too-large' }
  /** The client went away or broke the framing mid-body. */
  | { kind: 'aborted' };

const NONE: RequestBody = { kind: 'none' };
const TOO_LARGE: RequestBody = { kind: 'too-large' };
const ABORTED: RequestBody = { kind: 'aborted' };

export function readRequestBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(NONE);
  // Node has already refused a malformed Content-Length (400 before we see the request).
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(TOO_LARGE);
  if (declared === '0') return Promise.resolve({ kind: 'read', bytes: Buffer.alloc(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (body: RequestBody) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        // Stop reading: the answer (413) closes the connection.
        req.pause();
        done(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done({ kind: 'read', bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length) });
    const onAborted = () => done(ABORTED);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
  });
}

/** The media types the gateway reads (they were parsed by express before): JSON and forms. */
export function isReadMediaType(contentType: string | undefined): boolean {
  const type = contentType?.split(';', 1)[0].trim().toLowerCase();
  return type === 'application/json' || type === 'application/x-www-form-urlencoded';
}

const decoders: Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

export type DecodedBody = { ok: true; bytes: Buffer } | { ok: false; status: 413 | 415 | 400; message: string };

/**
 * A compressed JSON or form body, decompressed within the same limit (a form's parameters are
 * signed in their decoded form; upstreams expect plain JSON, as the express body parser gave them).
 */
export async function decodeContent(bytes: Buffer, encoding: string, limit: number): Promise<DecodedBody> {
  const name = encoding.trim().toLowerCase();
  if (name === 'identity') return { ok: true, bytes };
  const decode = decoders[name];
  if (!decode)
    return { ok: false, status: 415, message: `Unsupported Content-Encoding "${name}": send gzip, deflate or br.` };
  try {
    return { ok: true, bytes: await decode(bytes, { maxOutputLength: limit }) };
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      ? { ok: false, status: 413, message: 'The request body is too large once decompressed.' }
      : { ok: false, status: 400, message: `The request body is not valid ${name} data.` };
  }
}
