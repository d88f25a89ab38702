import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { SpanSpec } from '../../../src/analysis/corpus/span-spec.js';

/**
 * The corpus as real OTLP: span specs turned into ReadableSpans and sent by the official
 * @opentelemetry/exporter-trace-otlp-proto exporter (protobuf over HTTP) to a collector — ours
 * (startCollector) or any other. Used by a test and by `npm run bench:quality`.
 */

function hr(ms: number): [number, number] {
  const secs = Math.floor(ms / 1000);
  return [secs, Math.round((ms - secs * 1000) * 1e6)];
}

function toReadable(s: SpanSpec, resource: Resource): ReadableSpan {
  const ctx = { traceId: s.traceId, spanId: s.spanId, traceFlags: TraceFlags.SAMPLED };
  return {
    name: s.name,
    kind: s.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => ctx,
    ...(s.parentSpanId !== ''
      ? { parentSpanContext: { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: TraceFlags.SAMPLED } }
      : {}),
    startTime: hr(s.startMs),
    endTime: hr(s.startMs + s.durationMs),
    duration: hr(s.durationMs),
    status:
      s.status === 'error' ? { code: SpanStatusCode.ERROR, message: s.statusMessage } : { code: SpanStatusCode.UNSET },
    attributes: s.attributes,
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: { name: s.scope.name, version: s.scope.version },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** Sends spans over OTLP/HTTP protobuf to `endpoint` (e.g. http://127.0.0.1:4318) and waits for every batch. */
export async function sendOtlp(
  endpoint: string,
  spans: readonly SpanSpec[],
  opts: { headers?: Record<string, string>; batch?: number } = {},
): Promise<void> {
  const exporter = new OTLPTraceExporter({
    url: `${endpoint}/v1/traces`,
    headers: opts.headers ?? {},
    timeoutMillis: 30_000,
  });
  const resources = new Map<string, Resource>();
  const readable = spans.map((s) => {
    const key = JSON.stringify(s.resource);
    let r = resources.get(key);
    if (!r) {
      r = resourceFromAttributes(s.resource);
      resources.set(key, r);
    }
    return toReadable(s, r);
  });
  const size = opts.batch ?? 256;
  try {
    for (let i = 0; i < readable.length; i += size) {
      await new Promise<void>((resolve, reject) =>
        exporter.export(readable.slice(i, i + size), (result) =>
          Number(result.code) === 0 ? resolve() : reject(result.error ?? new Error('OTLP export failed')),
        ),
      );
    }
  } finally {
    await exporter.shutdown();
  }
}
