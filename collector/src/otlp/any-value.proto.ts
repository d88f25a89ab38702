import { base64, BytesValue, goFloat, goJson, Int64Value, RawMap, type RawValue } from '../mapping/go-format.js';
import { int64Text } from '../mapping/uint64.js';
import { OtlpDecodeError } from './decoded-batch.js';
import { WT_I64, WT_LEN, WT_VARINT, type ProtoReader } from './proto-reader.js';

/** Nesting deeper than this (arrays in maps in arrays …) is refused rather than recursed into. */
export const MAX_VALUE_DEPTH = 64;

// AnyValue oneof field numbers.
const STRING = 1;
const BOOL = 2;
const INT = 3;
const DOUBLE = 4;
const ARRAY = 5;
const KVLIST = 6;
const BYTES = 7;

/**
 * Reads an AnyValue message ending at `stop` and returns pdata's `AsString()` of it. A oneof
 * set twice keeps the last value, as protobuf does; a value with none set is ''.
 */
export function anyValueAsString(r: ProtoReader, stop: number): string {
  let out = '';
  while (r.pos < stop) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case STRING:
        r.expect(tag, WT_LEN, 'AnyValue.string_value');
        out = r.string();
        break;
      case BOOL:
        r.expect(tag, WT_VARINT, 'AnyValue.bool_value');
        r.varint64();
        out = r.lo !== 0 || r.hi !== 0 ? 'true' : 'false';
        break;
      case INT:
        r.expect(tag, WT_VARINT, 'AnyValue.int_value');
        r.varint64();
        out = int64Text(r.lo, r.hi);
        break;
      case DOUBLE:
        r.expect(tag, WT_I64, 'AnyValue.double_value');
        out = goFloat(r.double());
        break;
      case ARRAY:
        r.expect(tag, WT_LEN, 'AnyValue.array_value');
        out = goJson(readArray(r, r.lenEnd(), 1));
        break;
      case KVLIST:
        r.expect(tag, WT_LEN, 'AnyValue.kvlist_value');
        out = goJson(readKvList(r, r.lenEnd(), 1));
        break;
      case BYTES: {
        r.expect(tag, WT_LEN, 'AnyValue.bytes_value');
        const end = r.lenEnd();
        out = base64(r.buf.subarray(r.pos, end));
        r.pos = end;
        break;
      }
      default:
        // string_value_strindex (profiles only) and unknown fields: ignored.
        r.skip(tag);
        out = '';
    }
  }
  r.pos = stop;
  return out;
}

function readRaw(r: ProtoReader, stop: number, depth: number): RawValue {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  let out: RawValue = null;
  while (r.pos < stop) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case STRING:
        r.expect(tag, WT_LEN, 'AnyValue.string_value');
        out = r.string();
        break;
      case BOOL:
        r.expect(tag, WT_VARINT, 'AnyValue.bool_value');
        r.varint64();
        out = r.lo !== 0 || r.hi !== 0;
        break;
      case INT:
        r.expect(tag, WT_VARINT, 'AnyValue.int_value');
        r.varint64();
        out = new Int64Value(int64Text(r.lo, r.hi));
        break;
      case DOUBLE:
        r.expect(tag, WT_I64, 'AnyValue.double_value');
        out = r.double();
        break;
      case ARRAY:
        r.expect(tag, WT_LEN, 'AnyValue.array_value');
        out = readArray(r, r.lenEnd(), depth + 1);
        break;
      case KVLIST:
        r.expect(tag, WT_LEN, 'AnyValue.kvlist_value');
        out = readKvList(r, r.lenEnd(), depth + 1);
        break;
      case BYTES: {
        r.expect(tag, WT_LEN, 'AnyValue.bytes_value');
        const end = r.lenEnd();
        out = new BytesValue(r.buf.subarray(r.pos, end));
        r.pos = end;
        break;
      }
      default:
        r.skip(tag);
        out = null;
    }
  }
  r.pos = stop;
  return out;
}

/** ArrayValue { repeated AnyValue values = 1 }. */
function readArray(r: ProtoReader, stop: number, depth: number): RawValue[] {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  const values: RawValue[] = [];
  while (r.pos < stop) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WT_LEN, 'ArrayValue.values');
      values.push(readRaw(r, r.lenEnd(), depth + 1));
    } else r.skip(tag);
  }
  r.pos = stop;
  return values;
}

/** KeyValueList { repeated KeyValue values = 1 }. */
function readKvList(r: ProtoReader, stop: number, depth: number): RawMap {
  if (depth > MAX_VALUE_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  const entries: [string, RawValue][] = [];
  while (r.pos < stop) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      r.expect(tag, WT_LEN, 'KeyValueList.values');
      const kvEnd = r.lenEnd();
      let key = '';
      let value: RawValue = null;
      while (r.pos < kvEnd) {
        const t = r.tag();
        if (t >>> 3 === 1) {
          r.expect(t, WT_LEN, 'KeyValue.key');
          key = r.string();
        } else if (t >>> 3 === 2) {
          r.expect(t, WT_LEN, 'KeyValue.value');
          value = readRaw(r, r.lenEnd(), depth + 1);
        } else r.skip(t);
      }
      r.pos = kvEnd;
      entries.push([key, value]);
    } else r.skip(tag);
  }
  r.pos = stop;
  return new RawMap(entries);
}
