import { T, type OtelTraceRow, type Storage } from '@kaizen/clickhouse';
import type { SpanSpec } from './span-spec.js';

/**
 * The fast sink: spans as otel_traces rows, exactly as the OpenTelemetry Collector Contrib
 * ClickHouse exporter writes them (attribute values as strings, nanosecond times as
 * "seconds.nanoseconds", kind and status names), inserted directly; the genai_calls and
 * workflow_runs views fill from them as they would from any collector.
 */

/** Milliseconds (fractional) → "seconds.nanoseconds". */
function nsText(ms: number): string {
  const whole = Math.floor(ms);
  const totalNs = BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
  return `${totalNs / 1_000_000_000n}.${String(totalNs % 1_000_000_000n).padStart(9, '0')}`;
}

export function toOtelTraceRow(s: SpanSpec): OtelTraceRow {
  return {
    Timestamp: nsText(s.startMs),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parentSpanId,
    TraceState: '',
    SpanName: s.name,
    SpanKind: s.kind === 'client' ? 'Client' : 'Internal',
    ServiceName: s.resource['service.name'] ?? '',
    ResourceAttributes: { ...s.resource },
    ScopeName: s.scope.name,
    ScopeVersion: s.scope.version,
    SpanAttributes: Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, String(v)])),
    Duration: String(Math.round(s.durationMs * 1e6)),
    StatusCode: s.status === 'error' ? 'Error' : 'Unset',
    StatusMessage: s.statusMessage,
    'Events.Timestamp': [],
    'Events.Name': [],
    'Events.Attributes': [],
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
  };
}

/** Inserts spans into otel_traces in batches. */
export async function insertSpanRows(storage: Storage, spans: readonly SpanSpec[], batch = 5000): Promise<void> {
  for (let i = 0; i < spans.length; i += batch) {
    await storage.insert(T.otelTraces, spans.slice(i, i + batch).map(toOtelTraceRow), { tag: 'corpus-rows' });
  }
}
