/**
 * Expected rows written by hand from what an SDK recorded, following the contrib exporter's rules
 * (independently of the collector's own mapping code): attribute values stringified as pdata's
 * AsString does, kind and status as their Go String() names, Duration in ns, ids in lower-case hex.
 */
import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** A DateTime64(9) as ClickHouse prints it in JSON output. */
export function chTimeText([sec, ns]: HrTime): string {
  const iso = new Date(sec * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(ns).padStart(9, '0')}`;
}

function hrNs([sec, ns]: HrTime): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(ns);
}

/** AsString of an attribute value as the JS SDK sends it (integers as intValue, others as doubleValue). */
export function contribString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return JSON.stringify(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

export function stringMap(attrs: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, contribString(v)]));
}

const KINDS = ['Internal', 'Server', 'Client', 'Producer', 'Consumer']; // @opentelemetry/api SpanKind 0..4
const CODES = ['Unset', 'Ok', 'Error'];

export function expectedSpanRow(s: ReadableSpan): Record<string, unknown> {
  const ctx = s.spanContext();
  return {
    Timestamp: chTimeText(s.startTime),
    TraceId: ctx.traceId,
    SpanId: ctx.spanId,
    ParentSpanId: s.parentSpanContext?.spanId ?? '',
    TraceState: ctx.traceState?.serialize() ?? '',
    SpanName: s.name,
    SpanKind: KINDS[s.kind],
    ServiceName: contribString(s.resource.attributes['service.name']),
    ResourceAttributes: stringMap(s.resource.attributes),
    ScopeName: s.instrumentationScope.name,
    ScopeVersion: s.instrumentationScope.version ?? '',
    SpanAttributes: stringMap(s.attributes),
    Duration: String(hrNs(s.endTime) - hrNs(s.startTime)),
    StatusCode: CODES[s.status.code],
    StatusMessage: s.status.message ?? '',
    'Events.Timestamp': s.events.map((e) => chTimeText(e.time)),
    'Events.Name': s.events.map((e) => e.name),
    'Events.Attributes': s.events.map((e) => stringMap(e.attributes ?? {})),
    'Links.TraceId': s.links.map((l) => l.context.traceId),
    'Links.SpanId': s.links.map((l) => l.context.spanId),
    'Links.TraceState': s.links.map((l) => l.context.traceState?.serialize() ?? ''),
    'Links.Attributes': s.links.map((l) => stringMap(l.attributes ?? {})),
  };
}

export function expectedLogRow(l: ReadableLogRecord): Record<string, unknown> {
  const body = l.body;
  return {
    Timestamp: chTimeText(l.hrTime),
    TraceId: l.spanContext?.traceId ?? '',
    SpanId: l.spanContext?.spanId ?? '',
    TraceFlags: l.spanContext?.traceFlags ?? 0,
    SeverityText: l.severityText ?? '',
    SeverityNumber: l.severityNumber ?? 0,
    ServiceName: contribString(l.resource.attributes['service.name']),
    // A map body is Go JSON with sorted keys; these tests use flat maps of strings.
    Body:
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? JSON.stringify(Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : 1))))
        : contribString(body),
    ResourceSchemaUrl: l.resource.schemaUrl ?? '',
    ResourceAttributes: stringMap(l.resource.attributes),
    ScopeSchemaUrl: l.instrumentationScope.schemaUrl ?? '',
    ScopeName: l.instrumentationScope.name,
    ScopeVersion: l.instrumentationScope.version ?? '',
    ScopeAttributes: {},
    LogAttributes: stringMap(l.attributes),
    EventName: l.eventName ?? '',
  };
}
