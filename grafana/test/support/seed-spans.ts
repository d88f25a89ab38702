import { context, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type IdGenerator } from '@opentelemetry/sdk-trace';
import { p, sql, T, type KaizenConfig, type Storage } from '@kaizen/clickhouse';
import { startCollector } from '@kaizen/collector';
import { pino } from 'pino';
import type { SeedData, SeedSpan } from './seed-data.js';

/**
 * How the dashboard tests put spans in the store: the real OpenTelemetry SDK and OTLP/HTTP protobuf
 * exporter send them to Kaizen's real collector, which writes otel_traces; the genai_calls,
 * workflow_runs and rollup views fill themselves from there, as in production.
 */
export const SEEDING = 'through the OTLP exporter and the collector';

const hr = (ms: number): HrTime => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];

/** Hands out the seed's own ids, so the spans keep the trace and span ids the tests expect. */
class PlannedIds implements IdGenerator {
  readonly traceIds: string[] = [];
  readonly spanIds: string[] = [];
  generateTraceId(): string {
    const id = this.traceIds.shift();
    if (!id) throw new Error('no planned trace id left');
    return id;
  }
  generateSpanId(): string {
    const id = this.spanIds.shift();
    if (!id) throw new Error('no planned span id left');
    return id;
  }
}

/** Sends the spans with the OpenTelemetry SDK and the OTLP/HTTP protobuf exporter to `url`. */
export async function exportSpans(url: string, data: SeedData): Promise<void> {
  const groups = new Map<string, SeedSpan[]>();
  for (const s of data.spans) {
    const key = `${s.service}\u0000${s.version}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const spans of groups.values()) {
    const first = spans[0]!;
    const ids = new PlannedIds();
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': first.service, 'service.version': first.version }),
      idGenerator: ids,
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), maxExportBatchSize: 512 })],
    });
    const tracer = provider.getTracer('@kaizen/instrumentation-openai', '0.1.0');
    for (const root of spans.filter((s) => s.parentSpanId === '')) {
      ids.traceIds.push(root.traceId);
      ids.spanIds.push(root.spanId);
      const rootSpan = tracer.startSpan(root.name, {
        kind: SpanKind.INTERNAL,
        startTime: hr(root.startMs),
        attributes: root.attributes,
      });
      const ctx = trace.setSpan(context.active(), rootSpan);
      for (const s of spans.filter((c) => c.traceId === root.traceId && c.parentSpanId === root.spanId)) {
        ids.spanIds.push(s.spanId);
        const span = tracer.startSpan(
          s.name,
          { kind: SpanKind.CLIENT, startTime: hr(s.startMs), attributes: s.attributes },
          ctx,
        );
        if (s.error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'overloaded' });
        span.end(hr(s.startMs + s.durationMs));
      }
      rootSpan.end(hr(root.startMs + root.durationMs));
    }
    await provider.forceFlush();
    await provider.shutdown();
  }
}

/** Seeds `storage` through a collector on a free port, and waits until every span is stored. */
export async function seedSpans(storage: Storage, data: SeedData, config: KaizenConfig): Promise<void> {
  const collector = await startCollector({
    storage,
    config,
    logger: pino({ level: 'silent' }),
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
    writer: { maxBatchAgeMs: 20 },
  });
  try {
    await exportSpans(`http://127.0.0.1:${collector.httpPort}/v1/traces`, data);
    const want = data.spans.length;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await storage.query<{ n: string }>(
        sql`SELECT count() AS n FROM ${storage.table(T.otelTraces)} WHERE has(${p.strings(data.runs.map((r) => r.traceId))}, TraceId)`,
      );
      if (Number(row!.n) >= want) break;
      if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${want} spans reached otel_traces`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await collector.close();
  }
}
