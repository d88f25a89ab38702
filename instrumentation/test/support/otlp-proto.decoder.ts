/**
 * A minimal decoder of OTLP ExportTraceServiceRequest protobuf (opentelemetry-proto
 * trace/v1/trace.proto), for tests that receive what the real OTLP/protobuf exporter sends.
 * Only the fields the tests read; unknown fields are skipped by wire type.
 */

export type AttributeValue =
  string | number | boolean | bigint | null | AttributeValue[] | { [key: string]: AttributeValue };

export interface DecodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Record<string, AttributeValue>;
  readonly events: { name: string; attributes: Record<string, AttributeValue> }[];
  readonly status: { code: number; message: string };
  readonly scope: string;
  readonly resource: Record<string, AttributeValue>;
}

class Reader {
  public pos = 0;
  private readonly buf: Uint8Array;
  public readonly end: number;

  public constructor(buf: Uint8Array) {
    this.buf = buf;
    this.end = buf.length;
  }

  public varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  public fixed64(): DataView {
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return view;
  }

  public bytes(): Uint8Array {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  public skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }

  /** Calls `field(number, wireType)` for each field of the message; it must consume or skip it. */
  public fields(field: (n: number, wireType: number) => void): void {
    while (this.pos < this.end) {
      const tag = Number(this.varint());
      field(tag >>> 3, tag & 7);
    }
  }
}

const utf8 = new TextDecoder();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function sub(r: Reader): Reader {
  return new Reader(r.bytes());
}

function anyValue(r: Reader): AttributeValue {
  let value: AttributeValue = null;
  r.fields((n, wt) => {
    if (n === 1) value = utf8.decode(r.bytes());
    else if (n === 2) value = r.varint() !== 0n;
    else if (n === 3) value = Number(BigInt.asIntN(64, r.varint()));
    else if (n === 4) value = r.fixed64().getFloat64(0, true);
    else if (n === 5) {
      const arr: AttributeValue[] = [];
      const a = sub(r);
      a.fields((m, w) => (m === 1 ? arr.push(anyValue(sub(a))) : a.skip(w)));
      value = arr;
    } else if (n === 6) value = keyValues(sub(r));
    else if (n === 7) value = hex(r.bytes());
    else r.skip(wt);
  });
  return value;
}

function keyValue(r: Reader, into: Record<string, AttributeValue>): void {
  let key = '';
  let value: AttributeValue = null;
  r.fields((n, wt) => {
    if (n === 1) key = utf8.decode(r.bytes());
    else if (n === 2) value = anyValue(sub(r));
    else r.skip(wt);
  });
  into[key] = value;
}

function keyValues(r: Reader): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  r.fields((n, wt) => (n === 1 ? keyValue(sub(r), out) : r.skip(wt)));
  return out;
}

function span(r: Reader, scope: string, resource: Record<string, AttributeValue>): DecodedSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: Record<string, AttributeValue> = {};
  const events: DecodedSpan['events'] = [];
  const status = { code: 0, message: '' };
  r.fields((n, wt) => {
    if (n === 1) traceId = hex(r.bytes());
    else if (n === 2) spanId = hex(r.bytes());
    else if (n === 4) parentSpanId = hex(r.bytes());
    else if (n === 5) name = utf8.decode(r.bytes());
    else if (n === 6) kind = Number(r.varint());
    else if (n === 7) start = r.fixed64().getBigUint64(0, true);
    else if (n === 8) end = r.fixed64().getBigUint64(0, true);
    else if (n === 9) keyValue(sub(r), attributes);
    else if (n === 11) {
      const e = sub(r);
      const event = { name: '', attributes: {} as Record<string, AttributeValue> };
      e.fields((m, w) => {
        if (m === 2) event.name = utf8.decode(e.bytes());
        else if (m === 3) keyValue(sub(e), event.attributes);
        else e.skip(w);
      });
      events.push(event);
    } else if (n === 15) {
      const s = sub(r);
      s.fields((m, w) => {
        if (m === 2) status.message = utf8.decode(s.bytes());
        else if (m === 3) status.code = Number(s.varint());
        else s.skip(w);
      });
    } else r.skip(wt);
  });
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    events,
    status,
    scope,
    resource,
  };
}

/** The spans of an ExportTraceServiceRequest body. */
export function decodeTraces(body: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  const r = new Reader(body);
  r.fields((n, wt) => {
    if (n !== 1) return r.skip(wt);
    const rs = sub(r);
    let resource: Record<string, AttributeValue> = {};
    const scopeSpans: Reader[] = [];
    rs.fields((m, w) => {
      if (m === 1) {
        const res = sub(rs);
        res.fields((k, x) => (k === 1 ? keyValue(sub(res), resource) : res.skip(x)));
        resource = { ...resource };
      } else if (m === 2) scopeSpans.push(sub(rs));
      else rs.skip(w);
    });
    for (const ss of scopeSpans) {
      let scope = '';
      const raw: Reader[] = [];
      ss.fields((m, w) => {
        if (m === 1) {
          const sc = sub(ss);
          sc.fields((k, x) => (k === 1 ? (scope = utf8.decode(sc.bytes())) : sc.skip(x)));
        } else if (m === 2) raw.push(sub(ss));
        else ss.skip(w);
      });
      for (const s of raw) spans.push(span(s, scope, resource));
    }
  });
  return spans;
}
