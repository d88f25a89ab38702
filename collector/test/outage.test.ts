/**
 * Nothing acknowledged is lost and nothing is stored twice: ClickHouse closed under the writer in the
 * middle of a load (batches spool, come back in order when a new store opens on the same data), and
 * inserts slower than the timeout (answered from the spool, then inserted AND replayed: the
 * deduplication token must keep otel_traces and every view below it free of duplicates).
 */
import { openStorage, p, sql, T, type Storage } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, traceRequest, type SpanSpec } from './support/proto-builder.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector({}, { writer: { maxBatchAgeMs: 15, maxBatchRows: 200 } });
});
afterAll(async () => {
  await t.close();
});

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

function genaiSpans(service: string, n: number): SpanSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    traceId: hex(16),
    spanId: hex(8),
    name: 'chat gpt-4o-mini',
    kind: 3,
    attrs: [
      ['gen_ai.operation.name', { s: 'chat' }],
      ['gen_ai.provider.name', { s: 'openai' }],
      ['gen_ai.request.model', { s: 'gpt-4o-mini' }],
      ['gen_ai.usage.input_tokens', { i: 100 + i }],
      ['gen_ai.usage.output_tokens', { i: 10 }],
      ['kaizen.test.service', { s: service }],
    ],
  }));
}

/**
 * Posts batches of GenAI spans from `workers` parallel clients until `stop()`; returns acknowledged span
 * ids. With `jitterMs`, each client waits up to that long before each request, so the clients do not
 * march in step with the writer's acknowledgements.
 */
function load(url: string, service: string, workers = 6, perRequest = 20, jitterMs = 0) {
  const acked: string[] = [];
  let stopped = false;
  let refused = 0;
  const run = async () => {
    while (!stopped) {
      if (jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * jitterMs));
      const spans = genaiSpans(service, perRequest);
      const body = traceRequest(spans, [['service.name', { s: service }]]);
      try {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-protobuf' },
        });
        await res.arrayBuffer();
        if (res.status === 200) acked.push(...spans.map((s) => s.spanId ?? ''));
        else refused++;
      } catch {
        refused++;
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, run));
  return {
    acked,
    get refused() {
      return refused;
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

async function verifyExactlyOnce(storage: Storage, service: string, acked: readonly string[]): Promise<void> {
  const q = async (text: ReturnType<typeof sql>) => Number((await storage.query<{ n: string }>(text))[0]?.n);
  const svc = p.string(service);
  const total = await q(sql`SELECT count() AS n FROM ${storage.table(T.otelTraces)} WHERE ServiceName = ${svc}`);
  const distinct = await q(
    sql`SELECT uniqExact(SpanId) AS n FROM ${storage.table(T.otelTraces)} WHERE ServiceName = ${svc}`,
  );
  const present = await q(
    sql`SELECT count() AS n FROM ${storage.table(T.otelTraces)} WHERE ServiceName = ${svc} AND SpanId IN ${p.strings(acked)}`,
  );
  expect(present, 'every acknowledged span is stored').toBe(acked.length);
  expect(total, 'no span is stored twice').toBe(distinct);
  const calls = await q(sql`SELECT count() AS n FROM ${storage.table(T.genaiCalls)} WHERE ServiceName = ${svc}`);
  const callsDistinct = await q(
    sql`SELECT uniqExact(SpanId) AS n FROM ${storage.table(T.genaiCalls)} WHERE ServiceName = ${svc}`,
  );
  expect(calls, 'genai_calls has each model call once').toBe(total);
  expect(callsDistinct).toBe(total);
  const runs = await q(sql`SELECT sum(Calls) AS n FROM ${storage.table(T.workflowRuns)} WHERE ServiceName = ${svc}`);
  expect(runs, 'workflow_runs counts each call once').toBe(total);
  const windows = await q(
    sql`SELECT count() AS n FROM ${storage.table(T.otelTracesTraceIdTs)} WHERE TraceId IN
        (SELECT TraceId FROM ${storage.table(T.otelTraces)} WHERE ServiceName = ${svc})`,
  );
  expect(windows, 'otel_traces_trace_id_ts has one row per (single-span) trace').toBe(total);
}

describe('writer durability', () => {
  it('spools while ClickHouse is closed under the writer, replays in order on a new store, loses and duplicates nothing', async () => {
    const traffic = load(t.httpUrl, 'outage');
    await until('traffic before the outage', () => traffic.acked.length >= 400);
    const original = t.storage as Storage;
    t.storage = undefined; // the writer sees no store from here …
    await original.close(); // … and the engine is really gone
    await until('batches to go to the spool', () => t.collector.stats().spoolBatches >= 5);
    const duringOutage = traffic.acked.length;
    await until('acknowledgements from the spool', () => traffic.acked.length >= duringOutage + 200);
    expect(t.collector.stats().mode).toBe('spooling');
    expect(await metricValue(t.registry, 'kaizen_collector_clickhouse_up')).toBe(0);

    const reopened = await openStorage(t.store.config.storage);
    t.storage = reopened;
    await until('more traffic after the outage', () => traffic.acked.length >= duringOutage + 600);
    await traffic.stop();
    await until(
      'the spool to drain',
      () => t.collector.stats().spoolBatches === 0 && t.collector.stats().mode === 'direct',
    );

    const stats = t.collector.stats();
    expect(stats.spooled).toBeGreaterThan(0);
    expect(stats.replayed).toBe(stats.spooled);
    expect(stats.quarantined).toBe(0);
    expect(await metricValue(t.registry, 'kaizen_collector_replayed_total', { signal: 'traces' })).toBe(stats.replayed);
    expect(await metricValue(t.registry, 'kaizen_collector_clickhouse_up')).toBe(1);
    expect(await metricValue(t.registry, 'kaizen_collector_spool_bytes')).toBe(0);
    await verifyExactlyOnce(reopened, 'outage', traffic.acked);
  });

  it('drains on close: requests in flight are answered, and everything acknowledged is stored', async () => {
    const { startCollector } = await import('../src/index.js');
    const { Registry } = await import('prom-client');
    const { pino } = await import('pino');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const c = await startCollector({
      storage: () => t.storage,
      config: t.store.config,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      spoolDir: mkdtempSync(join(tmpdir(), 'kaizen-spool-')),
      // Long batch age: at close, requests are still waiting in an open batch.
      writer: { maxBatchAgeMs: 5_000 },
    });
    const traffic = load(`http://127.0.0.1:${c.httpPort}`, 'drain', 8, 10);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.stats().queuedItems).toBeGreaterThan(0);
    await c.close();
    await traffic.stop();
    expect(traffic.acked.length).toBeGreaterThan(0);
    expect(c.stats()).toMatchObject({ queuedItems: 0, inflightInserts: 0, spoolBatches: 0 });
    await verifyExactlyOnce(t.storage as Storage, 'drain', traffic.acked);
  });

  it('spools when queued rows pass the memory limit, and replays them folded into large inserts', async () => {
    const { startCollector } = await import('../src/index.js');
    const { Registry } = await import('prom-client');
    const { pino } = await import('pino');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    // Every insert takes at least 150 ms longer, so rows pile up in memory behind it.
    const real = t.storage as Storage;
    const slowClient = Object.create(real.client, {
      exec: {
        value: async (params: Parameters<Storage['client']['exec']>[0]) => {
          await new Promise((r) => setTimeout(r, 150));
          return real.client.exec(params);
        },
      },
    }) as Storage['client'];
    const slowStorage = Object.create(real, { client: { value: slowClient } }) as Storage;
    const c = await startCollector({
      storage: () => slowStorage,
      config: t.store.config,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      spoolDir: mkdtempSync(join(tmpdir(), 'kaizen-spool-')),
      writer: { maxQueueBytes: 32 * 1024, maxBatchAgeMs: 10, maxConcurrentInserts: 1, retryIntervalMs: 20 },
    });
    try {
      // Clients in step with the acknowledgements could all land in one batch per insert, and the
      // memory limit would then never be passed while a batch waits: the jitter spreads them out.
      const traffic = load(`http://127.0.0.1:${c.httpPort}`, 'memory-full', 16, 20, 30);
      await until('traffic', () => traffic.acked.length >= 1500);
      await traffic.stop();
      await until('the spool to drain', () => c.stats().spoolBatches === 0);
      const s = c.stats();
      expect(s.spooled, 'batches went to the spool while memory was full').toBeGreaterThan(0);
      expect(s.replayed).toBe(s.spooled);
      expect(s.replayInserts, 'never-tried batches are replayed several per insert').toBeLessThan(s.spooledBatches);
      await verifyExactlyOnce(t.storage as Storage, 'memory-full', traffic.acked);
    } finally {
      await c.close();
    }
  });

  it('answers slow inserts from the spool, and the replay of an inserted batch adds nothing anywhere', async () => {
    const { startCollector } = await import('../src/index.js');
    const { Registry } = await import('prom-client');
    const { pino } = await import('pino');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const registry = new Registry();
    const slow = await startCollector({
      storage: () => t.storage,
      config: t.store.config,
      registry,
      logger: pino({ level: 'silent' }),
      httpPort: 0,
      grpcPort: 0,
      spoolDir: mkdtempSync(join(tmpdir(), 'kaizen-spool-')),
      // Every insert "times out" at once: its batch is spooled and answered, the insert still lands,
      // then the replay sends the same batch again with the same token.
      writer: { insertTimeoutMs: 0, maxBatchAgeMs: 10, retryIntervalMs: 20 },
    });
    try {
      const traffic = load(`http://127.0.0.1:${slow.httpPort}`, 'slow-inserts', 4, 10);
      await until('traffic', () => traffic.acked.length >= 300);
      await traffic.stop();
      await until('the spool to drain', () => slow.stats().spoolBatches === 0 && slow.stats().mode === 'direct');
      expect(slow.stats().spooled).toBe(traffic.acked.length);
      expect(slow.stats().replayed).toBe(traffic.acked.length);
      await verifyExactlyOnce(t.storage as Storage, 'slow-inserts', traffic.acked);
    } finally {
      await slow.close();
    }
  });
});
