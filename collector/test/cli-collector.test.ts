/**
 * `kaizen collector`, the real CLI in a child process: prints its URLs, stores what it receives,
 * drains and exits 0 on SIGTERM; names the port and its variable when a port is taken, and the
 * holder's PID when the data directory is locked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openStorage, p, sql, T } from '@kaizen/clickhouse';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, KAIZEN_BIN, requireBuild, startChild } from './support/child-process.js';
import { hex, traceRequest } from './support/proto-builder.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kaizen-cli-collector-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function env(dataDir: string) {
  return {
    KAIZEN_DATA_DIR: dataDir,
    KAIZEN_OTLP_HTTP_PORT: String(await freePort()),
    KAIZEN_OTLP_GRPC_PORT: String(await freePort()),
  };
}

describe('kaizen collector', () => {
  it('prints its URLs, stores spans, and drains and exits 0 on SIGTERM', async () => {
    requireBuild();
    const dataDir = tempDir();
    const e = await env(dataDir);
    const child = startChild([KAIZEN_BIN, 'collector'], e);
    await child.waitFor(/Press Ctrl\+C to stop/, 120_000);
    expect(child.stdout).toContain('Kaizen collector is up');
    expect(child.stdout).toContain(`OTLP/HTTP  http://127.0.0.1:${e.KAIZEN_OTLP_HTTP_PORT}`);
    expect(child.stdout).toContain(`OTLP/gRPC  http://127.0.0.1:${e.KAIZEN_OTLP_GRPC_PORT}`);
    expect(child.stdout).toContain(`Metrics    http://127.0.0.1:${e.KAIZEN_OTLP_HTTP_PORT}/metrics`);
    expect(child.stdout).toContain(`Spool      ${join(dataDir, 'spool')}`);

    const traceId = hex(16);
    const res = await fetch(`http://127.0.0.1:${e.KAIZEN_OTLP_HTTP_PORT}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: traceRequest([{ traceId, spanId: hex(8) }], [['service.name', { s: 'cli' }]]),
    });
    expect(res.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${e.KAIZEN_OTLP_HTTP_PORT}/metrics`)).text();
    expect(metrics).toMatch(/kaizen_collector_written_total\{signal="traces"\} 1/);

    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.stdout).toContain('SIGTERM: draining and shutting down');
    expect(child.stdout).toMatch(/Stopped: 1 items written, 0 batches left in the spool\./);

    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: dataDir }).storage);
    try {
      const [r] = await storage.query<{ n: string }>(
        sql`SELECT count() AS n FROM ${storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}`,
      );
      expect(r?.n).toBe('1');
    } finally {
      await storage.close();
    }
  }, 180_000);

  it('names the port and its variable when the port is taken', async () => {
    requireBuild();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    try {
      const e = { ...(await env(tempDir())), KAIZEN_OTLP_GRPC_PORT: String(port) };
      const child = startChild([KAIZEN_BIN, 'collector'], e);
      expect(await child.exited).toBe(1);
      expect(child.stderr).toContain(`Port ${port} is already in use (KAIZEN_OTLP_GRPC_PORT)`);
      const e2 = { ...(await env(tempDir())), KAIZEN_OTLP_HTTP_PORT: String(port) };
      const child2 = startChild([KAIZEN_BIN, 'collector'], e2);
      expect(await child2.exited).toBe(1);
      expect(child2.stderr).toContain(`Port ${port} is already in use (KAIZEN_OTLP_HTTP_PORT)`);
    } finally {
      taken.close();
    }
  }, 180_000);

  it('says which process holds the data directory', async () => {
    requireBuild();
    const dataDir = tempDir();
    const first = startChild([KAIZEN_BIN, 'collector'], await env(dataDir));
    await first.waitFor(/Press Ctrl\+C to stop/, 120_000);
    try {
      const second = startChild([KAIZEN_BIN, 'collector'], await env(dataDir));
      expect(await second.exited).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`locked by another process \\(PID ${first.proc.pid}\\)`));
    } finally {
      first.proc.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }
  }, 180_000);
});
