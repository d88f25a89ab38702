/**
 * The OTLP client of the ingest benchmark, in its own thread so it does not share the collector's
 * event loop: posts protobuf bodies over keep-alive loopback connections, `concurrency` at a time,
 * until `requests` have been acknowledged (honouring Retry-After on 429/503).
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

interface LoadJob {
  readonly url: string;
  readonly bodies: readonly Uint8Array[];
  readonly requests: number;
  readonly concurrency: number;
}

const job = workerData as LoadJob;
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
const target = new URL('/v1/traces', job.url);

function post(body: Uint8Array): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.once('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }),
        );
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

let next = 0;
let bytes = 0;
let retries = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (next < job.requests) {
      const body = job.bodies[next++ % job.bodies.length] as Uint8Array;
      for (;;) {
        const r = await post(body);
        if (r.status === 200) break;
        if (r.status !== 429 && r.status !== 503) throw new Error(`the collector answered ${r.status}`);
        retries++;
        await new Promise((res) => setTimeout(res, r.retryAfter * 1000));
      }
      bytes += body.length;
    }
  }),
);
agent.destroy();
parentPort?.postMessage({ ms: performance.now() - started, bytes, retries });
