import type { CallRecord, DraftFinding } from '../analysis.types.js';
import type { SemanticPair } from '../detectors/index.js';
import { DAYS_PER_MONTH } from '../findings/savings.js';
import type { PriceBook } from '../pricing/price-book.js';
import { buildJudgeInput, estimateTokens, judgeCandidates } from './judge-input.js';
import { mergeJudgement } from './judge-merge.js';
import type { Judge, JudgeHooks } from './judge.types.js';

/**
 * Whether and how the judge takes part in one analysis: not without a judge (no GEMINI_API_KEY),
 * not while its breaker is open, not when everything it could change is worth less than the
 * judgement costs; otherwise it is asked, and a failure leaves the local findings as they are.
 */

export type JudgeStatus = 'used' | 'cached' | 'skipped_no_key' | 'skipped_below_cost' | 'circuit_open' | 'failed';

export interface JudgeReport {
  readonly status: JudgeStatus;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUSD: number;
  /** What the judge was expected to cost, and what it could at most change per month. */
  readonly estimatedCostUSD: number;
  readonly possibleSavingUSDPerMonth: number;
  readonly candidates: number;
  readonly confirmed: number;
  readonly rejected: number;
  readonly added: number;
  readonly dropped: number;
  readonly message: string;
}

export interface JudgeStageInput {
  readonly judge: Judge | undefined;
  readonly hooks: JudgeHooks | undefined;
  readonly prices: PriceBook;
  readonly workflow: string;
  readonly calls: readonly CallRecord[];
  readonly drafts: readonly DraftFinding[];
  readonly pairs: readonly SemanticPair[];
  readonly runsPerDay: number;
  readonly signal?: AbortSignal | undefined;
}

function report(status: JudgeStatus, judge: Judge | undefined, extra: Partial<JudgeReport> = {}): JudgeReport {
  return {
    status,
    model: judge?.model ?? '',
    inputTokens: 0,
    outputTokens: 0,
    costUSD: 0,
    estimatedCostUSD: 0,
    possibleSavingUSDPerMonth: 0,
    candidates: 0,
    confirmed: 0,
    rejected: 0,
    added: 0,
    dropped: 0,
    message: '',
    ...extra,
  };
}

export async function runJudgeStage(s: JudgeStageInput): Promise<{ drafts: DraftFinding[]; report: JudgeReport }> {
  const { judge } = s;
  if (!judge) return { drafts: [...s.drafts], report: report('skipped_no_key', judge) };
  if (judge.circuitState === 2) {
    s.hooks?.onRequest?.('skipped');
    return {
      drafts: [...s.drafts],
      report: report('circuit_open', judge, { message: 'the judge circuit breaker is open' }),
    };
  }
  const { candidates, draftOf, pairOf } = judgeCandidates(s.drafts, s.pairs);
  const input = buildJudgeInput(s.workflow, s.calls, candidates, judge.maxInputTokens);
  const price = s.prices.priceOf(judge.provider, judge.model);
  const inTokens = estimateTokens(input);
  const outTokens = Math.min(judge.maxOutputTokens, 200 + 120 * candidates.length);
  const estimated = price ? (inTokens * price.inputPerMTok + outTokens * price.outputPerMTok) / 1e6 : 0;

  // At most the judge can confirm the candidates and find duplicates among calls no fix covers yet.
  const bestLocal = new Map<string, number>();
  for (const d of s.drafts) {
    for (const [span, v] of d.savingBySpan) bestLocal.set(span, Math.max(bestLocal.get(span) ?? 0, v));
  }
  const candidateSaving = [...draftOf.values()].reduce(
    (sum, i) => sum + [...s.drafts[i]!.savingBySpan.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const uncovered = s.calls.reduce((sum, c) => sum + Math.max(0, c.costUSD - (bestLocal.get(c.spanId) ?? 0)), 0);
  const possible = (candidateSaving + uncovered) * Math.max(s.runsPerDay, 1) * DAYS_PER_MONTH;
  const base = { estimatedCostUSD: estimated, possibleSavingUSDPerMonth: possible, candidates: candidates.length };
  if (possible < estimated || (candidates.length === 0 && s.calls.filter((c) => c.hasContent).length < 2)) {
    s.hooks?.onRequest?.('skipped');
    return { drafts: [...s.drafts], report: report('skipped_below_cost', judge, base) };
  }

  const result = await judge.judge(input, s.signal ? { signal: s.signal } : {});
  const cost = price
    ? (result.usage.inputTokens * price.inputPerMTok + result.usage.outputTokens * price.outputPerMTok) / 1e6
    : 0;
  const usage = { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, costUSD: cost };
  if (!result.ok) {
    const status: JudgeStatus = result.failure === 'circuit_open' ? 'circuit_open' : 'failed';
    return {
      drafts: [...s.drafts],
      report: report(status, judge, { ...base, ...usage, message: `${result.failure}: ${result.message}` }),
    };
  }
  const merged = mergeJudgement(s.drafts, s.pairs, draftOf, pairOf, s.calls, result);
  const confirmed = result.verdicts.filter((v) => v.verdict === 'confirm').length;
  return {
    drafts: merged,
    report: report(result.cached ? 'cached' : 'used', judge, {
      ...base,
      ...usage,
      confirmed,
      rejected: result.verdicts.length - confirmed,
      added: merged.filter((d) => d.detectedBy !== 'local' && d.subkind === 'semantic').length,
      dropped: result.dropped,
    }),
  };
}
