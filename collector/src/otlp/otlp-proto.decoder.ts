/**
 * OTLP protobuf → otel_traces / otel_logs rows, in one pass per message and without building the
 * request as objects: each span or log record fills a flat record, which becomes a JSONEachRow line.
 * Messages whose fields may arrive in any order (a resource after its spans) are read in two steps:
 * the ranges of repeated children are noted, the context is read, then the children.
 */
import {
  invalidLogReason,
  invalidSpanReason,
  logRowJson,
  newLogRecord,
  newSpanRecord,
  q,
  type NsTime,
  type ResourceContext,
  type ScopeContext,
  type SpanEventRecord,
  type SpanLinkRecord,
  type SpanRecord,
  spanRowJson,
} from '../mapping/rows.js';
import type { Redactor } from '../redaction/redactor.js';
import { anyValueAsString } from './any-value.proto.js';
import type { DecodedBatch } from './decoded-batch.js';
import { ProtoReader, WT_I32, WT_I64, WT_LEN, WT_VARINT } from './proto-reader.js';
import { RejectionTally } from './rejection-tally.js';

/** Reads one KeyValue ending at `stop`; returns its key and sets `lastValue` to AsString of its value. */
let lastValue = '';
function readKeyValue(r: ProtoReader, stop: number): string {
  let key = '';
  lastValue = '';
  while (r.pos < stop) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WT_LEN, 'KeyValue.key');
      key = r.string();
    } else if (field === 2) {
      r.expect(tag, WT_LEN, 'KeyValue.value');
      lastValue = anyValueAsString(r, r.lenEnd());
    } else r.skip(tag);
  }
  r.pos = stop;
  return key;
}

/** A JSON object entry `"key":"value"` for one KeyValue, the value redacted. */
function attributeEntry(r: ProtoReader, redactor: Redactor): string {
  const key = readKeyValue(r, r.lenEnd());
  return `${q(key)}:${q(redactor.attribute(key, lastValue))}`;
}

function appendEntry(map: string, entry: string): string {
  return map === '' ? entry : `${map},${entry}`;
}

function readResource(r: ProtoReader, stop: number, redactor: Redactor, schemaUrl: string): ResourceContext {
  let attrs = '';
  let serviceName: string | undefined;
  while (r.pos < stop) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WT_LEN, 'Resource.attributes');
      const key = readKeyValue(r, r.lenEnd());
      const value = redactor.attribute(key, lastValue);
      if (serviceName === undefined && key === 'service.name') serviceName = value;
      attrs = appendEntry(attrs, `${q(key)}:${q(value)}`);
    } else r.skip(tag);
  }
  r.pos = stop;
  return { attributes: `{${attrs}}`, serviceName: serviceName ?? '', schemaUrl };
}

function readScope(r: ProtoReader, stop: number, redactor: Redactor, schemaUrl: string, withAttributes: boolean) {
  let name = '';
  let version = '';
  let attrs = '';
  while (r.pos < stop) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WT_LEN, 'InstrumentationScope.name');
      name = r.string();
    } else if (field === 2) {
      r.expect(tag, WT_LEN, 'InstrumentationScope.version');
      version = r.string();
    } else if (field === 3 && withAttributes) {
      r.expect(tag, WT_LEN, 'InstrumentationScope.attributes');
      attrs = appendEntry(attrs, attributeEntry(r, redactor));
    } else r.skip(tag);
  }
  r.pos = stop;
  return { name, version, attributes: `{${attrs}}`, schemaUrl } satisfies ScopeContext;
}

const EMPTY_RESOURCE: ResourceContext = { attributes: '{}', serviceName: '', schemaUrl: '' };
const EMPTY_SCOPE: ScopeContext = { name: '', version: '', attributes: '{}', schemaUrl: '' };

/**
 * Walks `repeated Outer { Context context = 1; repeated Child children = 2; string schema_url = 3 }`
 * (ResourceSpans, ScopeSpans, ResourceLogs, ScopeLogs alike): finds the context and schema URL
 * wherever they are, then hands each child's range to `child`.
 */
function forEachChild<C>(
  r: ProtoReader,
  stop: number,
  what: string,
  readContext: (stop: number, schemaUrl: string) => C,
  empty: C,
  child: (ctx: C, stop: number) => void,
): void {
  const start = r.pos;
  let ctxStart = -1;
  let ctxEnd = -1;
  let schemaUrl = '';
  const children: number[] = [];
  while (r.pos < stop) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 1) {
      r.expect(tag, WT_LEN, `${what}.1`);
      ctxEnd = r.lenEnd();
      ctxStart = r.pos;
      r.pos = ctxEnd;
    } else if (field === 2) {
      r.expect(tag, WT_LEN, `${what}.2`);
      const end = r.lenEnd();
      children.push(r.pos, end);
      r.pos = end;
    } else if (field === 3) {
      r.expect(tag, WT_LEN, `${what}.schema_url`);
      schemaUrl = r.string();
    } else r.skip(tag);
  }
  let ctx = empty;
  if (ctxStart >= 0) {
    r.pos = ctxStart;
    ctx = readContext(ctxEnd, schemaUrl);
  } else if (schemaUrl !== '') {
    r.pos = start;
    ctx = readContext(start, schemaUrl);
  }
  for (let i = 0; i < children.length; i += 2) {
    r.pos = children[i] as number;
    child(ctx, children[i + 1] as number);
  }
  r.pos = stop;
}

function readTime(r: ProtoReader, t: NsTime): void {
  r.fixed64();
  t.lo = r.lo;
  t.hi = r.hi;
}

function readEvent(r: ProtoReader, stop: number, redactor: Redactor): SpanEventRecord {
  const e: SpanEventRecord = { time: { lo: 0, hi: 0 }, name: '', attributes: '' };
  let attrs = '';
  while (r.pos < stop) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WT_I64, 'Event.time_unix_nano');
        readTime(r, e.time);
        break;
      case 2:
        r.expect(tag, WT_LEN, 'Event.name');
        e.name = r.string();
        break;
      case 3:
        r.expect(tag, WT_LEN, 'Event.attributes');
        attrs = appendEntry(attrs, attributeEntry(r, redactor));
        break;
      default:
        r.skip(tag);
    }
  }
  r.pos = stop;
  e.attributes = `{${attrs}}`;
  return e;
}

function readLink(r: ProtoReader, stop: number, redactor: Redactor): SpanLinkRecord {
  const l: SpanLinkRecord = { traceId: '', spanId: '', traceState: '', attributes: '' };
  let attrs = '';
  while (r.pos < stop) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WT_LEN, 'Link.trace_id');
        l.traceId = r.id(16, 'link trace_id');
        break;
      case 2:
        r.expect(tag, WT_LEN, 'Link.span_id');
        l.spanId = r.id(8, 'link span_id');
        break;
      case 3:
        r.expect(tag, WT_LEN, 'Link.trace_state');
        l.traceState = r.string();
        break;
      case 4:
        r.expect(tag, WT_LEN, 'Link.attributes');
        attrs = appendEntry(attrs, attributeEntry(r, redactor));
        break;
      default:
        r.skip(tag);
    }
  }
  r.pos = stop;
  l.attributes = `{${attrs}}`;
  return l;
}

function readStatus(r: ProtoReader, stop: number, s: SpanRecord, redactor: Redactor): void {
  while (r.pos < stop) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === 2) {
      r.expect(tag, WT_LEN, 'Status.message');
      s.statusMessage = redactor.text(r.string());
    } else if (field === 3) {
      r.expect(tag, WT_VARINT, 'Status.code');
      s.statusCode = r.uint32() | 0;
    } else r.skip(tag);
  }
  r.pos = stop;
}

function readSpan(r: ProtoReader, stop: number, redactor: Redactor): SpanRecord {
  const s = newSpanRecord();
  let attrs = '';
  while (r.pos < stop) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WT_LEN, 'Span.trace_id');
        s.traceId = r.id(16, 'trace_id');
        break;
      case 2:
        r.expect(tag, WT_LEN, 'Span.span_id');
        s.spanId = r.id(8, 'span_id');
        break;
      case 3:
        r.expect(tag, WT_LEN, 'Span.trace_state');
        s.traceState = r.string();
        break;
      case 4:
        r.expect(tag, WT_LEN, 'Span.parent_span_id');
        s.parentSpanId = r.id(8, 'parent_span_id');
        break;
      case 5:
        r.expect(tag, WT_LEN, 'Span.name');
        s.name = r.string();
        break;
      case 6:
        r.expect(tag, WT_VARINT, 'Span.kind');
        s.kind = r.uint32() | 0;
        break;
      case 7:
        r.expect(tag, WT_I64, 'Span.start_time_unix_nano');
        readTime(r, s.start);
        break;
      case 8:
        r.expect(tag, WT_I64, 'Span.end_time_unix_nano');
        readTime(r, s.end);
        break;
      case 9:
        r.expect(tag, WT_LEN, 'Span.attributes');
        attrs = appendEntry(attrs, attributeEntry(r, redactor));
        break;
      case 11:
        r.expect(tag, WT_LEN, 'Span.events');
        s.events.push(readEvent(r, r.lenEnd(), redactor));
        break;
      case 13:
        r.expect(tag, WT_LEN, 'Span.links');
        s.links.push(readLink(r, r.lenEnd(), redactor));
        break;
      case 15:
        r.expect(tag, WT_LEN, 'Span.status');
        readStatus(r, r.lenEnd(), s, redactor);
        break;
      case 16:
        r.expect(tag, WT_I32, 'Span.flags');
        r.fixed32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.pos = stop;
  s.attributes = `{${attrs}}`;
  return s;
}

function readLogRecord(r: ProtoReader, stop: number, redactor: Redactor) {
  const l = newLogRecord();
  let attrs = '';
  while (r.pos < stop) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1:
        r.expect(tag, WT_I64, 'LogRecord.time_unix_nano');
        readTime(r, l.time);
        break;
      case 11:
        r.expect(tag, WT_I64, 'LogRecord.observed_time_unix_nano');
        readTime(r, l.observedTime);
        break;
      case 2:
        r.expect(tag, WT_VARINT, 'LogRecord.severity_number');
        l.severityNumber = r.uint32();
        break;
      case 3:
        r.expect(tag, WT_LEN, 'LogRecord.severity_text');
        l.severityText = r.string();
        break;
      case 5:
        r.expect(tag, WT_LEN, 'LogRecord.body');
        l.body = redactor.text(anyValueAsString(r, r.lenEnd()));
        break;
      case 6:
        r.expect(tag, WT_LEN, 'LogRecord.attributes');
        attrs = appendEntry(attrs, attributeEntry(r, redactor));
        break;
      case 8:
        r.expect(tag, WT_I32, 'LogRecord.flags');
        l.flags = r.fixed32();
        break;
      case 9:
        r.expect(tag, WT_LEN, 'LogRecord.trace_id');
        l.traceId = r.id(16, 'trace_id');
        break;
      case 10:
        r.expect(tag, WT_LEN, 'LogRecord.span_id');
        l.spanId = r.id(8, 'span_id');
        break;
      case 12:
        r.expect(tag, WT_LEN, 'LogRecord.event_name');
        l.eventName = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.pos = stop;
  l.attributes = `{${attrs}}`;
  return l;
}

function decodeTop(body: Uint8Array, what: string, each: (r: ProtoReader, stop: number) => void): void {
  const r = ProtoReader.of(body);
  while (!r.done) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WT_LEN, what);
      const stop = r.lenEnd();
      each(r, stop);
      r.pos = stop;
    } else r.skip(tag);
  }
}

/** ExportTraceServiceRequest (protobuf) → otel_traces rows. Throws OtlpDecodeError. */
export function decodeTracesProto(body: Uint8Array, redactor: Redactor): DecodedBatch {
  const rows: string[] = [];
  const tally = new RejectionTally('spans');
  decodeTop(body, 'resource_spans', (r, stop) =>
    forEachChild(
      r,
      stop,
      'ResourceSpans',
      (end, url) => readResource(r, end, redactor, url),
      EMPTY_RESOURCE,
      (res, rsEnd) =>
        forEachChild(
          r,
          rsEnd,
          'ScopeSpans',
          (end, url) => readScope(r, end, redactor, url, false),
          EMPTY_SCOPE,
          (scope, ssEnd) => {
            const span = readSpan(r, ssEnd, redactor);
            const reason = invalidSpanReason(span);
            if (reason === undefined) rows.push(spanRowJson(res, scope, span));
            else tally.reject(reason);
          },
        ),
    ),
  );
  return tally.batch('traces', rows);
}

/** ExportLogsServiceRequest (protobuf) → otel_logs rows. Throws OtlpDecodeError. */
export function decodeLogsProto(body: Uint8Array, redactor: Redactor): DecodedBatch {
  const rows: string[] = [];
  const tally = new RejectionTally('log records');
  decodeTop(body, 'resource_logs', (r, stop) =>
    forEachChild(
      r,
      stop,
      'ResourceLogs',
      (end, url) => readResource(r, end, redactor, url),
      EMPTY_RESOURCE,
      (res, rlEnd) =>
        forEachChild(
          r,
          rlEnd,
          'ScopeLogs',
          (end, url) => readScope(r, end, redactor, url, true),
          EMPTY_SCOPE,
          (scope, slEnd) => {
            const rec = readLogRecord(r, slEnd, redactor);
            const reason = invalidLogReason(rec);
            if (reason === undefined) rows.push(logRowJson(res, scope, rec));
            else tally.reject(reason);
          },
        ),
    ),
  );
  return tally.batch('logs', rows);
}
