import type { CallRecord, DraftFinding } from '../analysis.types.js';
import type { SemanticPair } from '../detectors/index.js';
import { modelOf, round } from '../findings/format.js';
import type { JudgeCall, JudgeCandidate, JudgeInput } from './judge.types.js';

/**
 * Compacts a run for the judge within a token budget: each call's id, model, tokens and cost with
 * its prompt and answer truncated (head and tail), system prompts sent once, and the candidates.
 * When the run does not fit, texts are cut shorter, then only the calls the candidates name (and
 * their neighbours) are kept.
 */

/** Characters per token for the budget estimate (JSON of English text). */
const CHARS_PER_TOKEN = 4;
const TEXT_LIMITS = [1200, 600, 300, 150, 80] as const;
const MIN_TEXT = 80;

export function estimateTokens(input: JudgeInput): number {
  return Math.ceil(JSON.stringify(input).length / CHARS_PER_TOKEN) + 600; // + the instruction
}

function cut(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const head = Math.ceil(max * 0.7);
  return `${t.slice(0, head)} […] ${t.slice(t.length - (max - head))}`;
}

/** Which local drafts the judge is asked about, and how each is put to it. */
export function judgeCandidates(
  drafts: readonly DraftFinding[],
  pairs: readonly SemanticPair[],
): { candidates: JudgeCandidate[]; draftOf: Map<string, number>; pairOf: Map<string, number> } {
  const candidates: JudgeCandidate[] = [];
  const draftOf = new Map<string, number>();
  const pairOf = new Map<string, number>();
  drafts.forEach((d, i) => {
    const asked =
      (d.kind === 'redundant_call' && d.subkind === 'near') ||
      d.kind === 'model_overkill' ||
      (d.kind === 'prompt_bloat' && d.subkind === 'unused_context');
    if (!asked) return;
    const id = `c${candidates.length + 1}`;
    draftOf.set(id, i);
    candidates.push({
      id,
      kind: d.kind,
      subkind: d.subkind,
      spanIds: d.spanIds,
      claim: d.kind === 'model_overkill' ? `${d.title}. ${d.recommendation}` : d.title,
    });
  });
  pairs.forEach((p, i) => {
    const id = `c${candidates.length + 1}`;
    pairOf.set(id, i);
    candidates.push({
      id,
      kind: 'redundant_call',
      subkind: 'semantic',
      spanIds: [p.first.spanId, p.second.spanId],
      claim: `Calls #${p.first.index + 1} and #${p.second.index + 1} may ask for the same information in other words`,
    });
  });
  return { candidates, draftOf, pairOf };
}

export function buildJudgeInput(
  workflow: string,
  calls: readonly CallRecord[],
  candidates: readonly JudgeCandidate[],
  maxInputTokens: number,
): JudgeInput {
  const systemIds = new Map<string, string>();
  for (const c of calls) {
    if (c.systemText !== '' && !systemIds.has(c.systemText)) systemIds.set(c.systemText, `s${systemIds.size + 1}`);
  }
  const named = new Set(candidates.flatMap((c) => c.spanIds));
  const build = (limit: number, onlyNamed: boolean): JudgeInput => {
    const keep = onlyNamed
      ? calls.filter(
          (c, i) =>
            named.has(c.spanId) || named.has(calls[i - 1]?.spanId ?? '') || named.has(calls[i + 1]?.spanId ?? ''),
        )
      : calls;
    const usedSystems = new Set(keep.map((c) => c.systemText).filter((s) => s !== ''));
    return {
      workflow,
      systems: [...systemIds]
        .filter(([text]) => usedSystems.has(text))
        .map(([text, id]) => ({ id, text: cut(text, limit) })),
      calls: keep.map((c): JudgeCall => ({
        id: c.spanId,
        n: c.index + 1,
        model: modelOf(c),
        agent: c.agentName,
        inputTokens: c.inputTokens,
        outputTokens: c.outputTokens,
        costUSD: round(c.costUSD),
        system: systemIds.get(c.systemText) ?? '',
        prompt: cut(c.messages.map((m) => `${m.role}: ${m.text}`).join('\n'), limit),
        answer: cut(c.outputText, Math.ceil(limit / 2)),
      })),
      candidates,
    };
  };
  for (const onlyNamed of [false, true]) {
    for (const limit of TEXT_LIMITS) {
      const input = build(limit, onlyNamed);
      if (estimateTokens(input) <= maxInputTokens) return input;
    }
  }
  // Still too big: the named calls at the shortest texts, truncated to the budget by count.
  const smallest = build(MIN_TEXT, true);
  const perCall = estimateTokens({ ...smallest, calls: smallest.calls.slice(0, 1), candidates: [] });
  const fit = Math.max(1, Math.floor(maxInputTokens / Math.max(perCall, 1)));
  const calls2 = smallest.calls.slice(0, fit);
  const ids = new Set(calls2.map((c) => c.id));
  return {
    ...smallest,
    calls: calls2,
    candidates: smallest.candidates.filter((c) => c.spanIds.every((s) => ids.has(s))),
  };
}
