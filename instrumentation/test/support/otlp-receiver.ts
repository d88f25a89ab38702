import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeTraces, type DecodedSpan } from './otlp-proto.decoder.ts';

/**
 * A tiny OTLP/HTTP receiver on 127.0.0.1 (port 0): POST /v1/traces with protobuf (optionally
 * gzipped) bodies, as the real OTLP exporter sends them from a child process under test.
 */
export interface OtlpReceiver {
  readonly url: string;
  readonly spans: DecodedSpan[];
  /** The headers of each export request received. */
  readonly headers: Record<string, string | string[] | undefined>[];
  /** Resolves when `predicate` holds for the received spans (rejects after `timeoutMs`). */
  waitFor(predicate: (spans: DecodedSpan[]) => boolean, timeoutMs?: number): Promise<DecodedSpan[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: DecodedSpan[] = [];
  const headers: Record<string, string | string[] | undefined>[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/traces') {
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        return;
      }
      headers.push(req.headers);
      let body = Buffer.concat(parts);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      spans.push(...decodeTraces(body));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    spans,
    headers,
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(spans)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(spans);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for spans; got ${spans.map((s) => s.name).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
