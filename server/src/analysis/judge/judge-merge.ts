import type { CallRecord, DraftFinding } from '../analysis.types.js';
import type { SemanticPair } from '../detectors/index.js';
import { modelOf, ref, refs, round, usd } from '../findings/format.js';
import type { JudgeResult } from './judge.types.js';

/**
 * Applies a judgement to the local drafts: a confirmed candidate is found by both (its confidence
 * rises), a rejected one is dropped, a confirmed lexical pair becomes a semantic duplicate, and the
 * judge's own semantic duplicates are added — unless a local finding already covers those calls.
 */

/** A rejection at or above this confidence drops the local finding. */
const REJECT_DROPS = 0.5;
const CONFIRM_MIN = 0.5;

function semanticDraft(
  calls: readonly CallRecord[],
  confidence: number,
  by: 'judge' | 'both',
  evidence: string,
): DraftFinding {
  const sorted = [...calls].sort((a, b) => a.index - b.index);
  const [first, ...repeats] = sorted as [CallRecord, ...CallRecord[]];
  const waste = repeats.reduce((s, c) => s + c.costUSD, 0);
  return {
    kind: 'redundant_call',
    subkind: 'semantic',
    title: `Calls ${refs(sorted)} ask for the same information`,
    evidence: `${evidence} The repeat(s) cost ${usd(waste)} in this run.`,
    evidenceData: {
      calls: sorted.map((c) => ({
        spanId: c.spanId,
        index: c.index + 1,
        model: modelOf(c),
        costUSD: round(c.costUSD),
      })),
      repeats: repeats.length,
    },
    recommendation: `Ask once and share the answer of ${ref(first)} (or cache it by the question's meaning) — saves ${usd(waste)} per run.`,
    spanIds: sorted.map((c) => c.spanId),
    savingBySpan: new Map(repeats.map((c) => [c.spanId, c.costUSD])),
    wasteCostUSD: waste,
    confidence: round(confidence, 3),
    detectedBy: by,
    key: `redundant_call:semantic:${first.spanId}:${repeats.map((c) => c.spanId).join(',')}`,
    models: [...new Set(sorted.map(modelOf))],
  };
}

export function mergeJudgement(
  drafts: readonly DraftFinding[],
  pairs: readonly SemanticPair[],
  draftOf: ReadonlyMap<string, number>,
  pairOf: ReadonlyMap<string, number>,
  calls: readonly CallRecord[],
  result: Extract<JudgeResult, { ok: true }>,
): DraftFinding[] {
  const verdicts = new Map(result.verdicts.map((v) => [v.candidateId, v]));
  const out: DraftFinding[] = [];
  drafts.forEach((d, i) => {
    const id = [...draftOf].find(([, idx]) => idx === i)?.[0];
    const v = id === undefined ? undefined : verdicts.get(id);
    if (!v) {
      out.push(d);
      return;
    }
    if (v.verdict === 'reject') {
      if (v.confidence >= REJECT_DROPS) return;
      out.push({ ...d, confidence: round(d.confidence * 0.6, 3) });
      return;
    }
    const confidence = Math.min(0.97, (d.confidence + v.confidence) / 2 + 0.15);
    out.push({
      ...d,
      confidence: round(confidence, 3),
      detectedBy: 'both',
      evidence: v.reason !== '' ? `${d.evidence} Judge: ${v.reason}` : d.evidence,
    });
  });

  const bySpan = new Map(calls.map((c) => [c.spanId, c]));
  const covered = (spanIds: readonly string[]) =>
    out.some((d) => d.kind === 'redundant_call' && spanIds.every((s) => d.spanIds.includes(s)));
  for (const [id, idx] of pairOf) {
    const v = verdicts.get(id);
    const pair = pairs[idx];
    if (!v || !pair || v.verdict !== 'confirm' || v.confidence < CONFIRM_MIN) continue;
    const spans = [pair.first.spanId, pair.second.spanId];
    if (covered(spans)) continue;
    const evidence =
      `${ref(pair.first)} and ${ref(pair.second)} are worded differently (lexical similarity ${round(pair.score, 2)}) ` +
      `but ask for the same information.${v.reason !== '' ? ` Judge: ${v.reason}` : ''}`;
    out.push(semanticDraft([pair.first, pair.second], Math.min(0.9, v.confidence), 'both', evidence));
  }
  for (const f of result.findings) {
    if (f.confidence < CONFIRM_MIN || covered(f.spanIds)) continue;
    const members = f.spanIds.map((s) => bySpan.get(s)).filter((c): c is CallRecord => !!c);
    if (members.length < 2) continue;
    out.push(semanticDraft(members, f.confidence * 0.9, 'judge', `Judge: ${f.evidence}`));
  }
  return out;
}
