import { empty, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import { TRUNCATION_FINISH_REASONS } from './analysis.types.js';
import type { ModelPrice } from './pricing/price-book.js';

/**
 * Every query of the analysis: a run's calls, their log-event content and tool spans, the
 * workflow's run rate, prices, and the findings and analyses it writes. Only this class holds SQL.
 */

export interface RunInfoRow {
  TraceId: string;
  WorkflowName: string;
  ServiceName: string;
  Start: string;
  End: string;
  LastSeen: string;
  Calls: string;
}

export interface CallRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  ServiceName: string;
  WorkflowName: string;
  AgentName: string;
  SessionId: string;
  ConversationId: string;
  Provider: string;
  Operation: string;
  RequestModel: string;
  ResponseModel: string;
  PriceModel: string;
  InputTokens: string;
  OutputTokens: string;
  CacheReadTokens: string;
  CacheWriteTokens: string;
  ReasoningTokens: string;
  CostUSD: number;
  CostSource: string;
  DurationNs: string;
  IsError: number;
  ErrorType: string;
  FinishReasons: string[];
  Temperature: number | null;
  TopP: number | null;
  MaxTokens: number;
  ToolCount: number;
  OutputType: string;
  PromptHash: string;
  PromptSimHash: string;
  SystemHash: string;
  InputMessages: string;
  OutputMessages: string;
  SystemInstructions: string;
}

export interface LogMessageRow {
  SpanId: string;
  Timestamp: string;
  InputMessages: string;
  OutputMessages: string;
  SystemInstructions: string;
}

export interface ToolSpanRow {
  SpanId: string;
  ParentSpanId: string;
  Timestamp: string;
  ToolName: string;
  Arguments: string;
  Result: string;
  IsError: number;
}

export interface RunRateRow {
  Runs: string;
  FirstStart: string | null;
}

export interface CrossRunGroupRow {
  ServiceName: string;
  WorkflowName: string;
  PromptHash: string;
  Provider: string;
  RequestModel: string;
  PriceModel: string;
  Calls: string;
  Runs: string;
  Answers: string;
  CostUSD: number;
  FirstSeen: string;
  LastSeen: string;
  SpanIds: string[];
  TraceIds: string[];
  MaxTemperature: number | null;
  SamplePrompt: string;
}

export interface WindowRunsRow {
  ServiceName: string;
  WorkflowName: string;
  Runs: string;
}

export interface FindingRow {
  FindingId: string;
  AnalysisId: string;
  TraceId: string;
  Scope: string;
  ServiceName: string;
  WorkflowName: string;
  Kind: string;
  Subkind: string;
  Title: string;
  Evidence: string;
  EvidenceJson: string;
  Recommendation: string;
  SpanIds: string[];
  Models: string[];
  WasteCostUSD: number;
  SavingUSDPerRun: number;
  RunsPerDay: number;
  SavingUSDPerDay: number;
  SavingUSDPerMonth: number;
  Confidence: number;
  DetectedBy: string;
  RunStart: string;
  CreatedAt: string;
  Version: string;
  IsDeleted: number;
}

export interface AnalysisRow {
  AnalysisId: string;
  TraceId: string;
  ServiceName: string;
  WorkflowName: string;
  Status: string;
  Trigger: string;
  StartedAt: string;
  FinishedAt: string;
  DurationMs: number;
  Calls: number;
  Findings: number;
  CostUSD: number;
  CostAfterUSD: number;
  SavingUSDPerRun: number;
  SavingUSDPerMonth: number;
  JudgeStatus: string;
  JudgeModel: string;
  JudgeInputTokens: number;
  JudgeOutputTokens: number;
  JudgeCostUSD: number;
  RunLastSeen: string;
  Error: string;
  Version: string;
}

/** A time range that bounds partition pruning around a run (spans may start a little before it). */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

const CALL_COLUMNS = sql`Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, WorkflowName, AgentName, SessionId,
    ConversationId, Provider, Operation, RequestModel, ResponseModel, PriceModel, InputTokens, OutputTokens,
    CacheReadTokens, CacheWriteTokens, ReasoningTokens, CostUSD, CostSource, DurationNs, IsError, ErrorType,
    FinishReasons, Temperature, TopP, MaxTokens, ToolCount, OutputType, PromptHash, PromptSimHash, SystemHash,
    InputMessages, OutputMessages, SystemInstructions`;

export class AnalysisRepository {
  constructor(private readonly storage: Storage) {}

  /** The workflow_runs rollup of one trace (undefined when the trace has no spans). */
  async runInfo(traceId: string): Promise<RunInfoRow | undefined> {
    const rows = await this.storage.query<RunInfoRow>(this.runInfoSql(traceId), { tag: 'analysis-run-info' });
    return rows[0];
  }

  runInfoSql(traceId: string): Sql {
    return sql`SELECT TraceId, max(WorkflowName) AS WorkflowName, max(ServiceName) AS ServiceName,
    min(Start) AS Start, max(End) AS End, max(LastSeen) AS LastSeen, sum(Calls) AS Calls
FROM ${this.storage.table(T.workflowRuns)}
WHERE TraceId = ${p.string(traceId)}
GROUP BY TraceId`;
  }

  async calls(traceId: string, range: TimeRange): Promise<CallRow[]> {
    return this.storage.query<CallRow>(this.callsSql(traceId, range), { tag: 'analysis-calls' });
  }

  callsSql(traceId: string, range: TimeRange): Sql {
    return sql`SELECT ${CALL_COLUMNS}
FROM ${this.storage.table(T.genaiCalls)}
WHERE TraceId = ${p.string(traceId)}
  AND Timestamp >= ${p.dateTime64(range.from)} AND Timestamp <= ${p.dateTime64(range.to)}
ORDER BY Timestamp, SpanId`;
  }

  /** Log-event content of the given calls, in time order per span. */
  async logMessages(traceId: string, spanIds: readonly string[]): Promise<LogMessageRow[]> {
    if (spanIds.length === 0) return [];
    return this.storage.query<LogMessageRow>(this.logMessagesSql(traceId, spanIds), { tag: 'analysis-log-messages' });
  }

  logMessagesSql(traceId: string, spanIds: readonly string[]): Sql {
    return sql`SELECT SpanId, Timestamp, InputMessages, OutputMessages, SystemInstructions
FROM ${this.storage.table(T.genaiLogMessages)}
WHERE TraceId = ${p.string(traceId)} AND SpanId IN ${p.strings(spanIds)}
ORDER BY SpanId, Timestamp`;
  }

  /** Tool executions of a run (semantic conventions execute_tool spans, OpenInference TOOL spans). */
  async toolSpans(traceId: string, range: TimeRange): Promise<ToolSpanRow[]> {
    return this.storage.query<ToolSpanRow>(this.toolSpansSql(traceId, range), { tag: 'analysis-tool-spans' });
  }

  toolSpansSql(traceId: string, range: TimeRange): Sql {
    return sql`SELECT SpanId, ParentSpanId, Timestamp,
    coalesce(nullIf(SpanAttributes['gen_ai.tool.name'], ''), nullIf(SpanAttributes['tool.name'], ''), SpanName) AS ToolName,
    coalesce(nullIf(SpanAttributes['gen_ai.tool.call.arguments'], ''), SpanAttributes['input.value']) AS Arguments,
    coalesce(nullIf(SpanAttributes['gen_ai.tool.call.result'], ''), SpanAttributes['output.value']) AS Result,
    toUInt8(StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR SpanAttributes['error.type'] != '') AS IsError
FROM ${this.storage.table(T.otelTraces)}
WHERE TraceId = ${p.string(traceId)}
  AND Timestamp >= ${p.dateTime64(range.from)} AND Timestamp <= ${p.dateTime64(range.to)}
  AND (SpanAttributes['gen_ai.operation.name'] = 'execute_tool' OR SpanAttributes['openinference.span.kind'] = 'TOOL')
ORDER BY Timestamp, SpanId`;
  }

  /** Runs (traces with model calls) of one workflow that started in the range. */
  async runRate(serviceName: string, workflowName: string, range: TimeRange): Promise<RunRateRow> {
    const rows = await this.storage.query<RunRateRow>(this.runRateSql(serviceName, workflowName, range), {
      tag: 'analysis-run-rate',
    });
    return rows[0] ?? { Runs: '0', FirstStart: null };
  }

  runRateSql(serviceName: string, workflowName: string, range: TimeRange): Sql {
    return sql`SELECT count() AS Runs, if(count() = 0, NULL, min(RunStart)) AS FirstStart
FROM (
    SELECT TraceId, max(WorkflowName) AS Workflow, max(ServiceName) AS Service, min(Start) AS RunStart, sum(Calls) AS RunCalls
    FROM ${this.storage.table(T.workflowRuns)}
    WHERE Start >= ${p.dateTime64(range.from)} AND Start <= ${p.dateTime64(range.to)}
    GROUP BY TraceId
)
WHERE Service = ${p.string(serviceName)} AND Workflow = ${p.string(workflowName)} AND RunCalls > 0`;
  }

  /** Prices: the user's exact-name overrides first (they win), then the library's model rules. */
  async prices(): Promise<ModelPrice[]> {
    const rows = await this.storage.query<ModelPrice>(this.pricesSql(), { tag: 'analysis-prices' });
    return rows.map((r) => ({ ...r, tierThreshold: Number(r.tierThreshold) }));
  }

  pricesSql(): Sql {
    return sql`SELECT provider, model, inputPerMTok, outputPerMTok, cacheReadPerMTok, cacheWritePerMTok,
    tierThreshold, tierInputPerMTok, tierOutputPerMTok, source
FROM (
    SELECT 0 AS priority, toUInt32(0) AS ordinal, toString(Provider) AS provider, lower(Model) AS model,
        InputPerMTok AS inputPerMTok, OutputPerMTok AS outputPerMTok, CacheReadPerMTok AS cacheReadPerMTok,
        CacheWritePerMTok AS cacheWritePerMTok, TierThreshold AS tierThreshold, TierInputPerMTok AS tierInputPerMTok,
        TierOutputPerMTok AS tierOutputPerMTok, 'override' AS source
    FROM ${this.storage.table(T.modelPriceOverrides)} FINAL
    WHERE IsDeleted = 0 AND IsPattern = 0
    UNION ALL
    SELECT 1, Ordinal, toString(Provider), Model, InputPerMTok, OutputPerMTok, CacheReadPerMTok, CacheWritePerMTok,
        TierThreshold, TierInputPerMTok, TierOutputPerMTok, 'library'
    FROM ${this.storage.table(T.modelPrices)}
    WHERE Kind = 'model'
)
ORDER BY priority, ordinal`;
  }

  /** Identical requests (same PromptHash) seen in two runs or more of a window, grouped. */
  async crossRunGroups(range: TimeRange, serviceName: string | undefined, limit: number): Promise<CrossRunGroupRow[]> {
    return this.storage.query<CrossRunGroupRow>(this.crossRunGroupsSql(range, serviceName, limit), {
      tag: 'analysis-cross-run',
    });
  }

  crossRunGroupsSql(range: TimeRange, serviceName: string | undefined, limit: number): Sql {
    const service = serviceName === undefined ? empty : sql`AND ServiceName = ${p.string(serviceName)}`;
    return sql`SELECT ServiceName, WorkflowName, PromptHash, any(Provider) AS Provider,
    any(RequestModel) AS RequestModel, any(PriceModel) AS PriceModel, count() AS Calls, uniqExact(TraceId) AS Runs,
    uniqExact(sipHash64(OutputMessages)) AS Answers, sum(CostUSD) AS CostUSD, min(Timestamp) AS FirstSeen,
    max(Timestamp) AS LastSeen, groupArray(20)(SpanId) AS SpanIds, groupArray(20)(TraceId) AS TraceIds,
    max(Temperature) AS MaxTemperature, any(leftUTF8(InputMessages, 400)) AS SamplePrompt
FROM ${this.storage.table(T.genaiCalls)}
WHERE Timestamp >= ${p.dateTime64(range.from)} AND Timestamp <= ${p.dateTime64(range.to)} ${service}
  AND PromptHash != 0 AND IsError = 0 AND NOT hasAny(FinishReasons, ${p.strings(TRUNCATION_FINISH_REASONS)}) AND TraceId != ''
GROUP BY ServiceName, WorkflowName, PromptHash
HAVING Runs >= 2
ORDER BY CostUSD DESC
LIMIT ${p.uint32(limit)}`;
  }

  /** Runs per workflow in a window (for cross-run projections). */
  async windowRuns(range: TimeRange, serviceName: string | undefined): Promise<WindowRunsRow[]> {
    return this.storage.query<WindowRunsRow>(this.windowRunsSql(range, serviceName), { tag: 'analysis-window-runs' });
  }

  windowRunsSql(range: TimeRange, serviceName: string | undefined): Sql {
    const service = serviceName === undefined ? empty : sql`WHERE Service = ${p.string(serviceName)}`;
    return sql`SELECT Service AS ServiceName, Workflow AS WorkflowName, count() AS Runs
FROM (
    SELECT TraceId, max(WorkflowName) AS Workflow, max(ServiceName) AS Service, sum(Calls) AS RunCalls
    FROM ${this.storage.table(T.workflowRuns)}
    WHERE Start >= ${p.dateTime64(range.from)} AND Start <= ${p.dateTime64(range.to)}
    GROUP BY TraceId
    HAVING RunCalls > 0
)
${service}
GROUP BY ServiceName, WorkflowName`;
  }

  /** Live findings of one trace ('' with a service for cross-run findings), full rows. */
  async liveFindings(traceId: string, serviceName?: string): Promise<FindingRow[]> {
    return this.storage.query<FindingRow>(this.liveFindingsSql(traceId, serviceName), {
      tag: 'analysis-live-findings',
    });
  }

  liveFindingsSql(traceId: string, serviceName?: string): Sql {
    const service = serviceName === undefined ? empty : sql`AND ServiceName = ${p.string(serviceName)}`;
    return sql`SELECT *
FROM ${this.storage.table(T.wasteFindings)} FINAL
WHERE TraceId = ${p.string(traceId)} AND IsDeleted = 0 ${service}
ORDER BY SavingUSDPerRun DESC, FindingId`;
  }

  async insertFindings(rows: readonly FindingRow[]): Promise<void> {
    await this.storage.insert(T.wasteFindings, rows, { tag: 'analysis-write-findings' });
  }

  async insertAnalysis(row: AnalysisRow): Promise<void> {
    await this.storage.insert(T.analyses, [row], { tag: 'analysis-write' });
  }

  async analysis(traceId: string): Promise<AnalysisRow | undefined> {
    const rows = await this.storage.query<AnalysisRow>(this.analysisSql(traceId), { tag: 'analysis-read' });
    return rows[0];
  }

  analysisSql(traceId: string): Sql {
    return sql`SELECT * FROM ${this.storage.table(T.analyses)} FINAL WHERE TraceId = ${p.string(traceId)}`;
  }

  /** Live findings created since a time (optionally of one service), biggest monthly saving first. */
  async findingsSince(since: Date, serviceName: string | undefined, limit: number): Promise<FindingRow[]> {
    return this.storage.query<FindingRow>(this.findingsSinceSql(since, serviceName, limit), {
      tag: 'analysis-findings-since',
    });
  }

  findingsSinceSql(since: Date, serviceName: string | undefined, limit: number): Sql {
    const service = serviceName === undefined ? empty : sql`AND ServiceName = ${p.string(serviceName)}`;
    return sql`SELECT *
FROM ${this.storage.table(T.wasteFindings)} FINAL
WHERE IsDeleted = 0 AND CreatedAt >= ${p.dateTime64(since)} ${service}
ORDER BY SavingUSDPerMonth DESC, FindingId
LIMIT ${p.uint32(limit)}`;
  }
}
