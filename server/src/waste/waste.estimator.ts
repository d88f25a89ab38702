import type { TimeRange } from '../common/time-range.js';
import type { WasteRepository } from './waste.repository.js';

export interface WasteByKind {
  kind: string;
  findings: number;
  savingUsdPerDay: number;
  savingUsdPerMonth: number;
}

const DAY_MS = 86_400_000;

/**
 * Turns stored findings into waste per day without counting a workflow's waste once per run.
 * A run's finding says what fixing it saves in that run; the per-day figure of a workflow is the
 * mean saving per analysed run times the workflow's runs per day — the rate its latest analysis
 * estimated (the same rate each finding's own per-day and per-month saving uses, so a workflow with
 * one finding shows the same figure here and on the finding), else the rate seen in the window.
 * Cross-run findings (cache recommendations) already carry a per-day figure and count once each.
 */
export class WasteEstimator {
  constructor(private readonly repo: WasteRepository) {}

  async byKind(range: TimeRange, service?: string): Promise<WasteByKind[]> {
    const [groups, analysed, runs] = await Promise.all([
      this.repo.findingGroups(range, service),
      this.repo.analysedRuns(range),
      this.repo.runs(range),
    ]);
    const key = (s: string, w: string) => `${s}\u0000${w}`;
    const analysedBy = new Map(analysed.map((r) => [key(r.service, r.workflow), Number(r.n)]));
    const days = Math.max((range.to.getTime() - range.from.getTime()) / DAY_MS, 1 / 24);
    const perDayRuns = new Map(runs.map((r) => [key(r.service, r.workflow), Number(r.n) / days]));
    const analysedRate = new Map<string, number>();
    for (const g of groups) {
      const wf = key(g.ServiceName, g.WorkflowName);
      if (g.Scope !== 'cross_run' && g.runsPerDay > 0)
        analysedRate.set(wf, Math.max(analysedRate.get(wf) ?? 0, g.runsPerDay));
    }
    const out = new Map<string, WasteByKind>();
    for (const g of groups) {
      const k = out.get(g.Kind) ?? { kind: g.Kind, findings: 0, savingUsdPerDay: 0, savingUsdPerMonth: 0 };
      k.findings += Number(g.findings);
      if (g.Scope === 'cross_run') {
        k.savingUsdPerDay += g.savingPerDay;
      } else {
        const wf = key(g.ServiceName, g.WorkflowName);
        const analysedRuns = Math.max(analysedBy.get(wf) ?? 0, 1);
        const rate = analysedRate.get(wf) ?? perDayRuns.get(wf) ?? 0;
        k.savingUsdPerDay += (g.savingPerRun / analysedRuns) * rate;
      }
      out.set(g.Kind, k);
    }
    return [...out.values()]
      .map((k) => ({ ...k, savingUsdPerMonth: k.savingUsdPerDay * 30 }))
      .sort((a, b) => b.savingUsdPerDay - a.savingUsdPerDay);
  }
}
