import { isTruncated, type CallRecord, type DraftFinding } from '../analysis.types.js';
import { modelOf, ref, refs, round, snippet, uniqueModels, usd } from '../findings/format.js';
import { comparePair, type PairScore } from '../text/similarity.js';
import { uniqueSorted } from '../text/sorted-set.js';
import { bandBuckets, CandidatePairs, minHash, simHashBuckets } from '../text/lsh.js';
import { learnTemplates, slotsOf } from '../text/template.js';
import { simHashDistance } from '@kaizen/instrumentation/fingerprint';
import type { DetectorContext } from './detector.context.js';

/**
 * Redundant calls inside one run.
 * - exact: the same normalised request (model, parameters, system and messages: PromptHash) again.
 * - near: the same request in other words, found without an all-pairs pass — LSH buckets over the
 *   slot tokens (templates removed) and the stored simhash propose pairs, a template-aware
 *   comparison confirms them, and confirmed pairs are joined into clusters.
 * Calls that sample on purpose (explicit temperature above the sampling threshold), failed or
 * truncated calls (retry waste) and consecutive turns of one conversation are never duplicates.
 */

export interface SemanticPair {
  readonly first: CallRecord;
  readonly second: CallRecord;
  readonly score: number;
}

export interface RedundancyResult {
  readonly findings: DraftFinding[];
  /** Pairs too different for a local verdict but not excluded: for the judge. */
  readonly semanticPairs: SemanticPair[];
}

function eligible(call: CallRecord, samplingTemperature: number): boolean {
  if (call.isError || isTruncated(call.finishReasons)) return false;
  if (call.temperature !== null && call.temperature > samplingTemperature) return false;
  return call.promptHash !== '0' || call.hasContent;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r]!;
    let c = x;
    while (this.parent[c] !== r) {
      const next = this.parent[c]!;
      this.parent[c] = r;
      c = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function clusterFinding(
  subkind: 'exact' | 'near',
  members: readonly CallRecord[],
  confidence: number,
  evidenceData: Record<string, unknown>,
): DraftFinding {
  const [first, ...repeats] = members as [CallRecord, ...CallRecord[]];
  const saving = new Map(repeats.map((c) => [c.spanId, c.costUSD]));
  const waste = repeats.reduce((s, c) => s + c.costUSD, 0);
  const what = subkind === 'exact' ? 'send the same request' : 'ask the same thing in other words';
  const title = `Calls ${refs(members)} ${what}`;
  const evidence =
    subkind === 'exact'
      ? `${refs(members)} are identical requests to ${modelOf(first)} (same model, parameters and messages); ` +
        `the ${repeats.length} repeat(s) cost ${usd(waste)} in this run. Request: "${snippet(first.promptText)}"`
      : `${refs(members)} ask the same question with different wording ` +
        `(similarity ${String(evidenceData['minScore'])} after removing shared templates); ` +
        `the ${repeats.length} repeat(s) cost ${usd(waste)}. First: "${snippet(first.promptText)}"`;
  const recommendation =
    subkind === 'exact'
      ? `Reuse the answer of ${ref(first)}: cache it keyed by the request (or pass it to the step that asks again) — saves ${usd(waste)} per run.`
      : `Ask once and share the answer: route both steps through one call (or a cache keyed by the normalised question) — saves ${usd(waste)} per run.`;
  return {
    kind: 'redundant_call',
    subkind,
    title,
    evidence,
    evidenceData: {
      calls: members.map((c) => ({
        spanId: c.spanId,
        index: c.index + 1,
        model: modelOf(c),
        costUSD: round(c.costUSD),
      })),
      repeats: repeats.length,
      ...evidenceData,
    },
    recommendation,
    spanIds: members.map((c) => c.spanId),
    savingBySpan: saving,
    wasteCostUSD: waste,
    confidence,
    detectedBy: 'local',
    key: `redundant_call:${subkind}:${first.spanId}`,
    models: uniqueModels(members),
  };
}

export function detectRedundantCalls(ctx: DetectorContext): RedundancyResult {
  const { calls } = ctx.run;
  const opts = ctx.options;
  const candidates = calls.filter((c) => eligible(c, opts.samplingTemperature));
  const findings: DraftFinding[] = [];

  // Exact: group by the request fingerprint.
  const byHash = new Map<string, CallRecord[]>();
  for (const c of candidates) {
    if (c.promptHash === '0') continue;
    const g = byHash.get(c.promptHash);
    if (g) g.push(c);
    else byHash.set(c.promptHash, [c]);
  }
  const exactRepeat = new Set<number>();
  for (const [hash, group] of byHash) {
    if (group.length < 2) continue;
    for (const c of group.slice(1)) exactRepeat.add(c.index);
    findings.push(clusterFinding('exact', group, 0.99, { promptHash: hash }));
  }

  // Near: one representative per exact group, content required, no embeddings.
  const pool = candidates.filter((c) => c.hasContent && !exactRepeat.has(c.index) && c.operation !== 'embeddings');
  const chains = ctx.chains;
  const canon = pool.map((c) => ctx.prompt(c));
  const templates = learnTemplates(
    pool.map((c, i) => ({ index: i, site: `${c.systemHash}\x1f${c.agentName}\x1f${c.operation}`, seq: canon[i]!.seq })),
  );
  const pairs = new CandidatePairs(pool.length);
  bandBuckets(
    pool.map((_, i) => {
      const template = templates.get(i);
      const slots = template ? slotsOf(canon[i]!.seq, template) : undefined;
      return minHash(slots && slots.length > 0 ? uniqueSorted(slots) : canon[i]!.set);
    }),
    pairs,
  );
  const simPairs = new CandidatePairs(pool.length);
  simHashBuckets(
    pool.map((c) => c.promptSimHash),
    simPairs,
  );
  for (const [i, j] of simPairs.pairs) {
    if (simHashDistance(pool[i]!.promptSimHash, pool[j]!.promptSimHash) <= 1) pairs.add(i, j);
  }

  const uf = new UnionFind(pool.length);
  const edgeMin = new Float64Array(pool.length).fill(1);
  const semanticPairs: SemanticPair[] = [];
  const systemSimilar = (a: CallRecord, b: CallRecord) => {
    if (a.systemHash === b.systemHash) return true;
    const s = comparePair(ctx.text(a.systemText), ctx.text(b.systemText), ctx.vocab);
    return s.veto === undefined && s.score >= 0.8;
  };
  for (const [i, j] of pairs.pairs) {
    const a = pool[i]!;
    const b = pool[j]!;
    if (a.operation !== b.operation) continue;
    if (chains.root[a.index] === chains.root[b.index]) continue;
    if (!systemSimilar(a, b)) continue;
    const ta = templates.get(i);
    const tb = templates.get(j);
    const sameTemplate = ta !== undefined && tb !== undefined && ta.prefix === tb.prefix && ta.suffix === tb.suffix;
    const s: PairScore = comparePair(canon[i]!, canon[j]!, ctx.vocab, sameTemplate ? ta : undefined);
    if (s.veto === undefined && s.score >= opts.nearThreshold) {
      uf.union(i, j);
      edgeMin[i] = Math.min(edgeMin[i]!, s.score);
      edgeMin[j] = Math.min(edgeMin[j]!, s.score);
    } else if ((s.veto === undefined || s.veto === 'substitution') && s.score >= opts.semanticThreshold) {
      // A word swapped for one the lexicon does not know may be a synonym: the judge decides.
      semanticPairs.push({ first: a, second: b, score: s.score });
    }
  }

  const clusters = new Map<number, number[]>();
  for (let i = 0; i < pool.length; i++) {
    const r = uf.find(i);
    const g = clusters.get(r);
    if (g) g.push(i);
    else clusters.set(r, [i]);
  }
  for (const members of clusters.values()) {
    if (members.length < 2) continue;
    const calls = members.map((i) => pool[i]!).sort((x, y) => x.index - y.index);
    let minScore = 1;
    for (const i of members) minScore = Math.min(minScore, edgeMin[i]!);
    const confidence = round(0.55 + 0.4 * minScore, 2);
    findings.push(clusterFinding('near', calls, confidence, { minScore: round(minScore, 2) }));
  }

  semanticPairs.sort((x, y) => y.score - x.score || y.second.costUSD - x.second.costUSD);
  return { findings, semanticPairs: semanticPairs.slice(0, opts.maxSemanticCandidates) };
}
