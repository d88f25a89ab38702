/**
 * 64-bit integers as two unsigned 32-bit halves, the way they come off the wire. OTLP times are
 * nanoseconds since the epoch (about 1.8e18, past the 2^53 a JavaScript number holds exactly), so
 * the arithmetic below never goes through a float where exactness matters.
 */

const TWO_32 = 4294967296;
const NS_PER_S = 1_000_000_000;
// 2^32 mod 1e9 and 2^48 mod 1e9: let (hi·2^32 + lo) mod 1e9 be computed exactly in doubles.
const R32 = TWO_32 % NS_PER_S;
const R48 = (TWO_32 * 65536) % NS_PER_S;

function nsRemainder(lo: number, hi: number): number {
  const h1 = Math.floor(hi / 65536);
  const h0 = hi % 65536;
  return (((h1 * R48) % NS_PER_S) + ((h0 * R32) % NS_PER_S) + (lo % NS_PER_S)) % NS_PER_S;
}

/**
 * Nanoseconds since the epoch as DateTime64(9) text, "ssssssssss.nnnnnnnnn". The seconds are padded
 * to ten digits: ClickHouse reads a shorter integer part as a date, not as a Unix time.
 */
export function dateTime64Text(lo: number, hi: number): string {
  const rem = nsRemainder(lo, hi);
  // (value − rem) is a multiple of 1e9; the float error of value is far below 0.5e9, so rounding is exact.
  const secs = Math.round((hi * TWO_32 + lo - rem) / NS_PER_S);
  return `${String(secs).padStart(10, '0')}.${String(rem).padStart(9, '0')}`;
}

/** An unsigned 64-bit value as decimal text. */
export function uint64Text(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** A signed (two's complement) 64-bit value as decimal text, as Go's strconv.FormatInt writes it. */
export function int64Text(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  if (hi >= 0xffe00000) return String((hi - TWO_32) * TWO_32 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/**
 * The contrib exporter's Duration: Go's `end.AsTime().Sub(start.AsTime()).Nanoseconds()` written
 * into a UInt64 column. Each time is read as a signed 64-bit count, the difference saturates at the
 * int64 range (Go's time.Sub), and a negative result wraps to its unsigned 64-bit pattern.
 */
export function durationText(startLo: number, startHi: number, endLo: number, endHi: number): string {
  // Fast path: both in [0, 2^63) and end ≥ start with a difference below 2^53.
  if (startHi <= 0x7fffffff && endHi <= 0x7fffffff) {
    const dHi = endHi - startHi;
    const d = dHi * TWO_32 + (endLo - startLo);
    if (d >= 0 && d < 9007199254740992) return String(d);
  }
  const s = BigInt.asIntN(64, (BigInt(startHi) << 32n) | BigInt(startLo));
  const e = BigInt.asIntN(64, (BigInt(endHi) << 32n) | BigInt(endLo));
  let d = e - s;
  const max = (1n << 63n) - 1n;
  if (d > max) d = max;
  if (d < -max - 1n) d = -max - 1n;
  return BigInt.asUintN(64, d).toString();
}

/** Parses unsigned decimal text (OTLP/JSON's 64-bit form) into halves; undefined when not a uint64. */
export function parseUint64(text: string): [lo: number, hi: number] | undefined {
  if (!/^\d{1,20}$/.test(text)) return undefined;
  if (text.length <= 15) {
    const n = Number(text);
    return [n % TWO_32, Math.floor(n / TWO_32)];
  }
  const v = BigInt(text);
  if (v >= 1n << 64n) return undefined;
  return [Number(v & 0xffffffffn), Number(v >> 32n)];
}

/** Parses signed decimal text into two's complement halves; undefined when not an int64. */
export function parseInt64(text: string): [lo: number, hi: number] | undefined {
  if (!/^-?\d{1,19}$/.test(text)) return undefined;
  const v = BigInt(text);
  if (v >= 1n << 63n || v < -(1n << 63n)) return undefined;
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}
