/**
 * Rows of `otel_traces` and `otel_logs`, column for column as the OpenTelemetry Collector Contrib
 * ClickHouse exporter writes them, serialised straight to JSONEachRow lines. Both decoders (protobuf
 * and JSON) fill the small flat records below and call these encoders; no object tree of the request
 * is built on the protobuf path.
 */
import { dateTime64Text, durationText } from './uint64.js';

/** `JSON.stringify` for a string that is already well-formed UTF-16 (both decoders guarantee it). */
export const q = (s: string): string => JSON.stringify(s);

/** A resource, as every row below it repeats it. */
export interface ResourceContext {
  /** The ResourceAttributes map as JSON object text. */
  readonly attributes: string;
  /** AsString of the first `service.name` attribute, '' without one. */
  readonly serviceName: string;
  readonly schemaUrl: string;
}

export interface ScopeContext {
  readonly name: string;
  readonly version: string;
  /** ScopeAttributes as JSON object text (logs only). */
  readonly attributes: string;
  readonly schemaUrl: string;
}

/** Time halves (see uint64.ts). */
export interface NsTime {
  lo: number;
  hi: number;
}

export interface SpanEventRecord {
  time: NsTime;
  name: string;
  attributes: string;
}

export interface SpanLinkRecord {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: string;
}

/** One span's columns, filled field by field in whatever order the wire carries them. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  start: NsTime;
  end: NsTime;
  attributes: string;
  events: SpanEventRecord[];
  links: SpanLinkRecord[];
  statusCode: number;
  statusMessage: string;
}

export interface LogRecordFields {
  time: NsTime;
  observedTime: NsTime;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: string;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

export function newSpanRecord(): SpanRecord {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    start: { lo: 0, hi: 0 },
    end: { lo: 0, hi: 0 },
    attributes: '{}',
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
  };
}

export function newLogRecord(): LogRecordFields {
  return {
    time: { lo: 0, hi: 0 },
    observedTime: { lo: 0, hi: 0 },
    severityNumber: 0,
    severityText: '',
    body: '',
    attributes: '{}',
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
}

/** pdata's SpanKind.String(): unknown values are ''. */
const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
/** pdata's StatusCode.String(). */
const STATUS_CODES = ['Unset', 'Ok', 'Error'];

function spanKindText(kind: number): string {
  return SPAN_KINDS[kind] ?? '';
}

function statusCodeText(code: number): string {
  return STATUS_CODES[code] ?? '';
}

/** Why a span cannot be stored, or undefined when it can. */
export function invalidSpanReason(s: SpanRecord): string | undefined {
  if (s.traceId === '') return 'an empty or all-zero trace id';
  if (s.spanId === '') return 'an empty or all-zero span id';
  if (s.start.hi > 0x7fffffff || s.end.hi > 0x7fffffff) return 'a time past 2262-04-11 (the DateTime64 range)';
  for (const e of s.events) if (e.time.hi > 0x7fffffff) return 'an event time past 2262-04-11';
  return undefined;
}

export function invalidLogReason(r: LogRecordFields): string | undefined {
  if (r.time.hi > 0x7fffffff || r.observedTime.hi > 0x7fffffff) return 'a time past 2262-04-11 (the DateTime64 range)';
  return undefined;
}

/** One otel_traces row as a JSONEachRow line (without the newline). */
export function spanRowJson(r: ResourceContext, sc: ScopeContext, s: SpanRecord): string {
  let evTimes = '';
  let evNames = '';
  let evAttrs = '';
  for (let i = 0; i < s.events.length; i++) {
    const e = s.events[i] as SpanEventRecord;
    const sep = i === 0 ? '' : ',';
    evTimes += `${sep}"${dateTime64Text(e.time.lo, e.time.hi)}"`;
    evNames += sep + q(e.name);
    evAttrs += sep + e.attributes;
  }
  let lkTrace = '';
  let lkSpan = '';
  let lkState = '';
  let lkAttrs = '';
  for (let i = 0; i < s.links.length; i++) {
    const l = s.links[i] as SpanLinkRecord;
    const sep = i === 0 ? '' : ',';
    lkTrace += `${sep}"${l.traceId}"`;
    lkSpan += `${sep}"${l.spanId}"`;
    lkState += sep + q(l.traceState);
    lkAttrs += sep + l.attributes;
  }
  return (
    `{"Timestamp":"${dateTime64Text(s.start.lo, s.start.hi)}","TraceId":"${s.traceId}","SpanId":"${s.spanId}",` +
    `"ParentSpanId":"${s.parentSpanId}","TraceState":${q(s.traceState)},"SpanName":${q(s.name)},` +
    `"SpanKind":"${spanKindText(s.kind)}","ServiceName":${q(r.serviceName)},"ResourceAttributes":${r.attributes},` +
    `"ScopeName":${q(sc.name)},"ScopeVersion":${q(sc.version)},"SpanAttributes":${s.attributes},` +
    `"Duration":"${durationText(s.start.lo, s.start.hi, s.end.lo, s.end.hi)}","StatusCode":"${statusCodeText(s.statusCode)}",` +
    `"StatusMessage":${q(s.statusMessage)},"Events.Timestamp":[${evTimes}],"Events.Name":[${evNames}],` +
    `"Events.Attributes":[${evAttrs}],"Links.TraceId":[${lkTrace}],"Links.SpanId":[${lkSpan}],` +
    `"Links.TraceState":[${lkState}],"Links.Attributes":[${lkAttrs}]}`
  );
}

/** One otel_logs row as a JSONEachRow line. The exporter uses the observed time when the time is 0. */
export function logRowJson(r: ResourceContext, sc: ScopeContext, l: LogRecordFields): string {
  const t = l.time.lo === 0 && l.time.hi === 0 ? l.observedTime : l.time;
  return (
    `{"Timestamp":"${dateTime64Text(t.lo, t.hi)}","TraceId":"${l.traceId}","SpanId":"${l.spanId}",` +
    `"TraceFlags":${l.flags & 0xff},"SeverityText":${q(l.severityText)},"SeverityNumber":${l.severityNumber & 0xff},` +
    `"ServiceName":${q(r.serviceName)},"Body":${q(l.body)},"ResourceSchemaUrl":${q(r.schemaUrl)},` +
    `"ResourceAttributes":${r.attributes},"ScopeSchemaUrl":${q(sc.schemaUrl)},"ScopeName":${q(sc.name)},` +
    `"ScopeVersion":${q(sc.version)},"ScopeAttributes":${sc.attributes},"LogAttributes":${l.attributes},` +
    `"EventName":${q(l.eventName)}}`
  );
}
