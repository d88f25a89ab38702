/**
 * kill -9 of a collector child process under load, then a restart: every span acknowledged before
 * the kill is stored exactly once. Once with every batch answered from the spool while its insert
 * is still running (the restart replays them: the tokens must keep them from doubling), once in the
 * normal direct mode.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openStorage, p, sql, T, type Storage } from '@kaizen/clickhouse';
import { afterAll, describe, expect, it } from 'vitest';
import { CHILD_COLLECTOR, freePort, requireBuild, startChild, type Child } from './support/child-process.js';
import { hex, traceRequest } from './support/proto-builder.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kaizen-kill9-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startCollectorChild(writer: Record<string, unknown>): Promise<{ child: Child; url: string }> {
  const [http, grpc] = [await freePort(), await freePort()];
  const child = startChild([CHILD_COLLECTOR, JSON.stringify(writer)], {
    KAIZEN_DATA_DIR: dataDir,
    KAIZEN_OTLP_HTTP_PORT: String(http),
    KAIZEN_OTLP_GRPC_PORT: String(grpc),
  });
  await child.waitFor(/^ready \d+ \d+$/m, 120_000);
  return { child, url: `http://127.0.0.1:${http}` };
}

/** Parallel clients posting spans of `service` until the child dies; returns the acknowledged span ids. */
async function loadUntilKilled(url: string, child: Child, service: string, killAfter: number): Promise<string[]> {
  const acked: string[] = [];
  let dead = false;
  const worker = async () => {
    while (!dead) {
      const spans = Array.from({ length: 25 }, () => ({
        traceId: hex(16),
        spanId: hex(8),
        attrs: [
          ['gen_ai.operation.name', { s: 'chat' }],
          ['gen_ai.request.model', { s: 'gpt-4o-mini' }],
          ['gen_ai.provider.name', { s: 'openai' }],
        ] as never,
      }));
      try {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: traceRequest(spans, [['service.name', { s: service }]]),
        });
        await res.arrayBuffer();
        if (res.status === 200) acked.push(...spans.map((s) => s.spanId));
      } catch {
        // the connection died with the process
      }
      if (acked.length >= killAfter && !dead) {
        dead = true;
        child.proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  expect(await child.exited).toBeNull();
  return acked;
}

async function verify(storage: Storage, service: string, acked: readonly string[]) {
  const svc = p.string(service);
  const [r] = await storage.query<{ total: string; distinct: string; present: string; calls: string }>(
    sql`SELECT count() AS total, uniqExact(SpanId) AS distinct,
          countIf(SpanId IN ${p.strings(acked)}) AS present,
          (SELECT count() FROM ${storage.table(T.genaiCalls)} WHERE ServiceName = ${svc}) AS calls
        FROM ${storage.table(T.otelTraces)} WHERE ServiceName = ${svc}`,
  );
  expect(Number(r?.present), `${service}: every acknowledged span is stored`).toBe(acked.length);
  expect(r?.total, `${service}: no span twice`).toBe(r?.distinct);
  expect(r?.calls, `${service}: no model call twice`).toBe(r?.total);
}

describe('kill -9 under load', () => {
  it('keeps every acknowledged span, exactly once, across kills and restarts', async () => {
    requireBuild();
    // 1: every batch is spooled (fsynced) and answered while its insert still runs; killed mid-load.
    const a = await startCollectorChild({ insertTimeoutMs: 0, maxBatchAgeMs: 20, retryIntervalMs: 20 });
    const ackedSpool = await loadUntilKilled(a.url, a.child, 'kill-spool', 1500);
    const left = readdirSync(join(dataDir, 'spool')).filter((f) => f.endsWith('.batch'));
    expect(left.length, 'the killed collector left batches in the spool').toBeGreaterThan(0);
    // 2: a restart replays what the first left in the spool, takes new load in direct mode, is killed again.
    const b = await startCollectorChild({ maxBatchAgeMs: 20 });
    const ackedDirect = await loadUntilKilled(b.url, b.child, 'kill-direct', 1500);
    // 3: a last restart drains the spool, then stops cleanly.
    const c = await startCollectorChild({ maxBatchAgeMs: 20, retryIntervalMs: 20 });
    for (let i = 0; i < 600; i++) {
      const metrics = await (await fetch(`${c.url}/metrics`)).text();
      if (/^kaizen_collector_spool_bytes 0$/m.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    c.child.proc.kill('SIGTERM');
    expect(await c.child.exited).toBe(0);

    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: dataDir }).storage);
    try {
      expect(ackedSpool.length).toBeGreaterThanOrEqual(1500);
      expect(ackedDirect.length).toBeGreaterThanOrEqual(1500);
      await verify(storage, 'kill-spool', ackedSpool);
      await verify(storage, 'kill-direct', ackedDirect);
    } finally {
      await storage.close();
    }
  }, 300_000);
});
