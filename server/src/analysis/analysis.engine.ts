import { randomUUID } from 'node:crypto';
import { chTime, type Storage } from '@kaizen/clickhouse';
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from './analysis.options.js';
import { AnalysisRepository, type AnalysisRow, type LogMessageRow, type RunInfoRow } from './analysis.repository.js';
import type { Finding, RunData } from './analysis.types.js';
import { crossRunFindings } from './cross-run.analyzer.js';
import { DetectorContext, runLocalDetectors } from './detectors/index.js';
import { fromFindingRow, nextVersion, planWrite, toFindingRow } from './findings/finding-rows.js';
import { reconcileSavings } from './findings/savings.js';
import { runJudgeStage, type JudgeReport } from './judge/judge-stage.js';
import type { Judge, JudgeHooks } from './judge/judge.types.js';
import { PriceBook } from './pricing/price-book.js';
import { buildCallRecords, buildToolRecords, parseChTime } from './run-data.builder.js';

/**
 * The analysis engine, framework-free: reads a run from ClickHouse, runs the local detectors, asks
 * the judge when it pays, reconciles savings, and writes waste_findings and analyses (re-analysis
 * replaces, never duplicates). The service wraps it in a Nest module; the CLI calls it directly.
 */

export type AnalysisTrigger = 'api' | 'auto' | 'cli';

/** The subset of a pino logger the engine uses. */
export interface AnalysisLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Callbacks the service turns into Prometheus metrics (kaizen_analysis_*, kaizen_insights_total). */
export interface AnalysisHooks {
  onAnalysis?(event: { trigger: AnalysisTrigger; status: 'done' | 'failed'; durationSeconds: number }): void;
  onInsights?(kind: string, count: number): void;
}

export interface AnalysisEngineOptions {
  readonly storage: Storage;
  readonly options?: Partial<AnalysisOptions>;
  /** The judge (createGeminiJudge); without one the local detectors do the whole job. */
  readonly judge?: Judge | undefined;
  /** Hooks of the judge, for the 'skipped' outcomes the engine decides (pass the judge's own). */
  readonly judgeHooks?: JudgeHooks;
  readonly hooks?: AnalysisHooks;
  readonly logger?: AnalysisLogger;
  /** Prices are re-read after this long (ms). Default 10 minutes. */
  readonly priceTtlMs?: number;
  readonly now?: () => Date;
}

export interface TraceAnalysis {
  readonly analysisId: string;
  readonly traceId: string;
  readonly serviceName: string;
  readonly workflowName: string;
  readonly calls: number;
  readonly findings: readonly Finding[];
  readonly costBeforeUSD: number;
  readonly costAfterUSD: number;
  readonly savingUSDPerRun: number;
  readonly savingUSDPerDay: number;
  readonly savingUSDPerMonth: number;
  readonly runsPerDay: number;
  readonly judge: JudgeReport;
  readonly durationMs: number;
  /** Milliseconds per local detector. */
  readonly timings: Record<string, number>;
}

export interface WindowAnalysis {
  readonly analysisId: string;
  readonly serviceName: string | undefined;
  readonly from: Date;
  readonly to: Date;
  readonly findings: readonly Finding[];
  readonly savingUSDPerDay: number;
  readonly savingUSDPerMonth: number;
  readonly durationMs: number;
}

export interface StoredAnalysis {
  readonly analysis: AnalysisRow;
  readonly findings: readonly Finding[];
}

/** The trace has no spans in the store (HTTP 404 in the API). */
export class TraceNotFoundError extends Error {
  override readonly name = 'TraceNotFoundError';
  readonly code = 'trace_not_found';
  constructor(readonly traceId: string) {
    super(`No trace ${traceId} in the store`);
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const silent: AnalysisLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface AnalysisEngine {
  analyzeTrace(traceId: string, opts?: { trigger?: AnalysisTrigger; signal?: AbortSignal }): Promise<TraceAnalysis>;
  analyzeWindow(opts: { service?: string; from: Date; to: Date; trigger?: AnalysisTrigger }): Promise<WindowAnalysis>;
  /** The stored analysis of a trace and its live findings (undefined when never analysed). */
  getAnalysis(traceId: string): Promise<StoredAnalysis | undefined>;
  /** Live findings created since a time, biggest monthly saving first. */
  listFindings(opts: { since: Date; service?: string; limit?: number }): Promise<Finding[]>;
  /** A run as the detectors see it (calls with content, tool spans), read from the store. */
  loadRun(traceId: string): Promise<RunData>;
  /** Runs the local detectors on a run already in memory (benchmarks, the demo): no judge, nothing written. */
  detect(run: RunData): Promise<TraceAnalysis>;
  readonly repository: AnalysisRepository;
}

export function createAnalysisEngine(cfg: AnalysisEngineOptions): AnalysisEngine {
  const repo = new AnalysisRepository(cfg.storage);
  const options: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, ...cfg.options };
  const log = cfg.logger ?? silent;
  const now = cfg.now ?? (() => new Date());
  const priceTtl = cfg.priceTtlMs ?? 10 * 60_000;
  let prices: { book: PriceBook; at: number } | undefined;

  async function priceBook(): Promise<PriceBook> {
    if (!prices || Date.now() - prices.at > priceTtl)
      prices = { book: new PriceBook(await repo.prices()), at: Date.now() };
    return prices.book;
  }

  async function runsPerDay(service: string, workflow: string, runStartMs: number): Promise<number> {
    const end = now().getTime();
    const windowMs = options.runRateWindowDays * DAY_MS;
    const range =
      runStartMs >= end - windowMs
        ? { from: new Date(end - windowMs), to: new Date(end) }
        : { from: new Date(runStartMs - windowMs / 2), to: new Date(runStartMs + windowMs / 2) };
    const r = await repo.runRate(service, workflow, range);
    const runs = Number(r.Runs);
    if (runs === 0 || r.FirstStart === null) return 1;
    const observedDays = Math.max((Math.min(end, range.to.getTime()) - parseChTime(r.FirstStart)) / DAY_MS, 1);
    return runs / observedDays;
  }

  async function analyse(run: RunData, rate: number, signal: AbortSignal | undefined, judge: Judge | undefined) {
    const book = await priceBook();
    const ctx = new DetectorContext(run, book, options);
    const local = runLocalDetectors(ctx);
    const judged = await runJudgeStage({
      judge,
      hooks: cfg.judgeHooks,
      prices: book,
      workflow: run.workflowName,
      calls: run.calls,
      drafts: local.findings,
      pairs: local.semanticPairs,
      runsPerDay: rate,
      signal,
    });
    const savings = reconcileSavings(judged.drafts, run.calls, {
      traceId: run.traceId,
      serviceName: run.serviceName,
      workflowName: run.workflowName,
      runsPerDay: rate,
    });
    return { savings, judge: judged.report, timings: local.timings };
  }

  async function loadRunOf(info: RunInfoRow): Promise<RunData> {
    const traceId = info.TraceId;
    const startMs = parseChTime(info.Start);
    const range = { from: new Date(startMs - HOUR_MS), to: new Date(parseChTime(info.End) + HOUR_MS) };
    const rows = await repo.calls(traceId, range);
    const bare = rows.filter((r) => r.InputMessages === '').map((r) => r.SpanId);
    const logRows = await repo.logMessages(traceId, bare);
    const bySpan = new Map<string, LogMessageRow[]>();
    for (const r of logRows) bySpan.set(r.SpanId, [...(bySpan.get(r.SpanId) ?? []), r]);
    const tools = buildToolRecords(await repo.toolSpans(traceId, range));
    return {
      traceId,
      serviceName: info.ServiceName,
      workflowName: info.WorkflowName,
      startMs,
      calls: buildCallRecords(rows, bySpan),
      tools,
    };
  }

  function analysisRow(
    base: Partial<AnalysisRow> & Pick<AnalysisRow, 'AnalysisId' | 'TraceId' | 'Status'>,
  ): AnalysisRow {
    const t = chTime(now());
    return {
      ServiceName: '',
      WorkflowName: '',
      Trigger: 'api',
      StartedAt: t,
      FinishedAt: t,
      DurationMs: 0,
      Calls: 0,
      Findings: 0,
      CostUSD: 0,
      CostAfterUSD: 0,
      SavingUSDPerRun: 0,
      SavingUSDPerMonth: 0,
      JudgeStatus: '',
      JudgeModel: '',
      JudgeInputTokens: 0,
      JudgeOutputTokens: 0,
      JudgeCostUSD: 0,
      RunLastSeen: t,
      Error: '',
      Version: nextVersion(now()).toString(),
      ...base,
    };
  }

  function countInsights(findings: readonly Finding[]): void {
    const byKind = new Map<string, number>();
    for (const f of findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    for (const [kind, n] of byKind) cfg.hooks?.onInsights?.(kind, n);
  }

  return {
    repository: repo,

    async analyzeTrace(traceId, opts = {}) {
      const trigger = opts.trigger ?? 'api';
      const t0 = performance.now();
      const startedAt = now();
      const analysisId = randomUUID();
      const info = await repo.runInfo(traceId);
      if (!info) throw new TraceNotFoundError(traceId);
      const base = {
        AnalysisId: analysisId,
        TraceId: traceId,
        ServiceName: info.ServiceName,
        WorkflowName: info.WorkflowName,
        Trigger: trigger,
        StartedAt: chTime(startedAt),
        RunLastSeen: info.LastSeen,
      };
      await repo.insertAnalysis(analysisRow({ ...base, Status: 'running' }));
      try {
        const run = await loadRunOf(info);
        const startMs = run.startMs;
        const rate = await runsPerDay(info.ServiceName, info.WorkflowName, startMs);
        const { savings, judge, timings } = await analyse(run, rate, opts.signal, cfg.judge);
        const version = nextVersion(now());
        const fresh = savings.findings.map((f) =>
          toFindingRow(f, { analysisId, runStartMs: startMs, createdAt: now(), version }),
        );
        const live = await repo.liveFindings(traceId);
        await repo.insertFindings(planWrite(fresh, live, version));
        const durationMs = performance.now() - t0;
        await repo.insertAnalysis(
          analysisRow({
            ...base,
            Status: 'done',
            FinishedAt: chTime(now()),
            DurationMs: Math.round(durationMs),
            Calls: run.calls.length,
            Findings: savings.findings.length,
            CostUSD: savings.costBeforeUSD,
            CostAfterUSD: savings.costAfterUSD,
            SavingUSDPerRun: savings.savingUSDPerRun,
            SavingUSDPerMonth: savings.savingUSDPerMonth,
            JudgeStatus: judge.status,
            JudgeModel: judge.model,
            JudgeInputTokens: judge.inputTokens,
            JudgeOutputTokens: judge.outputTokens,
            JudgeCostUSD: judge.costUSD,
            Error: judge.status === 'failed' ? judge.message : '',
          }),
        );
        cfg.hooks?.onAnalysis?.({ trigger, status: 'done', durationSeconds: durationMs / 1000 });
        countInsights(savings.findings);
        log.info({ traceId, findings: savings.findings.length, judge: judge.status, durationMs }, 'trace analysed');
        return {
          analysisId,
          traceId,
          serviceName: info.ServiceName,
          workflowName: info.WorkflowName,
          calls: run.calls.length,
          findings: savings.findings,
          costBeforeUSD: savings.costBeforeUSD,
          costAfterUSD: savings.costAfterUSD,
          savingUSDPerRun: savings.savingUSDPerRun,
          savingUSDPerDay: savings.savingUSDPerDay,
          savingUSDPerMonth: savings.savingUSDPerMonth,
          runsPerDay: rate,
          judge,
          durationMs,
          timings,
        };
      } catch (e) {
        const durationMs = performance.now() - t0;
        cfg.hooks?.onAnalysis?.({ trigger, status: 'failed', durationSeconds: durationMs / 1000 });
        log.error({ traceId, err: e }, 'analysis failed');
        await repo
          .insertAnalysis(
            analysisRow({
              ...base,
              Status: 'failed',
              DurationMs: Math.round(durationMs),
              Error: e instanceof Error ? e.message : String(e),
            }),
          )
          .catch(() => undefined);
        throw e;
      }
    },

    async analyzeWindow(opts) {
      const t0 = performance.now();
      const analysisId = randomUUID();
      const range = { from: opts.from, to: opts.to };
      const [groups, runs] = await Promise.all([
        repo.crossRunGroups(range, opts.service, 1000),
        repo.windowRuns(range, opts.service),
      ]);
      const findings = crossRunFindings(groups, runs, range, options);
      const version = nextVersion(now());
      const fresh = findings.map((f) =>
        toFindingRow(f, { analysisId, runStartMs: opts.to.getTime(), createdAt: now(), version }),
      );
      const live = (await repo.liveFindings('', opts.service)).filter((r) => r.Scope === 'cross_run');
      await repo.insertFindings(planWrite(fresh, live, version));
      const perDay = findings.reduce((s, f) => s + f.savingUSDPerDay, 0);
      const durationMs = performance.now() - t0;
      await repo.insertAnalysis(
        analysisRow({
          AnalysisId: analysisId,
          TraceId: `cross_run:${opts.service ?? '*'}`,
          ServiceName: opts.service ?? '',
          Status: 'done',
          Trigger: opts.trigger ?? 'auto',
          DurationMs: Math.round(durationMs),
          Findings: findings.length,
          SavingUSDPerMonth: perDay * 30,
          JudgeStatus: 'skipped_no_key',
        }),
      );
      countInsights(findings);
      return {
        analysisId,
        serviceName: opts.service,
        from: opts.from,
        to: opts.to,
        findings,
        savingUSDPerDay: perDay,
        savingUSDPerMonth: perDay * 30,
        durationMs,
      };
    },

    async loadRun(traceId) {
      const info = await repo.runInfo(traceId);
      if (!info) throw new TraceNotFoundError(traceId);
      return loadRunOf(info);
    },

    async getAnalysis(traceId) {
      const analysis = await repo.analysis(traceId);
      if (!analysis) return undefined;
      const rows = await repo.liveFindings(traceId);
      return { analysis, findings: rows.map(fromFindingRow) };
    },

    async listFindings(opts) {
      const rows = await repo.findingsSince(opts.since, opts.service, opts.limit ?? 200);
      return rows.map(fromFindingRow);
    },

    async detect(run) {
      const t0 = performance.now();
      const { savings, judge, timings } = await analyse(run, 1, undefined, undefined);
      return {
        analysisId: '',
        traceId: run.traceId,
        serviceName: run.serviceName,
        workflowName: run.workflowName,
        calls: run.calls.length,
        findings: savings.findings,
        costBeforeUSD: savings.costBeforeUSD,
        costAfterUSD: savings.costAfterUSD,
        savingUSDPerRun: savings.savingUSDPerRun,
        savingUSDPerDay: savings.savingUSDPerDay,
        savingUSDPerMonth: savings.savingUSDPerMonth,
        runsPerDay: 1,
        judge,
        durationMs: performance.now() - t0,
        timings,
      };
    },
  };
}
