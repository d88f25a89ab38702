import { describe, expect, it } from 'vitest';
import { dateTime64Text, durationText, int64Text, parseInt64, parseUint64, uint64Text } from './uint64.js';

const halves = (v: bigint): [number, number] => {
  const u = BigInt.asUintN(64, v);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
};

describe('uint64 halves', () => {
  it.each([
    [0n, '0000000000.000000000'],
    [1n, '0000000000.000000001'],
    [1_500_000_000n, '0000000001.500000000'],
    [1_544_712_660_000_000_000n, '1544712660.000000000'],
    [1_750_000_000_123_456_789n, '1750000000.123456789'],
    [(1n << 63n) - 1n, '9223372036.854775807'],
  ])('formats %s ns as DateTime64(9) text %s', (ns, text) => {
    expect(dateTime64Text(...halves(ns))).toBe(text);
  });

  it('formats random times exactly', () => {
    for (let i = 0; i < 2000; i++) {
      const ns =
        BigInt(Math.floor(Math.random() * 2 ** 31)) * 4294967296n + BigInt(Math.floor(Math.random() * 2 ** 32));
      const secs = ns / 1_000_000_000n;
      const rest = ns % 1_000_000_000n;
      expect(dateTime64Text(...halves(ns))).toBe(`${String(secs).padStart(10, '0')}.${String(rest).padStart(9, '0')}`);
    }
  });

  it('writes the contrib Duration: end − start, saturated to int64 and wrapped to uint64', () => {
    const d = (start: bigint, end: bigint) => durationText(...halves(start), ...halves(end));
    expect(d(1_000n, 5_000n)).toBe('4000');
    expect(d(1_700_000_000_000_000_000n, 1_700_000_001_500_000_000n)).toBe('1500000000');
    expect(d(5_000n, 1_000n)).toBe(String(2n ** 64n - 4000n)); // negative wraps like uint64(int64)
    expect(d(0n, 0n)).toBe('0');
    // Go reads each time as int64: 2^64-1 is −1 ns, so end − start is 1 − (−1) = 2.
    expect(d(2n ** 64n - 1n, 1n)).toBe('2');
    // −2^63 − 1 saturates to the int64 minimum, then wraps.
    expect(d(1n, 1n << 63n)).toBe(String(1n << 63n));
  });

  it('writes int64 and uint64 as decimal text', () => {
    expect(int64Text(...halves(-1n))).toBe('-1');
    expect(int64Text(...halves(-(2n ** 63n)))).toBe('-9223372036854775808');
    expect(int64Text(...halves(2n ** 63n - 1n))).toBe('9223372036854775807');
    expect(int64Text(...halves(-(2n ** 53n)))).toBe('-9007199254740992');
    expect(int64Text(...halves(12345n))).toBe('12345');
    expect(uint64Text(...halves(2n ** 64n - 1n))).toBe('18446744073709551615');
  });

  it('parses decimal text', () => {
    expect(parseUint64('18446744073709551615')).toEqual([0xffffffff, 0xffffffff]);
    expect(parseUint64('18446744073709551616')).toBeUndefined();
    expect(parseUint64('-1')).toBeUndefined();
    expect(parseUint64('1.5')).toBeUndefined();
    expect(parseInt64('-1')).toEqual([0xffffffff, 0xffffffff]);
    expect(parseInt64('9223372036854775808')).toBeUndefined();
  });
});
