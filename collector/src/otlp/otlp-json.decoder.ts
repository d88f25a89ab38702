/**
 * OTLP/JSON → the same rows as the protobuf path. The JSON rules of the OTLP specification: ids as
 * hex (any case), 64-bit integers as strings or numbers, enums as integers (names accepted too, as
 * the Collector does), lowerCamelCase keys (snake_case accepted too), unknown fields ignored.
 */
import { BytesValue, goFloat, goJson, Int64Value, RawMap, type RawValue } from '../mapping/go-format.js';
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
  spanRowJson,
} from '../mapping/rows.js';
import { parseInt64, parseUint64 } from '../mapping/uint64.js';
import { int64Text } from '../mapping/uint64.js';
import type { Redactor } from '../redaction/redactor.js';
import { MAX_VALUE_DEPTH } from './any-value.proto.js';
import { OtlpDecodeError, type DecodedBatch } from './decoded-batch.js';
import { RejectionTally } from './rejection-tally.js';

type Obj = Record<string, unknown>;

function get(o: Obj, camel: string, snake?: string): unknown {
  const v = o[camel];
  return v !== undefined || snake === undefined ? v : o[snake];
}

function obj(v: unknown, what: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new OtlpDecodeError(`${what} must be an object`);
  return v as Obj;
}

function list(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${what} must be an array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OtlpDecodeError(`${what} must be a string`);
  return v.isWellFormed() ? v : v.toWellFormed();
}

function uint64(v: unknown, what: string): NsTime {
  if (v === undefined || v === null) return { lo: 0, hi: 0 };
  const text = typeof v === 'number' && Number.isInteger(v) && v >= 0 ? BigInt(v).toString() : v;
  const parsed = typeof text === 'string' ? parseUint64(text) : undefined;
  if (parsed === undefined) throw new OtlpDecodeError(`${what} must be an unsigned 64-bit integer`);
  return { lo: parsed[0], hi: parsed[1] };
}

function enumValue(v: unknown, names: readonly string[], what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2147483647) return v;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
    if (/^-?\d+$/.test(v)) return Number(v) | 0;
  }
  throw new OtlpDecodeError(`${what} must be an enum integer`);
}

function uint32(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 4294967295)
    throw new OtlpDecodeError(`${what} must be an unsigned 32-bit integer`);
  return n;
}

const HEX = /^[0-9a-fA-F]*$/;
const ZERO = /^0*$/;

function id(v: unknown, size: 8 | 16, what: string): string {
  const s = str(v, what);
  if (s === '') return '';
  if (s.length !== size * 2 || !HEX.test(s)) throw new OtlpDecodeError(`${what} must be ${size * 2} hex digits`);
  return ZERO.test(s) ? '' : s.toLowerCase();
}

function int64Value(v: unknown): string {
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (Number.isSafeInteger(v)) return String(v);
    const text = BigInt(v).toString();
    if (parseInt64(text) !== undefined) return text;
  } else if (typeof v === 'string') {
    const parsed = parseInt64(v.trim());
    if (parsed !== undefined) return int64Text(parsed[0], parsed[1]);
  }
  throw new OtlpDecodeError('AnyValue.intValue must be a 64-bit integer');
}

function doubleValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new OtlpDecodeError('AnyValue.doubleValue must be a number');
}

function bytesValue(v: unknown): Uint8Array {
  const s = str(v, 'AnyValue.bytesValue');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) throw new OtlpDecodeError('AnyValue.bytesValue must be base64');
  return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
}

/** AnyValue JSON → a value for Go's JSON encoding (nested) — the last oneof key present wins. */
function raw(v: unknown, depth: number): RawValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  const o = obj(v, 'AnyValue');
  if (o === undefined) return null;
  let out: RawValue = null;
  for (const key of Object.keys(o)) {
    const x = o[key];
    switch (key) {
      case 'stringValue':
      case 'string_value':
        out = str(x, 'AnyValue.stringValue');
        break;
      case 'boolValue':
      case 'bool_value':
        if (typeof x !== 'boolean') throw new OtlpDecodeError('AnyValue.boolValue must be a boolean');
        out = x;
        break;
      case 'intValue':
      case 'int_value':
        out = new Int64Value(int64Value(x));
        break;
      case 'doubleValue':
      case 'double_value':
        out = doubleValue(x);
        break;
      case 'arrayValue':
      case 'array_value':
        out = list(obj(x, 'AnyValue.arrayValue')?.['values'], 'ArrayValue.values').map((e) => raw(e, depth + 1));
        break;
      case 'kvlistValue':
      case 'kvlist_value':
        out = new RawMap(
          list(obj(x, 'AnyValue.kvlistValue')?.['values'], 'KeyValueList.values').map((kv) => {
            const e = obj(kv, 'KeyValue') ?? {};
            return [str(e['key'], 'KeyValue.key'), raw(e['value'], depth + 1)] as [string, RawValue];
          }),
        );
        break;
      case 'bytesValue':
      case 'bytes_value':
        out = new BytesValue(bytesValue(x));
        break;
      default:
      // unknown fields are ignored
    }
  }
  return out;
}

/** pdata's AsString() of an AnyValue given as JSON. */
function asString(v: unknown): string {
  const r = raw(v, 0);
  if (r === null) return '';
  if (typeof r === 'string') return r;
  if (typeof r === 'boolean') return r ? 'true' : 'false';
  if (typeof r === 'number') return goFloat(r);
  if (r instanceof Int64Value) return r.text;
  if (r instanceof BytesValue) return Buffer.from(r.bytes).toString('base64');
  return goJson(r);
}

function attributes(v: unknown, what: string, redactor: Redactor, onEach?: (k: string, v: string) => void): string {
  let out = '';
  for (const kv of list(v, what)) {
    const e = obj(kv, 'KeyValue') ?? {};
    const key = str(e['key'], 'KeyValue.key');
    const value = redactor.attribute(key, asString(e['value']));
    onEach?.(key, value);
    out += `${out === '' ? '' : ','}${q(key)}:${q(value)}`;
  }
  return `{${out}}`;
}

function resource(o: Obj, redactor: Redactor): ResourceContext {
  const res = obj(o['resource'], 'resource') ?? {};
  let serviceName: string | undefined;
  const attrs = attributes(res['attributes'], 'resource.attributes', redactor, (k, v) => {
    if (serviceName === undefined && k === 'service.name') serviceName = v;
  });
  return {
    attributes: attrs,
    serviceName: serviceName ?? '',
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), 'schemaUrl'),
  };
}

function scope(o: Obj, redactor: Redactor, withAttributes: boolean): ScopeContext {
  const sc = obj(o['scope'], 'scope') ?? {};
  return {
    name: str(sc['name'], 'scope.name'),
    version: str(sc['version'], 'scope.version'),
    attributes: withAttributes ? attributes(sc['attributes'], 'scope.attributes', redactor) : '{}',
    schemaUrl: str(get(o, 'schemaUrl', 'schema_url'), 'schemaUrl'),
  };
}

function parse(body: string, top: string, snake: string): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
  } catch (e) {
    throw new OtlpDecodeError(`invalid JSON: ${(e as Error).message}`);
  }
  return list(get(obj(doc, 'the request') ?? {}, top, snake), top);
}

const KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const SEVERITIES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((s) =>
    [s, `${s}2`, `${s}3`, `${s}4`].map((n) => `SEVERITY_NUMBER_${n}`),
  ),
];

/** ExportTraceServiceRequest (OTLP/JSON) → otel_traces rows. Throws {@link OtlpDecodeError}. */
export function decodeTracesJson(body: string, redactor: Redactor): DecodedBatch {
  const rows: string[] = [];
  const tally = new RejectionTally('spans');
  for (const rsv of parse(body, 'resourceSpans', 'resource_spans')) {
    const rs = obj(rsv, 'resourceSpans[]') ?? {};
    const res = resource(rs, redactor);
    for (const ssv of list(get(rs, 'scopeSpans', 'scope_spans'), 'scopeSpans')) {
      const ss = obj(ssv, 'scopeSpans[]') ?? {};
      const sc = scope(ss, redactor, false);
      for (const spv of list(ss['spans'], 'spans')) {
        const o = obj(spv, 'span') ?? {};
        const s = newSpanRecord();
        s.traceId = id(get(o, 'traceId', 'trace_id'), 16, 'traceId');
        s.spanId = id(get(o, 'spanId', 'span_id'), 8, 'spanId');
        s.parentSpanId = id(get(o, 'parentSpanId', 'parent_span_id'), 8, 'parentSpanId');
        s.traceState = str(get(o, 'traceState', 'trace_state'), 'traceState');
        s.name = str(o['name'], 'name');
        s.kind = enumValue(o['kind'], KINDS, 'kind');
        s.start = uint64(get(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano');
        s.end = uint64(get(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano');
        s.attributes = attributes(o['attributes'], 'attributes', redactor);
        uint32(get(o, 'flags'), 'flags');
        for (const ev of list(o['events'], 'events')) {
          const e = obj(ev, 'event') ?? {};
          s.events.push({
            time: uint64(get(e, 'timeUnixNano', 'time_unix_nano'), 'event.timeUnixNano'),
            name: str(e['name'], 'event.name'),
            attributes: attributes(e['attributes'], 'event.attributes', redactor),
          });
        }
        for (const lv of list(o['links'], 'links')) {
          const l = obj(lv, 'link') ?? {};
          s.links.push({
            traceId: id(get(l, 'traceId', 'trace_id'), 16, 'link.traceId'),
            spanId: id(get(l, 'spanId', 'span_id'), 8, 'link.spanId'),
            traceState: str(get(l, 'traceState', 'trace_state'), 'link.traceState'),
            attributes: attributes(l['attributes'], 'link.attributes', redactor),
          });
        }
        const status = obj(o['status'], 'status') ?? {};
        s.statusCode = enumValue(status['code'], CODES, 'status.code');
        s.statusMessage = redactor.text(str(status['message'], 'status.message'));
        const reason = invalidSpanReason(s);
        if (reason === undefined) rows.push(spanRowJson(res, sc, s));
        else tally.reject(reason);
      }
    }
  }
  return tally.batch('traces', rows);
}

/** ExportLogsServiceRequest (OTLP/JSON) → otel_logs rows. Throws {@link OtlpDecodeError}. */
export function decodeLogsJson(body: string, redactor: Redactor): DecodedBatch {
  const rows: string[] = [];
  const tally = new RejectionTally('log records');
  for (const rlv of parse(body, 'resourceLogs', 'resource_logs')) {
    const rl = obj(rlv, 'resourceLogs[]') ?? {};
    const res = resource(rl, redactor);
    for (const slv of list(get(rl, 'scopeLogs', 'scope_logs'), 'scopeLogs')) {
      const sl = obj(slv, 'scopeLogs[]') ?? {};
      const sc = scope(sl, redactor, true);
      for (const lrv of list(get(sl, 'logRecords', 'log_records'), 'logRecords')) {
        const o = obj(lrv, 'logRecord') ?? {};
        const l = newLogRecord();
        l.time = uint64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano');
        l.observedTime = uint64(get(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano');
        l.severityNumber = enumValue(get(o, 'severityNumber', 'severity_number'), SEVERITIES, 'severityNumber');
        l.severityText = str(get(o, 'severityText', 'severity_text'), 'severityText');
        l.body = redactor.text(asString(o['body']));
        l.attributes = attributes(o['attributes'], 'attributes', redactor);
        l.flags = uint32(o['flags'], 'flags');
        l.traceId = id(get(o, 'traceId', 'trace_id'), 16, 'traceId');
        l.spanId = id(get(o, 'spanId', 'span_id'), 8, 'spanId');
        l.eventName = str(get(o, 'eventName', 'event_name'), 'eventName');
        const reason = invalidLogReason(l);
        if (reason === undefined) rows.push(logRowJson(res, sc, l));
        else tally.reject(reason);
      }
    }
  }
  return tally.batch('logs', rows);
}
