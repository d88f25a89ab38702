/**
 * Candidate generation without an all-pairs pass: MinHash signatures of token sets cut into bands
 * (two requests land in one bucket when a whole band agrees), and the stored 32-bit prompt simhash
 * cut into two 16-bit bands (any two within Hamming distance 1 share a band). Buckets are capped:
 * an oversized bucket pairs each member only with its next few neighbours in time order, which is
 * enough for clustering (pairs are joined transitively) and keeps the pass linear.
 */

const HASHES = 16;
const ROWS = 2;
const BANDS = HASHES / ROWS;
/** A bucket larger than this pairs each member with its next NEIGHBOURS members only. */
const BUCKET_CAP = 12;
const NEIGHBOURS = 2;

const SEEDS = Uint32Array.from({ length: HASHES }, (_, k) => mix32(0x9e3779b9 ^ Math.imul(k + 1, 0x85ebca6b)));

function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Sets larger than this are signed by a consistent sample: their SAMPLE tokens of smallest hash. */
const SAMPLE = 384;

/** MinHash signature (HASHES values) of a set of token ids. */
export function minHash(set: Int32Array): Uint32Array {
  let ids = set;
  if (set.length > SAMPLE) {
    // Consistent sampling keeps similar sets similar: both keep the tokens whose hash is smallest.
    const keyed = Float64Array.from(set, (id) => mix32(id ^ 0x5bd1e995) * 4294967296 + (id >>> 0));
    keyed.sort();
    ids = Int32Array.from(keyed.subarray(0, SAMPLE), (k) => (k % 4294967296) | 0);
  }
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const id of ids) {
    for (let k = 0; k < HASHES; k++) {
      const h = mix32(id ^ SEEDS[k]!);
      if (h < sig[k]!) sig[k] = h;
    }
  }
  return sig;
}

/** Collects unordered candidate pairs (i < j) over item indexes. */
export class CandidatePairs {
  private readonly seen = new Set<number>();
  readonly pairs: [number, number][] = [];
  constructor(private readonly n: number) {}

  add(i: number, j: number): void {
    if (i === j) return;
    const a = Math.min(i, j);
    const b = Math.max(i, j);
    const key = a * this.n + b;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pairs.push([a, b]);
  }

  /** Pairs the members of one bucket (indexes in ascending time order). */
  addBucket(members: readonly number[]): void {
    if (members.length < 2) return;
    const reach = members.length > BUCKET_CAP ? NEIGHBOURS : members.length;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length && y <= x + reach; y++) this.add(members[x]!, members[y]!);
    }
  }
}

/**
 * Buckets items by MinHash bands. `signatures[i]` is undefined for items that take no part.
 * Items must be indexed in time order (bucket members stay in that order).
 */
export function bandBuckets(signatures: readonly (Uint32Array | undefined)[], out: CandidatePairs): void {
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < signatures.length; i++) {
      const sig = signatures[i];
      if (!sig) continue;
      let key = band;
      for (let r = 0; r < ROWS; r++) key = mix32(key ^ sig[band * ROWS + r]!);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
    for (const members of buckets.values()) out.addBucket(members);
  }
}

/** Buckets items by the two 16-bit bands of a 32-bit simhash (0 = unknown, skipped). */
export function simHashBuckets(simhashes: readonly bigint[], out: CandidatePairs): void {
  for (let band = 0; band < 2; band++) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < simhashes.length; i++) {
      const s = simhashes[i]!;
      if (s === 0n) continue;
      const key = Number((s >> BigInt(band * 16)) & 0xffffn);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
    for (const members of buckets.values()) out.addBucket(members);
  }
}
