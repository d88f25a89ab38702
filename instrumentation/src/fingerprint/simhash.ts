/**
 * ClickHouse's ngramSimHashUTF8(s) (shingles of 3 code points), bit for bit, so a fingerprint
 * computed in the app equals the one the genai_calls view computes from the same text.
 *
 * ClickHouse hashes each shingle with CRC-32C (SSE4.2 crc32, seed 0xFFFFFFFF, no final xor), lets
 * every hash vote on 64 bit positions and keeps the positions with more ones than zeros. The CRC
 * fills only the low 32 bits, so the result fits in 32 bits. Its loop starts at the second code
 * point, and a string shorter than 3 code points yields the CRC of the whole string.
 */

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32c(buf: Uint8Array, start: number, end: number): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = CRC32C_TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return crc >>> 0;
}

/** The length of the UTF-8 sequence starting with byte b (1 for stray continuation bytes). */
function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b < 0xc0) return 1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf8) return 4;
  return 1;
}

const encoder = new TextEncoder();

export function ngramSimHashUTF8(s: string): bigint {
  const buf = encoder.encode(s);
  const end = buf.length;
  const next = (pos: number) => Math.min(pos + seqLength(buf[pos]!), end);
  let wordStart = 0;
  let wordEnd = 0;
  for (let i = 0; i < 3; i++) {
    if (wordEnd >= end) return BigInt(crc32c(buf, 0, end));
    wordEnd = next(wordEnd);
  }
  // Bit-sliced counters: slice k holds bit k of the 32 per-position counts of ones.
  const slices = new Int32Array(32);
  let n = 0;
  while (wordEnd < end) {
    wordStart = next(wordStart);
    wordEnd = next(wordEnd);
    let carry = crc32c(buf, wordStart, wordEnd) | 0;
    for (let k = 0; carry !== 0; k++) {
      const s0 = slices[k]!;
      slices[k] = s0 ^ carry;
      carry = s0 & carry;
    }
    n++;
  }
  let result = 0;
  for (let bit = 0; bit < 32; bit++) {
    let ones = 0;
    for (let k = 0; k < 32; k++) ones += ((slices[k]! >>> bit) & 1) << k;
    if (ones * 2 > n) result |= 1 << bit;
  }
  return BigInt(result >>> 0);
}

/** Hamming distance between two 32-bit simhashes (0 = same shingles, 32 = opposite). */
export function simHashDistance(a: bigint, b: bigint): number {
  let x = Number((a ^ b) & 0xffffffffn);
  let count = 0;
  while (x !== 0) {
    x &= x - 1;
    count++;
  }
  return count;
}
