import type { TimeRange } from '../common/time-range.js';
import type { WasteByKind, WasteEstimator } from '../waste/waste.estimator.js';
import { BREAKDOWNS, type Breakdown, type GroupRow, type SummaryRepository } from './summary.repository.js';

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

type Entry = Summary['by'][Breakdown][number];

/** The top `n` keys of one breakdown: most spend first, then most calls, then by name. */
function breakdown(rows: readonly GroupRow[], by: Breakdown, n: number): Entry[] {
  const col = BREAKDOWNS[by];
  const acc = new Map<string, Entry>();
  for (const r of rows) {
    const key = r[col];
    const e = acc.get(key) ?? { key, calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 };
    e.calls += Number(r.calls);
    e.costUsd += r.cost;
    e.inputTokens += Number(r.inputTokens);
    e.outputTokens += Number(r.outputTokens);
    acc.set(key, e);
  }
  return [...acc.values()]
    .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n);
}

export class SummaryService {
  constructor(
    private readonly repo: SummaryRepository,
    private readonly waste: WasteEstimator,
  ) {}

  async summary(range: TimeRange, service: string | undefined, top: number): Promise<Summary> {
    const [rows, waste] = await Promise.all([this.repo.groups(range, service), this.waste.byKind(range, service)]);
    const sum = (f: (r: GroupRow) => number) => rows.reduce((n, r) => n + f(r), 0);
    const calls = sum((r) => Number(r.calls));
    const errors = sum((r) => Number(r.errors));
    const input = sum((r) => Number(r.inputTokens));
    const cacheRead = sum((r) => Number(r.cacheReadTokens));
    const cost = sum((r) => r.cost);
    const days = Math.max((range.to.getTime() - range.from.getTime()) / 86_400_000, 1 / 24);
    const perDay = waste.reduce((s, w) => s + w.savingUsdPerDay, 0);
    const spendPerDay = cost / days;
    const keys = Object.keys(BREAKDOWNS) as Breakdown[];
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      service: service ?? null,
      calls,
      errors,
      errorRate: calls > 0 ? errors / calls : 0,
      unpricedCalls: sum((r) => Number(r.unpriced)),
      tokens: {
        input,
        output: sum((r) => Number(r.outputTokens)),
        cacheRead,
        cacheWrite: sum((r) => Number(r.cacheWriteTokens)),
        reasoning: sum((r) => Number(r.reasoningTokens)),
      },
      cacheHitRatio: input > 0 ? cacheRead / input : 0,
      costUsd: cost,
      by: Object.fromEntries(keys.map((k) => [k, breakdown(rows, k, top)])) as Summary['by'],
      waste: {
        byKind: waste,
        savingUsdPerDay: perDay,
        savingUsdPerMonth: perDay * 30,
        shareOfSpend: spendPerDay > 0 ? Math.min(perDay / spendPerDay, 1) : 0,
      },
    };
  }
}
