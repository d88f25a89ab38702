/**
 * Ingest benchmark (issue 3): OTLP protobuf over loopback into rows on disk (otel_traces with every
 * view below it: genai_calls, workflow_runs, rollups), beside the raw insert rate of the same rows
 * into the same tables through @clickhouse/client, in one run, embedded ClickHouse.
 *
 *   npm run bench:ingest
 *   KAIZEN_BENCH_GENAI_SPANS=40960 KAIZEN_BENCH_PLAIN_SPANS=102400 npm run bench:ingest
 *
 * For each kind (GenAI spans with ~1.3 kB of message content, plain HTTP spans):
 *   raw     the collector's own rows (decoded beforehand), inserted with the collector's statement,
 *           batch size and settings (a fresh deduplication token per batch), one insert at a time
 *   objects the same rows as objects through storage.insert (JSONEachRow from objects)
 *   e2e     a worker thread posts OTLP protobuf requests of 512 spans (the SDK's batch size) over
 *           keep-alive loopback, 64 at a time (KAIZEN_BENCH_CONCURRENCY), to a running collector;
 *           timed from the first request to the last acknowledgement (an acknowledgement means the
 *           rows are in ClickHouse, so an insert holds at most what those 64 requests carry)
 *   decode  the protobuf → row decoder alone, on the main thread
 * Targets (PRODUCT.md): e2e ≥ 0.7 × raw; ≥ 20k GenAI spans/s and ≥ 40k plain spans/s on 2 cores.
 * Writes .bench/ingest.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  loadConfig,
  openStorage,
  prepareStore,
  sql,
  T,
  UNSAFE_rawSql,
  type KaizenConfig,
  type Storage,
} from '@kaizen/clickhouse';
import { decodeExport, DEFAULT_WRITER_OPTIONS, Redactor, startCollector } from '@kaizen/collector';
import { pino } from 'pino';

const GENAI_SPANS = Number(process.env['KAIZEN_BENCH_GENAI_SPANS'] ?? 40_960);
const PLAIN_SPANS = Number(process.env['KAIZEN_BENCH_PLAIN_SPANS'] ?? 102_400);
const CONCURRENCY = Number(process.env['KAIZEN_BENCH_CONCURRENCY'] ?? 64);
const WRITER = JSON.parse(process.env['KAIZEN_BENCH_WRITER'] ?? '{}') as Record<string, number>;
const PER_REQUEST = 512;
/** The collector's batch limits; the raw inserts use the same. */
const LIMITS = { ...DEFAULT_WRITER_OPTIONS, ...WRITER };
const DISTINCT_BODIES = 16;
const out = (line: string) => process.stdout.write(`${line}\n`);

const WORDS =
  'the customer asks about a refund for order number and wants to know when the money arrives please summarise the ticket history politely'.split(
    ' ',
  );
function text(n: number, seed: number): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${WORDS[(seed * 31 + i * 7) % WORDS.length]} `;
  return s.slice(0, n);
}

type Kind = 'genai' | 'plain';

/** OTLP protobuf bodies of 512 spans each, made by the real SDK and serialiser. */
function makeBodies(kind: Kind): Uint8Array[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': `bench-${kind}`,
      'service.version': '3.2.1',
      'deployment.environment.name': 'production',
      'host.name': 'web-7d9f8c-x2k4q',
      'process.pid': 4242,
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer(
    kind === 'genai' ? '@kaizen/instrumentation-openai' : '@opentelemetry/instrumentation-http',
    '0.1.0',
  );
  const bodies: Uint8Array[] = [];
  for (let b = 0; b < DISTINCT_BODIES; b++) {
    memory.reset();
    for (let i = 0; i < PER_REQUEST; i++) {
      const seed = b * PER_REQUEST + i;
      if (kind === 'genai') {
        const span = tracer.startSpan('chat gpt-4o-mini', {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
            'gen_ai.response.id': `chatcmpl-${seed}`,
            'gen_ai.request.temperature': 0.2,
            'gen_ai.request.max_tokens': 1024,
            'gen_ai.usage.input_tokens': 812 + (seed % 50),
            'gen_ai.usage.output_tokens': 95 + (seed % 20),
            'gen_ai.usage.cache_read.input_tokens': seed % 4 === 0 ? 512 : 0,
            'gen_ai.response.finish_reasons': ['stop'],
            'server.address': 'api.openai.com',
            'kaizen.workflow.name': `support-${seed % 12}`,
            'gen_ai.input.messages': JSON.stringify([
              { role: 'system', parts: [{ type: 'text', content: text(300, 1) }] },
              { role: 'user', parts: [{ type: 'text', content: text(700, seed) }] },
            ]),
            'gen_ai.output.messages': JSON.stringify([
              { role: 'assistant', parts: [{ type: 'text', content: text(300, seed + 7) }], finish_reason: 'stop' },
            ]),
          },
        });
        span.end();
      } else {
        const span = tracer.startSpan('GET /api/orders/:id', {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': 'GET',
            'url.path': `/api/orders/${seed}`,
            'url.scheme': 'https',
            'http.route': '/api/orders/:id',
            'http.response.status_code': seed % 50 === 0 ? 500 : 200,
            'server.address': 'shop.example.com',
            'server.port': 443,
            'network.protocol.version': '1.1',
            'client.address': `10.0.${seed % 200}.${seed % 250}`,
            'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
          },
        });
        if (seed % 50 === 0) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    }
    const body = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans());
    if (!body) throw new Error('the serialiser returned nothing');
    bodies.push(body);
  }
  return bodies;
}

/** The insert the collector makes, with a fresh token (one batch = one ClickHouse insert). */
async function insertText(
  storage: Storage,
  body: string,
  token: string,
  table = storage.table(T.otelTraces).text,
): Promise<void> {
  const { Readable } = await import('node:stream');
  const query =
    `INSERT INTO ${table} SETTINGS insert_deduplicate = 1, insert_deduplication_token = '${token}', ` +
    `deduplicate_blocks_in_dependent_materialized_views = 1, materialized_views_ignore_errors = 1, ` +
    `throw_on_max_partitions_per_insert_block = 0, async_insert = 0 FORMAT JSONEachRow`;
  const rs = await storage.client.exec({ query, values: Readable.from([body]) });
  rs.stream.resume();
  await new Promise((r) => rs.stream.once('close', r));
}

/** Groups row lines into batches the way the collector's writer does (rows and bytes limits). */
function batches(rows: readonly string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const r of rows) {
    if (cur.length > 0 && (cur.length >= LIMITS.maxBatchRows || bytes + r.length > LIMITS.maxBatchBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += r.length + 1;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

async function countRows(storage: Storage): Promise<number> {
  const [r] = await storage.query<{ n: string }>(sql`SELECT count() AS n FROM ${storage.table(T.otelTraces)}`);
  return Number(r?.n);
}

interface KindResult {
  kind: Kind;
  spans: number;
  avgSpanBytes: number;
  rawRowsPerSec: number;
  rawParallelRowsPerSec: number;
  bareRowsPerSec: number;
  objectRowsPerSec: number;
  e2eSpansPerSec: number;
  e2eMBPerSec: number;
  ratio: number;
  decodeSpansPerSec: number;
  decodeNoRedactionSpansPerSec: number;
  retries: number;
  collectorBatches: number;
}

async function runKind(storage: Storage, config: KaizenConfig, kind: Kind): Promise<KindResult> {
  const spans = kind === 'genai' ? GENAI_SPANS : PLAIN_SPANS;
  const requests = Math.ceil(spans / PER_REQUEST);
  const bodies = makeBodies(kind);
  const redactor = new Redactor();
  const avgSpanBytes = bodies.reduce((a, b) => a + b.length, 0) / (bodies.length * PER_REQUEST);

  // decode only
  let t = performance.now();
  const rowsPerBody = bodies.map((b) =>
    decodeExport('traces', 'protobuf', Buffer.from(b), redactor).rows.split('\n').filter(Boolean),
  );
  for (let i = 0; i < 3; i++) for (const b of bodies) decodeExport('traces', 'protobuf', Buffer.from(b), redactor);
  const decodeSpansPerSec = (4 * bodies.length * PER_REQUEST) / ((performance.now() - t) / 1000);
  const plainRedactor = new Redactor({ secrets: false });
  t = performance.now();
  for (let i = 0; i < 3; i++) for (const b of bodies) decodeExport('traces', 'protobuf', Buffer.from(b), plainRedactor);
  const decodeNoRedactionSpansPerSec = (3 * bodies.length * PER_REQUEST) / ((performance.now() - t) / 1000);

  const allRows: string[] = [];
  for (let i = 0; i < requests; i++) allRows.push(...(rowsPerBody[i % bodies.length] as string[]));

  // raw insert of the same rows, same statement and batch sizes
  const rawBatches = batches(allRows).map((b) => `${b.join('\n')}\n`);
  await insertText(storage, rawBatches[0] ?? '', `bench-warm-${kind}-${Date.now()}`);
  t = performance.now();
  for (const [i, b] of rawBatches.entries()) await insertText(storage, b, `bench-raw-${kind}-${Date.now()}-${i}`);
  const rawRowsPerSec = allRows.length / ((performance.now() - t) / 1000);

  // the same, two inserts at a time (the collector's default concurrency)
  t = performance.now();
  let nextBatch = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (nextBatch < rawBatches.length) {
        const i = nextBatch++;
        await insertText(storage, rawBatches[i] as string, `bench-raw2-${kind}-${Date.now()}-${i}`);
      }
    }),
  );
  const rawParallelRowsPerSec = allRows.length / ((performance.now() - t) / 1000);

  // the same rows into a copy of otel_traces without the views below it: what the views cost
  const bare = `${storage.database}.bench_bare_${kind}`;
  await storage.command(UNSAFE_rawSql(`CREATE TABLE IF NOT EXISTS ${bare} AS ${storage.table(T.otelTraces).text}`));
  t = performance.now();
  for (const [i, b] of rawBatches.entries())
    await insertText(storage, b, `bench-bare-${kind}-${Date.now()}-${i}`, bare);
  const bareRowsPerSec = allRows.length / ((performance.now() - t) / 1000);

  // the same rows as objects through storage.insert
  const objectBatches = batches(allRows).map((b) => b.map((r) => JSON.parse(r) as object));
  t = performance.now();
  for (const [i, b] of objectBatches.entries())
    await storage.insert(T.otelTraces, b, { dedupToken: `bench-obj-${kind}-${Date.now()}-${i}` });
  const objectRowsPerSec = allRows.length / ((performance.now() - t) / 1000);

  // end to end
  const spoolDir = mkdtempSync(join(tmpdir(), 'kaizen-bench-spool-'));
  const collector = await startCollector({
    storage,
    config,
    httpPort: 0,
    grpcPort: 0,
    spoolDir,
    logger: pino({ level: 'warn' }),
    writer: WRITER,
  });
  const before = await countRows(storage);
  const e2eStart = performance.now();
  const load = await new Promise<{ ms: number; bytes: number; retries: number }>((resolve, reject) => {
    const w = new Worker(new URL('./otlp-load.worker.ts', import.meta.url), {
      workerData: { url: `http://127.0.0.1:${collector.httpPort}`, bodies, requests, concurrency: CONCURRENCY },
    });
    w.once('message', resolve);
    w.once('error', reject);
  });
  // Rows answered from the spool are on disk but not yet in ClickHouse: the clock stops when they are.
  while (collector.stats().spoolBatches > 0 || collector.stats().mode !== 'direct')
    await new Promise((r) => setTimeout(r, 20));
  const e2eMs = performance.now() - e2eStart;
  const stats = collector.stats();
  const histogram = await collector.registry.getSingleMetric('kaizen_collector_batch_duration_seconds')?.get();
  const sample = (name: string) =>
    (histogram?.values ?? [])
      .filter((v) => (v as { metricName?: string }).metricName === name)
      .reduce((a, v) => a + v.value, 0);
  const collectorBatches = sample('kaizen_collector_batch_duration_seconds_count');
  const insertSeconds = sample('kaizen_collector_batch_duration_seconds_sum');
  await collector.close();
  rmSync(spoolDir, { recursive: true, force: true });
  const stored = (await countRows(storage)) - before;
  if (stored !== requests * PER_REQUEST)
    throw new Error(`e2e stored ${stored} rows, expected ${requests * PER_REQUEST}`);
  out(
    `  ${kind}: ${collectorBatches} inserts, ${(insertSeconds / Math.max(1, collectorBatches)).toFixed(2)} s each on average, ` +
      `${stats.spooled} spans through the spool, ${load.retries} retries`,
  );
  const e2eSpansPerSec = (requests * PER_REQUEST) / (e2eMs / 1000);
  return {
    kind,
    spans: requests * PER_REQUEST,
    avgSpanBytes: Math.round(avgSpanBytes),
    rawRowsPerSec,
    rawParallelRowsPerSec,
    bareRowsPerSec,
    objectRowsPerSec,
    e2eSpansPerSec,
    e2eMBPerSec: load.bytes / 1e6 / (e2eMs / 1000),
    ratio: e2eSpansPerSec / Math.max(rawRowsPerSec, rawParallelRowsPerSec, objectRowsPerSec),
    decodeSpansPerSec,
    decodeNoRedactionSpansPerSec,
    retries: load.retries,
    collectorBatches,
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const dataDir = mkdtempSync(join(tmpdir(), 'kaizen-bench-ingest-'));
  const config = loadConfig({ KAIZEN_DATA_DIR: dataDir, KAIZEN_LOG_LEVEL: 'warn' });
  const storage = await openStorage(config.storage);
  try {
    await prepareStore(storage);
    const results: KindResult[] = [];
    for (const kind of ['genai', 'plain'] as const) {
      out(`… ${kind}`);
      results.push(await runKind(storage, config, kind));
    }
    const loadAfter = loadavg();
    const k = (n: number) => `${(n / 1000).toFixed(1)}k`;
    out('');
    out(
      `Ingest, embedded ClickHouse, ${cpus().length} cores, load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${loadAfter.map((x) => x.toFixed(2)).join(' ')} after`,
    );
    out(
      '| spans | count | bytes/span | raw rows/s (1 / 2 at a time) | objects rows/s | e2e spans/s | e2e MB/s | e2e / best raw | target | e2e inserts | no-view table rows/s | decode-only spans/s (without redaction) |',
    );
    out('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      const target = r.kind === 'genai' ? '≥ 0.7, ≥ 20k/s' : '≥ 0.7, ≥ 40k/s';
      out(
        `| ${r.kind} | ${r.spans} | ${r.avgSpanBytes} | ${k(r.rawRowsPerSec)} / ${k(r.rawParallelRowsPerSec)} | ${k(r.objectRowsPerSec)} | ` +
          `${k(r.e2eSpansPerSec)} | ${r.e2eMBPerSec.toFixed(1)} | ${r.ratio.toFixed(2)} | ${target} | ${r.collectorBatches} | ` +
          `${k(r.bareRowsPerSec)} | ${k(r.decodeSpansPerSec)} (${k(r.decodeNoRedactionSpansPerSec)}) |`,
      );
    }
    mkdirSync('.bench', { recursive: true });
    writeFileSync(
      '.bench/ingest.json',
      `${JSON.stringify({ name: 'ingest', date: new Date().toISOString(), cores: cpus().length, loadBefore, loadAfter, results }, null, 2)}\n`,
    );
  } finally {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
