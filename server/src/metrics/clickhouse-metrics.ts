import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { WasteByKind, WasteEstimator } from '../waste/waste.estimator.js';
import {
  DURATION_BUCKETS,
  TOKEN_BUCKETS,
  type CostPerRunRow,
  type MetricsRepository,
  type RunsRow,
  type TotalsRow,
} from './metrics.repository.js';

type Labels = Record<string, string>;
interface Value {
  labels: Labels;
  value: number;
  metricName?: string;
}
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: Value[];
  aggregator: 'sum';
}

interface Snapshot {
  totals: TotalsRow[];
  runs: RunsRow[];
  costPerRun: CostPerRunRow[];
  waste: WasteByKind[];
}

const OTHER = 'other';

/** Keeps the `n` label values with the most cost (then calls); the rest fold into "other". */
export function capLabels(
  rows: readonly TotalsRow[],
  pick: (r: TotalsRow) => string,
  n: number,
): (value: string) => string {
  const score = new Map<string, [number, number]>();
  for (const r of rows) {
    const v = pick(r);
    const s = score.get(v) ?? [0, 0];
    score.set(v, [s[0] + r.CostUSD, s[1] + Number(r.Calls)]);
  }
  const keep = new Set(
    [...score.entries()]
      .sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || a[0].localeCompare(b[0]))
      .slice(0, n)
      .map(([v]) => v),
  );
  return (v) => (keep.has(v) ? v : OTHER);
}

const orUnknown = (v: string, empty = 'unknown') => (v === '' ? empty : v);

/** Sums values that fold into the same label set (after capping). */
class Folder {
  private readonly acc = new Map<string, { labels: Labels; values: number[] }>();
  add(labels: Labels, values: readonly number[]): void {
    const key = JSON.stringify(labels);
    const cur = this.acc.get(key);
    if (cur) values.forEach((v, i) => (cur.values[i] = (cur.values[i] ?? 0) + v));
    else this.acc.set(key, { labels, values: [...values] });
  }
  entries() {
    return [...this.acc.values()];
  }
}

/**
 * Prometheus families computed from ClickHouse, so they are right whichever collector wrote the
 * spans and survive restarts (totals come from genai_call_totals, which has no TTL). A scrape reads
 * a snapshot at most every `ttlMs`; if ClickHouse fails, the last good snapshot is served.
 */
export class ClickHouseMetrics {
  private pending: Promise<Snapshot> | undefined;
  private last: Snapshot = { totals: [], runs: [], costPerRun: [], waste: [] };
  private loadedAt = 0;

  constructor(
    private readonly repo: MetricsRepository,
    private readonly waste: WasteEstimator,
    private readonly logger: Logger,
    private readonly opts: { readonly topN: number; readonly ttlMs?: number },
  ) {}

  register(registry: Registry): void {
    const families: [string, string, Family['type'], (s: Snapshot) => Value[]][] = [
      ['kaizen_genai_calls_total', 'Model calls stored', 'counter', (s) => this.calls(s)],
      [
        'kaizen_genai_tokens_total',
        'Tokens of model calls (input includes cache; output includes reasoning)',
        'counter',
        (s) => this.tokens(s),
      ],
      ['kaizen_genai_cost_usd_total', 'USD spent on model calls', 'counter', (s) => this.cost(s)],
      ['kaizen_genai_unpriced_calls_total', 'Model calls no price matched', 'counter', (s) => this.unpriced(s)],
      ['gen_ai_client_operation_duration_seconds', 'GenAI operation duration', 'histogram', (s) => this.durations(s)],
      ['gen_ai_client_token_usage', 'Tokens per GenAI operation', 'histogram', (s) => this.tokenUsage(s)],
      [
        'kaizen_workflow_runs_total',
        'Workflow runs seen (approximate distinct traces)',
        'counter',
        (s) => this.runs(s),
      ],
      [
        'kaizen_workflow_cost_per_run_usd',
        'Mean cost per workflow run over the last hour',
        'gauge',
        (s) => this.costPerRunValues(s),
      ],
      [
        'kaizen_waste_estimated_usd',
        'Estimated saving per day (USD) of current findings, by kind',
        'gauge',
        (s) => this.wasteValues(s),
      ],
    ];
    for (const [name, help, type, values] of families) {
      registry.registerMetric({
        name,
        help,
        type,
        get: async (): Promise<Family> => ({
          name,
          help,
          type,
          values: values(await this.snapshot()),
          aggregator: 'sum',
        }),
      } as unknown as Parameters<Registry['registerMetric']>[0]);
    }
  }

  /** Forces the next scrape to read ClickHouse again (tests, and after an analysis). */
  invalidate(): void {
    this.loadedAt = 0;
  }

  private snapshot(): Promise<Snapshot> {
    if (Date.now() - this.loadedAt < (this.opts.ttlMs ?? 5000)) return Promise.resolve(this.last);
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<Snapshot> {
    try {
      const now = new Date();
      const [totals, runs, costPerRun, waste] = await Promise.all([
        this.repo.totals(),
        this.repo.runs(),
        this.repo.costPerRun(3_600_000, now),
        this.waste.byKind({ from: new Date(now.getTime() - 86_400_000), to: now }),
      ]);
      this.last = { totals, runs, costPerRun, waste };
      this.loadedAt = Date.now();
    } catch (e) {
      this.logger.warn({ err: e }, 'metrics: ClickHouse read failed; serving the last values');
    }
    return this.last;
  }

  private caps(s: Snapshot) {
    const n = this.opts.topN;
    return {
      service: capLabels(s.totals, (r) => r.ServiceName, n),
      provider: capLabels(s.totals, (r) => r.Provider, n),
      model: capLabels(s.totals, (r) => r.Model, n),
      workflow: capLabels(s.totals, (r) => r.WorkflowName, n),
    };
  }

  private base(s: Snapshot, withWorkflow: boolean) {
    const c = this.caps(s);
    return (r: TotalsRow): Labels => ({
      service: orUnknown(c.service(r.ServiceName)),
      provider: orUnknown(c.provider(r.Provider)),
      model: orUnknown(c.model(r.Model)),
      ...(withWorkflow ? { workflow: orUnknown(c.workflow(r.WorkflowName), 'none') } : {}),
    });
  }

  private fold(
    s: Snapshot,
    withWorkflow: boolean,
    extra: (r: TotalsRow) => Labels,
    values: (r: TotalsRow) => number[],
    extraFirst = false,
  ): Folder {
    const labelsOf = this.base(s, withWorkflow);
    const f = new Folder();
    for (const r of s.totals)
      f.add(extraFirst ? { ...extra(r), ...labelsOf(r) } : { ...labelsOf(r), ...extra(r) }, values(r));
    return f;
  }

  private calls(s: Snapshot): Value[] {
    return this.fold(
      s,
      true,
      (r) => ({ status: r.IsError ? 'error' : 'ok' }),
      (r) => [Number(r.Calls)],
    )
      .entries()
      .map((e) => ({ labels: e.labels, value: e.values[0]! }));
  }

  private tokens(s: Snapshot): Value[] {
    const types: [string, keyof TotalsRow][] = [
      ['input', 'InputTokens'],
      ['output', 'OutputTokens'],
      ['cache_read', 'CacheReadTokens'],
      ['cache_write', 'CacheWriteTokens'],
      ['reasoning', 'ReasoningTokens'],
    ];
    const f = this.fold(
      s,
      false,
      () => ({}),
      (r) => types.map(([, col]) => Number(r[col])),
    );
    return f
      .entries()
      .flatMap((e) => types.map(([type], i) => ({ labels: { type, ...e.labels }, value: e.values[i]! })));
  }

  private cost(s: Snapshot): Value[] {
    return this.fold(
      s,
      true,
      () => ({}),
      (r) => [r.CostUSD],
    )
      .entries()
      .map((e) => ({ labels: e.labels, value: e.values[0]! }));
  }

  private unpriced(s: Snapshot): Value[] {
    return this.fold(
      s,
      false,
      () => ({}),
      (r) => [Number(r.UnpricedCalls)],
    )
      .entries()
      .map((e) => ({ labels: e.labels, value: e.values[0]! }));
  }

  private histogram(name: string, bounds: readonly number[], folder: Folder, sumIndex: number): Value[] {
    return folder.entries().flatMap((e) => {
      const count = e.values[bounds.length]!;
      return [
        ...bounds.map((b, i) => ({
          metricName: `${name}_bucket`,
          labels: { ...e.labels, le: String(b) },
          value: e.values[i]!,
        })),
        { metricName: `${name}_bucket`, labels: { ...e.labels, le: '+Inf' }, value: count },
        { metricName: `${name}_sum`, labels: e.labels, value: e.values[sumIndex]! },
        { metricName: `${name}_count`, labels: e.labels, value: count },
      ];
    });
  }

  private durations(s: Snapshot): Value[] {
    const f = this.fold(
      s,
      true,
      () => ({}),
      (r) => [...r.DurationBuckets.map(Number), Number(r.Calls), r.DurationSeconds],
    );
    return this.histogram('gen_ai_client_operation_duration_seconds', DURATION_BUCKETS, f, DURATION_BUCKETS.length + 1);
  }

  private tokenUsage(s: Snapshot): Value[] {
    const input = this.fold(
      s,
      false,
      () => ({ type: 'input' }),
      (r) => [...r.InputTokenBuckets.map(Number), Number(r.Calls), Number(r.InputTokens)],
      true,
    );
    const output = this.fold(
      s,
      false,
      () => ({ type: 'output' }),
      (r) => [...r.OutputTokenBuckets.map(Number), Number(r.Calls), Number(r.OutputTokens)],
      true,
    );
    const name = 'gen_ai_client_token_usage';
    return [
      ...this.histogram(name, TOKEN_BUCKETS, input, TOKEN_BUCKETS.length + 1),
      ...this.histogram(name, TOKEN_BUCKETS, output, TOKEN_BUCKETS.length + 1),
    ];
  }

  private runs(s: Snapshot): Value[] {
    const c = this.caps(s);
    const f = new Folder();
    for (const r of s.runs) {
      f.add({ service: orUnknown(c.service(r.service)), workflow: orUnknown(c.workflow(r.workflow), 'none') }, [
        Number(r.runs),
      ]);
    }
    return f.entries().map((e) => ({ labels: e.labels, value: e.values[0]! }));
  }

  private costPerRunValues(s: Snapshot): Value[] {
    const c = this.caps(s);
    const acc = new Map<string, { labels: Labels; cost: number; runs: number }>();
    for (const r of s.costPerRun) {
      const labels = { service: orUnknown(c.service(r.service)), workflow: orUnknown(c.workflow(r.workflow), 'none') };
      const key = JSON.stringify(labels);
      const cur = acc.get(key) ?? { labels, cost: 0, runs: 0 };
      cur.cost += r.costPerRun * Number(r.runs);
      cur.runs += Number(r.runs);
      acc.set(key, cur);
    }
    return [...acc.values()].map((a) => ({ labels: a.labels, value: a.runs > 0 ? a.cost / a.runs : 0 }));
  }

  private wasteValues(s: Snapshot): Value[] {
    return s.waste.map((w) => ({ labels: { kind: w.kind }, value: w.savingUsdPerDay }));
  }
}
