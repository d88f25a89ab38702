import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { proportionGreaterP } from './statistics.js';
import type { Grouping, RegressionsRepository } from './regressions.repository.js';

export const REGRESSION_METRICS = [
  'cost_per_run',
  'tokens_per_run',
  'p95_latency',
  'error_rate',
  'cache_hit_ratio',
] as const;
export type RegressionMetric = (typeof REGRESSION_METRICS)[number];
export type Comparison = 'window' | 'release';

export interface Regression {
  service: string;
  workflow: string;
  metric: RegressionMetric;
  comparison: Comparison;
  baseline: { label: string; samples: number; value: number };
  current: { label: string; samples: number; value: number };
  changeRatio: number;
  pValue: number;
  regressed: boolean;
  summary: string;
}

export interface RegressionOptions {
  readonly minRuns: number;
  readonly windowMinutes: number;
  /** Significance level of every test (default 0.01). */
  readonly alpha?: number;
  /** How far back releases are compared (default 14 days). */
  readonly releaseLookbackMs?: number;
  readonly now?: () => Date;
}

/**
 * A change counts as a regression only when it is both statistically significant (a one-sided
 * test at `alpha`) and large enough to matter. These are the practical thresholds.
 */
export const THRESHOLDS = {
  cost_per_run: 1.1, // ≥ +10 %
  tokens_per_run: 1.1, // ≥ +10 %
  p95_latency: 1.2, // ≥ +20 %
  error_rate: 0.02, // ≥ +2 points (absolute)
  cache_hit_ratio: 0.8, // ≤ −20 % (relative), from a baseline of at least 5 %
} as const;

const HOUR = 3_600_000;
const MAX_RELEASE_WORKFLOWS = 50;

const pct = (r: number) => `${r >= 1 ? '+' : ''}${Math.round((r - 1) * 100)}%`;
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

export class RegressionsService {
  private latest: { computedAt: string; items: Regression[] } | undefined;
  private running: Promise<{ computedAt: string; items: Regression[] }> | undefined;

  constructor(
    private readonly repo: RegressionsRepository,
    private readonly opts: RegressionOptions,
    private readonly metrics?: ServiceMetrics,
  ) {}

  /** The last result, computing one when there is none or it is older than `maxAgeMs`. */
  async current(maxAgeMs: number): Promise<{ computedAt: string; items: Regression[] }> {
    if (this.latest && Date.now() - Date.parse(this.latest.computedAt) <= maxAgeMs) return this.latest;
    return this.refresh();
  }

  /** Recomputes every comparison and updates the regression gauges. */
  refresh(): Promise<{ computedAt: string; items: Regression[] }> {
    this.running ??= this.compute().finally(() => (this.running = undefined));
    return this.running;
  }

  private async compute(): Promise<{ computedAt: string; items: Regression[] }> {
    const now = (this.opts.now ?? (() => new Date()))();
    const split = new Date(now.getTime() - this.opts.windowMinutes * 60_000);
    const window: Grouping = { kind: 'window', baselineFrom: new Date(split.getTime() - 24 * HOUR), split, to: now };
    const items = [
      ...(await this.evaluate(window, 'window', 'previous 24 h', `last ${this.opts.windowMinutes} min`)),
      ...(await this.releases(now)),
    ];
    this.latest = { computedAt: now.toISOString(), items };
    this.publish(items);
    return this.latest;
  }

  private async releases(now: Date): Promise<Regression[]> {
    const from = new Date(now.getTime() - (this.opts.releaseLookbackMs ?? 14 * 24 * HOUR));
    const versions = await this.repo.versions(from, now);
    const byWorkflow = new Map<string, typeof versions>();
    for (const v of versions) {
      const k = `${v.service}\u0000${v.workflow}`;
      byWorkflow.set(k, [...(byWorkflow.get(k) ?? []), v]);
    }
    const out: Regression[] = [];
    for (const list of [...byWorkflow.values()].slice(0, MAX_RELEASE_WORKFLOWS)) {
      const [candidate, baseline] = list; // newest first
      if (!candidate || !baseline) continue;
      if (Number(candidate.runs) < this.opts.minRuns || Number(baseline.runs) < this.opts.minRuns) continue;
      const g: Grouping = {
        kind: 'release',
        from,
        to: now,
        service: candidate.service,
        workflow: candidate.workflow,
        candidate: candidate.version,
        baseline: baseline.version,
      };
      out.push(...(await this.evaluate(g, 'release', baseline.version, candidate.version)));
    }
    return out;
  }

  private async evaluate(
    g: Grouping,
    comparison: Comparison,
    baseLabel: string,
    currentLabel: string,
  ): Promise<Regression[]> {
    const alpha = this.opts.alpha ?? 0.01;
    const min = this.opts.minRuns;
    const [runs, cache, latency] = await Promise.all([
      this.repo.compareRuns(g, min),
      this.repo.compareCache(g, min),
      this.repo.compareLatency(g, min),
    ]);
    const out: Regression[] = [];
    const add = (
      r: { service: string; workflow: string },
      metric: RegressionMetric,
      n0: number,
      n1: number,
      v0: number,
      v1: number,
      p: number,
      regressed: boolean,
      ratio: number,
      unit: string,
    ) =>
      out.push({
        service: r.service,
        workflow: r.workflow,
        metric,
        comparison,
        baseline: { label: baseLabel, samples: n1, value: v1 },
        current: { label: currentLabel, samples: n0, value: v0 },
        changeRatio: ratio,
        pValue: p,
        regressed,
        summary: `${metric.replace(/_/g, ' ')} ${pct(ratio)} (${fmt(v1)} → ${fmt(v0)}${unit}; ${n1} vs ${n0} samples; p = ${p.toPrecision(2)})`,
      });
    for (const r of runs) {
      const n0 = Number(r.n0);
      const n1 = Number(r.n1);
      const costRatio = r.cost1 > 0 ? r.cost0 / r.cost1 : r.cost0 > 0 ? 100 : 1;
      add(
        r,
        'cost_per_run',
        n0,
        n1,
        r.cost0,
        r.cost1,
        r.costP,
        r.costP < alpha && costRatio >= THRESHOLDS.cost_per_run,
        costRatio,
        ' USD',
      );
      const tokRatio = r.tokens1 > 0 ? r.tokens0 / r.tokens1 : r.tokens0 > 0 ? 100 : 1;
      add(
        r,
        'tokens_per_run',
        n0,
        n1,
        r.tokens0,
        r.tokens1,
        r.tokensP,
        r.tokensP < alpha && tokRatio >= THRESHOLDS.tokens_per_run,
        tokRatio,
        ' tokens',
      );
      const c0 = Number(r.calls0);
      const c1 = Number(r.calls1);
      const e0 = c0 > 0 ? Number(r.errors0) / c0 : 0;
      const e1 = c1 > 0 ? Number(r.errors1) / c1 : 0;
      const ep = proportionGreaterP(Number(r.errors0), c0, Number(r.errors1), c1);
      const eRatio = e1 > 0 ? e0 / e1 : e0 > 0 ? 100 : 1;
      add(r, 'error_rate', c0, c1, e0, e1, ep, ep < alpha && e0 - e1 >= THRESHOLDS.error_rate, eRatio, '');
    }
    for (const r of cache) {
      const ratio = r.cache1 > 0 ? r.cache0 / r.cache1 : 1;
      const regressed = r.p < alpha && r.cache1 >= 0.05 && ratio <= THRESHOLDS.cache_hit_ratio;
      add(r, 'cache_hit_ratio', Number(r.n0), Number(r.n1), r.cache0, r.cache1, r.p, regressed, ratio, '');
    }
    for (const r of latency) {
      const ratio = r.p95_1 > 0 ? r.p95_0 / r.p95_1 : 1;
      add(
        r,
        'p95_latency',
        Number(r.n0),
        Number(r.n1),
        r.p95_0,
        r.p95_1,
        r.p,
        r.p < alpha && ratio >= THRESHOLDS.p95_latency,
        ratio,
        ' ms',
      );
    }
    return out;
  }

  private publish(items: readonly Regression[]): void {
    if (!this.metrics) return;
    this.metrics.regressionDetected.reset();
    this.metrics.regressionRatio.reset();
    for (const r of items) {
      const labels = { service: r.service, workflow: r.workflow, metric: r.metric, comparison: r.comparison };
      this.metrics.regressionDetected.set(labels, r.regressed ? 1 : 0);
      this.metrics.regressionRatio.set(labels, Number.isFinite(r.changeRatio) ? r.changeRatio : 0);
    }
  }
}
