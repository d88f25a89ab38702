/**
 * Attribute values as the OpenTelemetry Collector writes them into string columns: pdata's
 * `Value.AsString()`, which the contrib ClickHouse exporter applies to every attribute. Doubles use
 * the ES6-like shortest form (so JavaScript's own number formatting matches, except for −0), maps
 * and slices are Go `encoding/json` output of `AsRaw()` (map keys sorted bytewise, no HTML
 * escaping, U+2028/U+2029 escaped, NaN or ±Inf anywhere making the whole value empty).
 */

declare global {
  // ES2024 (Node ≥ 20); the repository's lib setting is ES2023.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/** A decoded AnyValue inside an array or map: enough to reproduce Go's JSON for it. */
export type RawValue =
  | null // empty AnyValue
  | string
  | boolean
  | number // double
  | Int64Value
  | BytesValue
  | RawValue[]
  | RawMap;

export class Int64Value {
  constructor(readonly text: string) {}
}

export class BytesValue {
  constructor(readonly bytes: Uint8Array) {}
}

/** A kvlist in wire order (duplicates kept; Go's map keeps the last of each key). */
export class RawMap {
  constructor(readonly entries: [string, RawValue][]) {}
}

/** Go's float64AsString / encoding/json float format. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return 'Infinity';
  if (f === -Infinity) return '-Infinity';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  return String(f);
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** A string as Go's encoding/json writes it with HTML escaping off. */
export function goJsonString(s: string): string {
  const json = JSON.stringify(s.isWellFormed() ? s : s.toWellFormed());
  return LINE_SEPARATORS.test(json)
    ? json.replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'))
    : json;
}

class NotFinite extends Error {}

/** Bytewise UTF-8 order, which is code point order (JavaScript's default sort compares UTF-16 units). */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function encode(v: RawValue, out: string[]): void {
  if (v === null) out.push('null');
  else if (typeof v === 'string') out.push(goJsonString(v));
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new NotFinite();
    out.push(goFloat(v));
  } else if (v instanceof Int64Value) out.push(v.text);
  else if (v instanceof BytesValue) out.push(`"${base64(v.bytes)}"`);
  else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      encode(v[i] ?? null, out);
    }
    out.push(']');
  } else {
    const last = new Map<string, RawValue>();
    for (const [k, val] of v.entries) last.set(k, val);
    const keys = [...last.keys()].sort(compareCodePoints);
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] ?? '';
      if (i > 0) out.push(',');
      out.push(goJsonString(k), ':');
      encode(last.get(k) ?? null, out);
    }
    out.push('}');
  }
}

/** Go's `json.Marshal(value.AsRaw())` for a map or slice; '' when Go's encoder would fail (NaN, ±Inf). */
export function goJson(v: RawValue[] | RawMap): string {
  const out: string[] = [];
  try {
    encode(v, out);
  } catch (e) {
    if (e instanceof NotFinite) return '';
    throw e;
  }
  return out.join('');
}
