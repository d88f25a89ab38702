import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type Trigger = 'api' | 'auto' | 'cli';

/** Metrics of this process's own work: analyses, insights, the judge, regressions, the budget. */
export class ServiceMetrics {
  readonly analysisDuration: Histogram<'trigger'>;
  readonly analyses: Counter<'trigger' | 'status'>;
  readonly insights: Counter<'kind'>;
  readonly regressionDetected: Gauge<'service' | 'workflow' | 'metric' | 'comparison'>;
  readonly regressionRatio: Gauge<'service' | 'workflow' | 'metric' | 'comparison'>;
  readonly judgeCircuit: Gauge;
  readonly judgeRequests: Counter<'outcome'>;
  readonly judgeTokens: Counter<'type'>;

  constructor(
    registry: Registry,
    opts: { readonly dailyBudgetUsd?: number | undefined; readonly processMetrics?: boolean },
  ) {
    const registers = [registry];
    this.analysisDuration = new Histogram({
      name: 'kaizen_analysis_duration_seconds',
      help: 'Wall time of one workflow analysis',
      labelNames: ['trigger'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.analyses = new Counter({
      name: 'kaizen_analyses_total',
      help: 'Analyses run',
      labelNames: ['trigger', 'status'],
      registers,
    });
    this.insights = new Counter({
      name: 'kaizen_insights_total',
      help: 'Findings produced by analyses',
      labelNames: ['kind'],
      registers,
    });
    this.regressionDetected = new Gauge({
      name: 'kaizen_regression_detected',
      help: '1 while a statistically significant regression holds',
      labelNames: ['service', 'workflow', 'metric', 'comparison'],
      registers,
    });
    this.regressionRatio = new Gauge({
      name: 'kaizen_regression_change_ratio',
      help: 'Current value over baseline for a regression metric',
      labelNames: ['service', 'workflow', 'metric', 'comparison'],
      registers,
    });
    this.judgeCircuit = new Gauge({
      name: 'kaizen_judge_circuit_state',
      help: 'Gemini judge breaker: 0 closed, 1 half-open, 2 open',
      registers,
    });
    this.judgeRequests = new Counter({
      name: 'kaizen_judge_requests_total',
      help: 'Gemini judge calls',
      labelNames: ['outcome'],
      registers,
    });
    this.judgeTokens = new Counter({
      name: 'kaizen_judge_tokens_total',
      help: 'Tokens the Gemini judge used',
      labelNames: ['type'],
      registers,
    });
    if (opts.dailyBudgetUsd !== undefined) {
      const budget = new Gauge({
        name: 'kaizen_budget_daily_usd',
        help: 'The daily LLM budget (KAIZEN_DAILY_BUDGET_USD)',
        registers,
      });
      budget.set(opts.dailyBudgetUsd);
    }
    this.judgeCircuit.set(0);
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });
  }
}
