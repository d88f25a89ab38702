import { randomBytes } from 'node:crypto';
import type { OtelTraceRow } from '../../src/schema/rows.js';

export type { OtelTraceRow };

export const hexId = (bytes: number) => randomBytes(bytes).toString('hex');

/** Nanoseconds since the epoch as the exporter's DateTime64(9) text ("seconds.nanoseconds"). */
export function nsTime(ms: number, extraNs = 0): string {
  const secs = Math.floor(ms / 1000);
  const ns = (ms - secs * 1000) * 1_000_000 + extraNs;
  return `${String(secs).padStart(10, '0')}.${String(ns).padStart(9, '0')}`;
}

export function spanRow(p: Partial<OtelTraceRow> & { SpanAttributes?: Record<string, string> } = {}): OtelTraceRow {
  return {
    Timestamp: nsTime(Date.now()),
    TraceId: hexId(16),
    SpanId: hexId(8),
    ParentSpanId: '',
    TraceState: '',
    SpanName: 'span',
    SpanKind: 'Client',
    ServiceName: 'test-service',
    ResourceAttributes: { 'service.name': p.ServiceName ?? 'test-service' },
    ScopeName: 'test-scope',
    ScopeVersion: '1.0.0',
    SpanAttributes: {},
    Duration: '1000000',
    StatusCode: 'Unset',
    StatusMessage: '',
    'Events.Timestamp': [],
    'Events.Name': [],
    'Events.Attributes': [],
    'Links.TraceId': [],
    'Links.SpanId': [],
    'Links.TraceState': [],
    'Links.Attributes': [],
    ...p,
  };
}

/** A semantic-conventions message list as the instrumentation records it. */
export function messages(...m: [role: string, text: string][]): string {
  return JSON.stringify(m.map(([role, content]) => ({ role, parts: [{ type: 'text', content }] })));
}
