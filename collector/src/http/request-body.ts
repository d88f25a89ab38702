import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

/** The body (or what it inflates to) is larger than the limit: HTTP 413. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The body could not be read or inflated (a broken gzip stream, a dropped connection): HTTP 400. */
export class BodyUnreadableError extends Error {
  override readonly name = 'BodyUnreadableError';
}

/** Reads a request body, refusing it as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(`the request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.once('error', (e) => {
      if (failed) return;
      failed = true;
      reject(new BodyUnreadableError(`the request body could not be read: ${e.message}`));
    });
    req.once('aborted', () => {
      if (failed) return;
      failed = true;
      reject(new BodyUnreadableError('the client aborted the request'));
    });
  });
}

/**
 * Inflates a gzip body without ever holding more than `limit` bytes of output: a gzip bomb stops at
 * the limit (413) instead of filling memory.
 */
export function gunzipLimited(body: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
        return reject(new BodyTooLargeError(`the request body inflates to more than ${limit} bytes`));
      reject(new BodyUnreadableError(`the gzip body could not be inflated: ${err.message}`));
    });
  });
}

/**
 * Lets a refused body drain (so the client can read the answer) up to `limit` bytes, then cuts the
 * connection.
 */
export function discardBody(req: IncomingMessage, limit: number): void {
  if (req.complete) return;
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) req.socket.destroy();
  });
  req.resume();
}
