/** Small helpers over sorted Int32Array sets of token ids. */

export function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Token ids are small dense integers: a stamp per id dedupes in one pass, so only the distinct ids
// are sorted.
let stamps = new Uint32Array(1 << 16);
let stamp = 0;

/** Sorted unique copy of non-negative ids. */
export function uniqueSorted(values: ArrayLike<number>): Int32Array {
  if (values.length < 16) {
    const a = Int32Array.from(values).sort();
    let n = 0;
    for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[n++] = a[i]!;
    return a.slice(0, n);
  }
  stamp++;
  if (stamp === 0xffffffff) {
    stamps.fill(0);
    stamp = 1;
  }
  const out = new Int32Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v >= stamps.length) {
      const grown = new Uint32Array(Math.max(stamps.length * 2, v + 1));
      grown.set(stamps);
      stamps = grown;
    }
    if (stamps[v] !== stamp) {
      stamps[v] = stamp;
      out[n++] = v;
    }
  }
  return out.subarray(0, n).sort().slice();
}
