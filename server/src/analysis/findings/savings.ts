import { createHash } from 'node:crypto';
import type { CallRecord, DraftFinding, Finding } from '../analysis.types.js';
import { round } from './format.js';

/**
 * Savings you can trust: every call's saving is counted once, by the fix that saves the most on
 * it (an exact duplicate of a call that also uses too big a model is saved by the cache, not
 * twice), never more than the call cost; the run's cost after every fix follows. Projections use
 * the workflow's real run rate.
 */

export const DAYS_PER_MONTH = 30;

const KIND_ORDER = ['redundant_call', 'retry_waste', 'agent_loop', 'prompt_bloat', 'model_overkill'];

export interface RunSavings {
  readonly findings: Finding[];
  readonly costBeforeUSD: number;
  readonly costAfterUSD: number;
  readonly savingUSDPerRun: number;
  readonly savingUSDPerDay: number;
  readonly savingUSDPerMonth: number;
}

/** A finding's id: stable across re-analyses of the same trace while the finding holds. */
export function findingId(traceId: string, key: string): string {
  return createHash('sha256').update(`${traceId}\x1f${key}`).digest('hex').slice(0, 32);
}

export function reconcileSavings(
  drafts: readonly DraftFinding[],
  calls: readonly CallRecord[],
  meta: { traceId: string; serviceName: string; workflowName: string; runsPerDay: number },
): RunSavings {
  const costOf = new Map(calls.map((c) => [c.spanId, c.costUSD]));
  // The best fix per call.
  const best = new Map<string, { finding: number; saving: number }>();
  drafts.forEach((d, i) => {
    for (const [span, raw] of d.savingBySpan) {
      const cap = costOf.get(span);
      const saving = Math.max(0, Math.min(raw, cap ?? raw));
      if (saving <= 0) continue;
      const cur = best.get(span);
      const better =
        !cur ||
        saving > cur.saving + 1e-12 ||
        (Math.abs(saving - cur.saving) <= 1e-12 &&
          (d.confidence > drafts[cur.finding]!.confidence ||
            (d.confidence === drafts[cur.finding]!.confidence &&
              KIND_ORDER.indexOf(d.kind) < KIND_ORDER.indexOf(drafts[cur.finding]!.kind))));
      if (better) best.set(span, { finding: i, saving });
    }
  });
  const attributed = new Float64Array(drafts.length);
  let total = 0;
  for (const { finding, saving } of best.values()) {
    attributed[finding] = (attributed[finding] ?? 0) + saving;
    total += saving;
  }
  const costBefore = calls.reduce((s, c) => s + c.costUSD, 0);
  const findings: Finding[] = drafts.map((d, i) => {
    const standalone = [...d.savingBySpan.entries()].reduce(
      (s, [span, v]) => s + Math.max(0, Math.min(v, costOf.get(span) ?? v)),
      0,
    );
    const perRun = attributed[i]!;
    const perDay = perRun * meta.runsPerDay;
    return {
      findingId: findingId(meta.traceId, d.key),
      traceId: meta.traceId,
      scope: 'run',
      serviceName: meta.serviceName,
      workflowName: meta.workflowName,
      kind: d.kind,
      subkind: d.subkind,
      title: d.title,
      evidence: d.evidence,
      evidenceData: { ...d.evidenceData, standaloneSavingUSDPerRun: round(standalone) },
      recommendation: d.recommendation,
      spanIds: d.spanIds,
      models: d.models,
      wasteCostUSD: round(d.wasteCostUSD),
      standaloneSavingUSDPerRun: round(standalone),
      savingUSDPerRun: round(perRun),
      runsPerDay: round(meta.runsPerDay, 4),
      savingUSDPerDay: round(perDay),
      savingUSDPerMonth: round(perDay * DAYS_PER_MONTH),
      confidence: round(d.confidence, 3),
      detectedBy: d.detectedBy,
    };
  });
  findings.sort(
    (a, b) => b.savingUSDPerRun - a.savingUSDPerRun || b.standaloneSavingUSDPerRun - a.standaloneSavingUSDPerRun,
  );
  const perDay = total * meta.runsPerDay;
  return {
    findings,
    costBeforeUSD: round(costBefore),
    costAfterUSD: round(Math.max(0, costBefore - total)),
    savingUSDPerRun: round(total),
    savingUSDPerDay: round(perDay),
    savingUSDPerMonth: round(perDay * DAYS_PER_MONTH),
  };
}
