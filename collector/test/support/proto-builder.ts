/**
 * A small protobuf writer for tests: builds OTLP messages field by field, in any order, with any
 * wire types — including the malformed ones a real SDK never sends.
 */
export class PB {
  private readonly parts: Buffer[] = [];

  private varintBytes(v: bigint | number): Buffer {
    let n = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) b |= 0x80;
      out.push(b);
    } while (n > 0n);
    return Buffer.from(out);
  }

  tag(field: number, wireType: number): this {
    this.parts.push(this.varintBytes((field << 3) | wireType));
    return this;
  }

  varint(field: number, v: bigint | number): this {
    this.tag(field, 0);
    this.parts.push(this.varintBytes(v));
    return this;
  }

  fixed64(field: number, v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)));
    this.tag(field, 1);
    this.parts.push(b);
    return this;
  }

  fixed32(field: number, v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.tag(field, 5);
    this.parts.push(b);
    return this;
  }

  double(field: number, v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.tag(field, 1);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.parts.push(this.varintBytes(b.length), Buffer.from(b));
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  hex(field: number, h: string): this {
    return this.bytes(field, Buffer.from(h, 'hex'));
  }

  msg(field: number, build: (w: PB) => unknown): this {
    const w = new PB();
    build(w);
    return this.bytes(field, w.finish());
  }

  raw(b: Uint8Array): this {
    this.parts.push(Buffer.from(b));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export type AttrValue =
  | { s: string }
  | { b: boolean }
  | { i: bigint | number }
  | { d: number }
  | { bytes: Uint8Array }
  | { arr: AttrValue[] }
  | { kv: [string, AttrValue][] }
  | { empty: true };

export function anyValue(w: PB, v: AttrValue): void {
  if ('s' in v) w.string(1, v.s);
  else if ('b' in v) w.varint(2, v.b ? 1 : 0);
  else if ('i' in v) w.varint(3, v.i);
  else if ('d' in v) w.double(4, v.d);
  else if ('arr' in v) w.msg(5, (a) => v.arr.forEach((x) => a.msg(1, (e) => anyValue(e, x))));
  else if ('kv' in v)
    w.msg(6, (l) => v.kv.forEach(([k, x]) => l.msg(1, (kv) => kv.string(1, k).msg(2, (e) => anyValue(e, x)))));
  else if ('bytes' in v) w.bytes(7, v.bytes);
}

export function keyValue(w: PB, field: number, key: string, v: AttrValue): PB {
  return w.msg(field, (kv) => kv.string(1, key).msg(2, (e) => anyValue(e, v)));
}

export interface SpanSpec {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  start?: bigint;
  end?: bigint;
  attrs?: [string, AttrValue][];
  statusCode?: number;
  statusMessage?: string;
}

export function span(w: PB, s: SpanSpec): void {
  if (s.traceId !== undefined) w.hex(1, s.traceId);
  if (s.spanId !== undefined) w.hex(2, s.spanId);
  if (s.parentSpanId !== undefined) w.hex(4, s.parentSpanId);
  w.string(5, s.name ?? 'span');
  if (s.kind !== undefined) w.varint(6, s.kind);
  w.fixed64(7, s.start ?? 1_700_000_000_000_000_000n);
  w.fixed64(8, s.end ?? 1_700_000_000_500_000_000n);
  for (const [k, v] of s.attrs ?? []) keyValue(w, 9, k, v);
  if (s.statusCode !== undefined || s.statusMessage !== undefined)
    w.msg(15, (st) => {
      if (s.statusMessage !== undefined) st.string(2, s.statusMessage);
      if (s.statusCode !== undefined) st.varint(3, s.statusCode);
    });
}

/** ExportTraceServiceRequest with one resource and one scope. */
export function traceRequest(
  spans: SpanSpec[],
  resource: [string, AttrValue][] = [['service.name', { s: 'svc' }]],
  scope: { name?: string; version?: string } = { name: 'scope', version: '1.0' },
): Buffer {
  return new PB()
    .msg(1, (rs) =>
      rs
        .msg(1, (r) => resource.forEach(([k, v]) => keyValue(r, 1, k, v)))
        .msg(2, (ss) => {
          ss.msg(1, (sc) => {
            if (scope.name !== undefined) sc.string(1, scope.name);
            if (scope.version !== undefined) sc.string(2, scope.version);
          });
          for (const s of spans) ss.msg(2, (sp) => span(sp, s));
        }),
    )
    .finish();
}

export const hex = (bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
