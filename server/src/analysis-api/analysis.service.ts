import type { AnalysisEngine, AnalysisRow, AnalysisTrigger, JudgeReport, TraceAnalysis } from '../analysis/index.js';
import { TraceNotFoundError } from '../analysis/index.js';
import { KaizenError, notFound } from '../common/errors.js';
import type { FindingsService } from '../findings/findings.service.js';
import type { Finding } from '../findings/findings.mapper.js';

/** One analysis as the API returns it. */
export interface AnalysisView {
  analysisId: string;
  traceId: string;
  service: string;
  workflow: string;
  status: string;
  trigger: string;
  startedAt: string | null;
  durationMs: number;
  calls: number;
  costUsd: number;
  costAfterUsd: number;
  savingUsdPerRun: number;
  savingUsdPerDay: number | null;
  savingUsdPerMonth: number;
  runsPerDay: number | null;
  judge: {
    status: string;
    model: string;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
    message?: string;
  };
  error: string | null;
  findings: Finding[];
}

function fromRun(r: TraceAnalysis, trigger: AnalysisTrigger, judge: JudgeReport, findings: Finding[]): AnalysisView {
  return {
    analysisId: r.analysisId,
    traceId: r.traceId,
    service: r.serviceName,
    workflow: r.workflowName,
    status: 'done',
    trigger,
    startedAt: null,
    durationMs: Math.round(r.durationMs),
    calls: r.calls,
    costUsd: r.costBeforeUSD,
    costAfterUsd: r.costAfterUSD,
    savingUsdPerRun: r.savingUSDPerRun,
    savingUsdPerDay: r.savingUSDPerDay,
    savingUsdPerMonth: r.savingUSDPerMonth,
    runsPerDay: r.runsPerDay,
    judge: {
      status: judge.status,
      model: judge.model,
      inputTokens: judge.inputTokens,
      outputTokens: judge.outputTokens,
      costUsd: judge.costUSD,
      message: judge.message,
    },
    error: null,
    findings,
  };
}

const chIso = (t: string) => (t ? new Date(`${t.replace(' ', 'T')}Z`).toISOString() : null);

function fromRow(a: AnalysisRow, findings: Finding[]): AnalysisView {
  return {
    analysisId: a.AnalysisId,
    traceId: a.TraceId,
    service: a.ServiceName,
    workflow: a.WorkflowName,
    status: a.Status,
    trigger: a.Trigger,
    startedAt: chIso(a.StartedAt),
    durationMs: Number(a.DurationMs),
    calls: Number(a.Calls),
    costUsd: a.CostUSD,
    costAfterUsd: a.CostAfterUSD,
    savingUsdPerRun: a.SavingUSDPerRun,
    savingUsdPerDay: null,
    savingUsdPerMonth: a.SavingUSDPerMonth,
    runsPerDay: null,
    judge: {
      status: a.JudgeStatus,
      model: a.JudgeModel,
      inputTokens: Number(a.JudgeInputTokens),
      outputTokens: Number(a.JudgeOutputTokens),
      costUsd: a.JudgeCostUSD,
    },
    error: a.Error || null,
    findings,
  };
}

/**
 * Analyses on demand for the API, the CLI and the auto-analyser: one analysis per run at a time
 * (a second request for the same run waits for the first), and at most `maxConcurrent` at once;
 * past that the API answers 429 with Retry-After instead of queueing without bound.
 */
export class AnalysisService {
  private readonly inFlight = new Map<string, Promise<AnalysisView>>();
  private windowRun: ReturnType<AnalysisEngine['analyzeWindow']> | undefined;

  constructor(
    readonly engine: AnalysisEngine,
    private readonly findings: FindingsService,
    private readonly maxConcurrent: number,
  ) {}

  get running(): number {
    return this.inFlight.size;
  }

  analyze(traceId: string, trigger: AnalysisTrigger): Promise<AnalysisView> {
    const id = traceId.toLowerCase();
    const existing = this.inFlight.get(id);
    if (existing) return existing;
    if (this.inFlight.size >= this.maxConcurrent) {
      return Promise.reject(
        new KaizenError(
          'KAIZEN_ERR_BUSY',
          `${this.inFlight.size} analyses are running (the most at once is ${this.maxConcurrent}); try again shortly`,
          { retryAfterSeconds: 5 },
        ),
      );
    }
    const p = this.run(id, trigger).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  private async run(traceId: string, trigger: AnalysisTrigger): Promise<AnalysisView> {
    let r: TraceAnalysis;
    try {
      r = await this.engine.analyzeTrace(traceId, { trigger });
    } catch (e) {
      if (e instanceof TraceNotFoundError) throw notFound(`Workflow run ${traceId}`);
      throw e;
    }
    return fromRun(r, trigger, r.judge, await this.findings.ofTrace(traceId));
  }

  /**
   * Cross-run analysis of a window (requests answered identically in several runs → a cache
   * recommendation): replaces the window's cross-run findings. One at a time.
   */
  analyzeWindow(range: { from: Date; to: Date }, service: string | undefined, trigger: AnalysisTrigger) {
    this.windowRun ??= this.engine
      .analyzeWindow({ from: range.from, to: range.to, trigger, ...(service !== undefined ? { service } : {}) })
      .finally(() => (this.windowRun = undefined));
    return this.windowRun;
  }

  /** The last analysis of a run and its live findings. */
  async get(traceId: string): Promise<AnalysisView> {
    const id = traceId.toLowerCase();
    const stored = await this.engine.getAnalysis(id);
    if (!stored) {
      throw new KaizenError(
        'KAIZEN_ERR_NOT_FOUND',
        `Workflow run ${id} has not been analysed: POST /api/workflows/${id}/analyze`,
      );
    }
    return fromRow(stored.analysis, await this.findings.ofTrace(id));
  }
}
