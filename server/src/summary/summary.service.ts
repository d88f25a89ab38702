import type { TimeRange } from '../common/time-range.js';
import type { WasteByKind, WasteEstimator } from '../waste/waste.estimator.js';
import { BREAKDOWNS, type Breakdown, type BreakdownRow, type SummaryRepository } from './summary.repository.js';

export interface Summary {
  from: string;
  to: string;
  service: string | null;
  calls: number;
  errors: number;
  errorRate: number;
  unpricedCalls: number;
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number; reasoning: number };
  cacheHitRatio: number;
  costUsd: number;
  by: Record<Breakdown, { key: string; calls: number; costUsd: number; inputTokens: number; outputTokens: number }[]>;
  waste: { byKind: WasteByKind[]; savingUsdPerDay: number; savingUsdPerMonth: number; shareOfSpend: number };
}

const toEntry = (r: BreakdownRow) => ({
  key: r.key,
  calls: Number(r.calls),
  costUsd: r.cost,
  inputTokens: Number(r.inputTokens),
  outputTokens: Number(r.outputTokens),
});

export class SummaryService {
  constructor(
    private readonly repo: SummaryRepository,
    private readonly waste: WasteEstimator,
  ) {}

  async summary(range: TimeRange, service: string | undefined, top: number): Promise<Summary> {
    const keys = Object.keys(BREAKDOWNS) as Breakdown[];
    const [totals, waste, ...breakdowns] = await Promise.all([
      this.repo.totals(range, service),
      this.waste.byKind(range, service),
      ...keys.map((k) => this.repo.breakdown(k, range, service, top)),
    ]);
    const calls = Number(totals.calls);
    const input = Number(totals.inputTokens);
    const days = Math.max((range.to.getTime() - range.from.getTime()) / 86_400_000, 1 / 24);
    const perDay = waste.reduce((s, w) => s + w.savingUsdPerDay, 0);
    const spendPerDay = totals.cost / days;
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      service: service ?? null,
      calls,
      errors: Number(totals.errors),
      errorRate: calls > 0 ? Number(totals.errors) / calls : 0,
      unpricedCalls: Number(totals.unpriced),
      tokens: {
        input,
        output: Number(totals.outputTokens),
        cacheRead: Number(totals.cacheReadTokens),
        cacheWrite: Number(totals.cacheWriteTokens),
        reasoning: Number(totals.reasoningTokens),
      },
      cacheHitRatio: input > 0 ? Number(totals.cacheReadTokens) / input : 0,
      costUsd: totals.cost,
      by: Object.fromEntries(keys.map((k, i) => [k, breakdowns[i]!.map(toEntry)])) as Summary['by'],
      waste: {
        byKind: waste,
        savingUsdPerDay: perDay,
        savingUsdPerMonth: perDay * 30,
        shareOfSpend: spendPerDay > 0 ? Math.min(perDay / spendPerDay, 1) : 0,
      },
    };
  }
}
