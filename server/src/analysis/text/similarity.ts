import type { CanonicalText, Vocabulary } from './canonical.js';
import { contains, sameArray, uniqueSorted } from './sorted-set.js';

/**
 * The precise comparison of two requests, after candidates came out of the LSH buckets.
 *
 * Template-aware: when two texts share a prefix and/or suffix (a prompt template, learned from the
 * pair or from its call site's group) and both have something different in between, only those
 * slots are compared — so "Translate A" and "Translate B" built from one template never look alike,
 * however long the template.
 *
 * Hard differences veto a match: a named entity, number or quoted literal on one side only; a
 * negation on one side only; the same direction word pointing at different entities (from NY to
 * Florida / from Florida to NY); and, in short requests, a content word swapped for another that
 * is not its synonym ("restart" / "scale" the deployment). What remains is scored by weighted
 * Jaccard over canonical tokens, where words sharing a long stem prefix match ("forgot" /
 * "forgotten") and framing words ("list", "steps") weigh little.
 */

export type Veto = 'entity' | 'negation' | 'direction' | 'slot' | 'substitution' | 'continuation';

export interface PairScore {
  /** Weighted Jaccard of the compared tokens (the slots when a template was found), 0..1. */
  readonly score: number;
  readonly veto: Veto | undefined;
  /** Whether the score was computed on slots (a template was found). */
  readonly templated: boolean;
}

/** Positions of a learned template: tokens [0, prefix) and [length - suffix, length) are template. */
export interface TemplateSpan {
  readonly prefix: number;
  readonly suffix: number;
}

/** Minimum shared prefix + suffix (tokens) for a pair to be read as one template. */
const PAIR_TEMPLATE_MIN = 3;
/** Requests this short (content tokens) are checked for word substitutions. */
const SHORT_REQUEST = 16;
/** Extra content one long request adds to the other beyond which they are different requests. */
const CONTINUATION_SHARE = 0.5;
const CONTINUATION_WEIGHT = 6;
/** Two different words match when they share a prefix this long (stemming misses: forgot/forgotten). */
const SOFT_PREFIX = 6;

export interface Overlap {
  inter: number;
  union: number;
  onlyA: number;
  onlyB: number;
  /** Unmatched tokens that are not framing words, per side. */
  contentOnlyA: number;
  contentOnlyB: number;
  /** Whether an unmatched token (either side) is an action verb. */
  action: boolean;
}

function softMatch(a: string, b: string): boolean {
  if (a.includes('>') || b.includes('>')) return false;
  if (/\d/.test(a) || /\d/.test(b)) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i >= SOFT_PREFIX || (i === Math.min(a.length, b.length) && i >= SOFT_PREFIX - 1);
}

/**
 * Weighted overlap of two sorted id sets: critical tokens (of either side) weigh 2, framing words
 * 0.3, others 1; unmatched tokens are paired up by a shared long prefix before they count as
 * differences.
 */
export function overlap(
  a: Int32Array,
  b: Int32Array,
  vocab: Vocabulary,
  criticalA: Int32Array,
  criticalB: Int32Array,
): Overlap {
  const w = (id: number) => (contains(criticalA, id) || contains(criticalB, id) ? 2 : vocab.weight(id));
  let i = 0;
  let j = 0;
  let inter = 0;
  const restA: number[] = [];
  const restB: number[] = [];
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Number.POSITIVE_INFINITY;
    const y = j < b.length ? b[j]! : Number.POSITIVE_INFINITY;
    if (x === y) {
      inter += w(x);
      i++;
      j++;
    } else if (x < y) {
      restA.push(x);
      i++;
    } else {
      restB.push(y);
      j++;
    }
  }
  // Pair leftovers that share a long prefix (stemming misses).
  const usedB = new Set<number>();
  const leftA: number[] = [];
  for (const x of restA) {
    const wx = vocab.word(x);
    const k = restB.findIndex((y, idx) => !usedB.has(idx) && softMatch(wx, vocab.word(y)));
    if (k >= 0) {
      usedB.add(k);
      inter += Math.min(w(x), w(restB[k]!));
    } else {
      leftA.push(x);
    }
  }
  const leftB = restB.filter((_, idx) => !usedB.has(idx));
  const sum = (ids: number[]) => ids.reduce((s, id) => s + w(id), 0);
  const onlyA = sum(leftA);
  const onlyB = sum(leftB);
  return {
    inter,
    union: inter + onlyA + onlyB,
    onlyA,
    onlyB,
    contentOnlyA: leftA.filter((id) => !vocab.isGeneric(id)).length,
    contentOnlyB: leftB.filter((id) => !vocab.isGeneric(id)).length,
    action: leftA.some((id) => vocab.isAction(id)) || leftB.some((id) => vocab.isAction(id)),
  };
}

function commonPrefix(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: Int32Array, b: Int32Array, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i < n && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Direction word → its targets, from "dir>token" ids. */
function directions(ids: Int32Array, vocab: Vocabulary): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const id of ids) {
    const [dir, target] = vocab.word(id).split('>') as [string, string];
    const set = out.get(dir) ?? new Set<string>();
    set.add(target);
    out.set(dir, set);
  }
  return out;
}

function criticalVeto(a: CanonicalText, b: CanonicalText, vocab: Vocabulary): Veto | undefined {
  if (a.negated !== b.negated) return 'negation';
  for (const id of a.critical) if (!contains(b.set, id)) return 'entity';
  for (const id of b.critical) if (!contains(a.set, id)) return 'entity';
  if (a.directional.length > 0 && b.directional.length > 0 && !sameArray(a.directional, b.directional)) {
    const da = directions(a.directional, vocab);
    const db = directions(b.directional, vocab);
    for (const [dir, targets] of da) {
      const other = db.get(dir);
      if (other && ![...targets].some((t) => other.has(t))) return 'direction';
    }
  }
  return undefined;
}

/**
 * Compares two canonical texts. `template` is the group template both belong to, if one was learned
 * (it vouches that their shared prefix/suffix is a template even when short).
 */
export function comparePair(a: CanonicalText, b: CanonicalText, vocab: Vocabulary, template?: TemplateSpan): PairScore {
  const veto = criticalVeto(a, b, vocab);
  if (veto) return { score: 0, veto, templated: false };
  if (sameArray(a.seq, b.seq)) return { score: 1, veto: undefined, templated: false };

  const prefix = commonPrefix(a.seq, b.seq);
  const suffix = commonSuffix(a.seq, b.seq, prefix);
  const isTemplate =
    (template !== undefined && template.prefix + template.suffix > 0) || prefix + suffix >= PAIR_TEMPLATE_MIN;
  const slotA = a.seq.subarray(prefix, a.seq.length - suffix);
  const slotB = b.seq.subarray(prefix, b.seq.length - suffix);

  const full = overlap(a.set, b.set, vocab, a.critical, b.critical);
  const fullScore = full.union === 0 ? 1 : full.inter / full.union;
  const short = Math.min(a.set.length, b.set.length) <= SHORT_REQUEST;
  if (short && (full.action || (full.contentOnlyA > 0 && full.contentOnlyB > 0))) {
    return { score: fullScore, veto: 'substitution', templated: false };
  }
  // One long request is the other plus a lot more (a stricter or larger ask).
  const extra = Math.max(full.onlyA, full.onlyB);
  if (
    !short &&
    (full.onlyA === 0 || full.onlyB === 0) &&
    extra >= CONTINUATION_WEIGHT &&
    extra >= CONTINUATION_SHARE * full.union
  ) {
    return { score: fullScore, veto: 'continuation', templated: false };
  }
  if (isTemplate && slotA.length > 0 && slotB.length > 0) {
    const sa = uniqueSorted(slotA);
    const sb = uniqueSorted(slotB);
    const slots = overlap(sa, sb, vocab, a.critical, b.critical);
    // Only content on both sides is a different slot value; framing words or an insertion are not.
    if (slots.contentOnlyA === 0 || slots.contentOnlyB === 0)
      return { score: fullScore, veto: undefined, templated: true };
    if (slots.inter === 0) return { score: 0, veto: 'slot', templated: true };
    return { score: slots.inter / slots.union, veto: undefined, templated: true };
  }
  return { score: fullScore, veto: undefined, templated: false };
}
