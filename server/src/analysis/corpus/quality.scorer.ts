import type { Finding } from '../analysis.types.js';
import type { CorpusModelCall, CorpusTrace, TruthLabel } from './corpus.types.js';

/**
 * Scores findings against the corpus labels: precision, recall and F1 per kind, false alarms on
 * traps, and the error of the estimated savings against the true ones (each call's saving counted
 * once, by the best fix, on both sides).
 */

export type Category =
  | 'redundant_call/exact'
  | 'redundant_call/paraphrase'
  | 'model_overkill'
  | 'prompt_bloat/uncached_prefix'
  | 'prompt_bloat/history_growth'
  | 'prompt_bloat/unused_context'
  | 'prompt_bloat/oversized_examples'
  | 'retry_waste'
  | 'agent_loop';

export const CATEGORIES: readonly Category[] = [
  'redundant_call/exact',
  'redundant_call/paraphrase',
  'model_overkill',
  'prompt_bloat/uncached_prefix',
  'prompt_bloat/history_growth',
  'prompt_bloat/unused_context',
  'prompt_bloat/oversized_examples',
  'retry_waste',
  'agent_loop',
];

export function categoryOf(kind: string, subkind: string): Category {
  if (kind === 'redundant_call') return subkind === 'exact' ? 'redundant_call/exact' : 'redundant_call/paraphrase';
  if (kind === 'prompt_bloat') return `prompt_bloat/${subkind}` as Category;
  return kind as Category;
}

export interface KindScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface TraceResult {
  readonly trace: CorpusTrace;
  readonly findings: readonly Finding[];
  readonly estimatedSavingUSD: number;
}

export interface QualityReport {
  readonly byCategory: Record<Category, KindScore>;
  readonly trapFalseAlarms: number;
  readonly trapsChecked: number;
  readonly falseAlarmNotes: string[];
  readonly missedNotes: string[];
  readonly extraNotes: string[];
  readonly savings: {
    readonly traces: number;
    readonly trueUSD: number;
    readonly estimatedUSD: number;
    /** |Σ estimated − Σ true| / Σ true. */
    readonly totalError: number;
    /** Median per-trace |estimated − true| / true (traces with a true saving). */
    readonly medianTraceError: number;
    /** Share of traces whose estimate is within ±10 % of the truth. */
    readonly within10: number;
  };
}

const overlap = (a: readonly string[], b: readonly string[]) => {
  const set = new Set(b);
  return a.filter((x) => set.has(x)).length;
};

/** The true saving of a run: every call's best label saving, never more than the call cost. */
export function trueRunSaving(trace: CorpusTrace): number {
  const cost = new Map(
    trace.spans.filter((s): s is CorpusModelCall => s.type === 'model').map((c) => [c.spanId, c.costUSD]),
  );
  const best = new Map<string, number>();
  for (const l of trace.labels) {
    for (const [span, v] of Object.entries(l.savingBySpan)) {
      const capped = Math.min(v, cost.get(span) ?? v);
      best.set(span, Math.max(best.get(span) ?? 0, capped));
    }
  }
  return [...best.values()].reduce((s, v) => s + v, 0);
}

function score(tp: number, fp: number, fn: number): KindScore {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

export function scoreQuality(results: readonly TraceResult[]): QualityReport {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<
    Category,
    { tp: number; fp: number; fn: number }
  >;
  let trapFalseAlarms = 0;
  let trapsChecked = 0;
  const falseAlarmNotes: string[] = [];
  const missedNotes: string[] = [];
  const extraNotes: string[] = [];
  const errors: number[] = [];
  let trueTotal = 0;
  let estTotal = 0;
  let within = 0;

  for (const { trace, findings, estimatedSavingUSD } of results) {
    const used = new Set<number>();
    const labels: TruthLabel[] = [...trace.labels];
    for (const label of labels) {
      const cat = categoryOf(label.kind, label.subkind);
      const need = Math.min(2, label.spanIds.length);
      const idx = findings.findIndex(
        (f, i) => !used.has(i) && categoryOf(f.kind, f.subkind) === cat && overlap(f.spanIds, label.spanIds) >= need,
      );
      if (idx >= 0) {
        used.add(idx);
        counts[cat].tp++;
      } else {
        counts[cat].fn++;
        missedNotes.push(`${trace.workflowName}: ${cat} — ${label.note}`);
      }
    }
    findings.forEach((f, i) => {
      if (used.has(i)) return;
      const cat = categoryOf(f.kind, f.subkind);
      if (!CATEGORIES.includes(cat)) return;
      counts[cat].fp++;
      extraNotes.push(`${trace.workflowName}: ${cat} — ${f.title}`);
    });
    for (const trap of trace.traps) {
      trapsChecked++;
      const need = Math.min(2, trap.spanIds.length);
      const hit = findings.find(
        (f) =>
          f.kind === trap.kind &&
          (trap.subkind === '' || f.subkind === trap.subkind) &&
          overlap(f.spanIds, trap.spanIds) >= need,
      );
      if (hit) {
        trapFalseAlarms++;
        falseAlarmNotes.push(
          `${trace.workflowName}: ${trap.note} — reported as ${hit.kind}/${hit.subkind}: ${hit.title}`,
        );
      }
    }
    const truth = trueRunSaving(trace);
    trueTotal += truth;
    estTotal += estimatedSavingUSD;
    if (truth > 0) {
      const e = Math.abs(estimatedSavingUSD - truth) / truth;
      errors.push(e);
      if (e <= 0.1) within++;
    }
  }
  errors.sort((a, b) => a - b);
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => [c, score(counts[c].tp, counts[c].fp, counts[c].fn)]),
  ) as Record<Category, KindScore>;
  return {
    byCategory,
    trapFalseAlarms,
    trapsChecked,
    falseAlarmNotes,
    missedNotes,
    extraNotes,
    savings: {
      traces: errors.length,
      trueUSD: trueTotal,
      estimatedUSD: estTotal,
      totalError: trueTotal === 0 ? 0 : Math.abs(estTotal - trueTotal) / trueTotal,
      medianTraceError: errors.length === 0 ? 0 : errors[Math.floor(errors.length / 2)]!,
      within10: errors.length === 0 ? 1 : within / errors.length,
    },
  };
}
