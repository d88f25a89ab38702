import { empty, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import type { TimeRange } from '../common/time-range.js';

export interface RunRow {
  TraceId: string;
  workflow: string;
  service: string;
  version: string;
  startMs: string;
  endMs: string;
  calls: string;
  errors: string;
  unpriced: string;
  inputTokens: string;
  outputTokens: string;
  cacheReadTokens: string;
  cacheWriteTokens: string;
  reasoningTokens: string;
  cost: number;
  lastSeenMs: string;
}

export interface RunWasteRow {
  TraceId: string;
  findings: string;
  saving: number;
}

export interface RunAnalysisRow {
  TraceId: string;
  Status: string;
  FinishedMs: string;
  RunLastSeenMs: string;
}

export interface CallRow {
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  startMs: string;
  DurationNs: string;
  Provider: string;
  Operation: string;
  RequestModel: string;
  ResponseModel: string;
  PriceModel: string;
  AgentName: string;
  InputTokens: string;
  OutputTokens: string;
  CacheReadTokens: string;
  CacheWriteTokens: string;
  ReasoningTokens: string;
  CostUSD: number;
  CostSource: string;
  IsError: number;
  ErrorType: string;
  FinishReasons: string[];
  IsStream: number;
  TimeToFirstTokenNs: string;
  Temperature: number | null;
  MaxTokens: number;
  PromptHash: string;
  PromptSimHash: string;
  SystemHash: string;
  InputMessages?: string;
  OutputMessages?: string;
  SystemInstructions?: string;
}

export type RunSort = 'start' | 'cost';

export interface ListRunsQuery {
  readonly range: TimeRange;
  readonly service?: string | undefined;
  readonly workflow?: string | undefined;
  readonly sort: RunSort;
  readonly limit: number;
  readonly after?: readonly (string | number)[] | undefined;
}

// Runs last far less than a day; rows of a run that started before the window are still read so its
// start is right, then the HAVING clause keeps runs that started inside the window.
const LOOKBACK = sql`INTERVAL 1 DAY`;

const RUN_COLUMNS = sql`
    TraceId,
    if(max(WorkflowName) != '', max(WorkflowName), max(RootSpanName)) AS workflow,
    max(ServiceName) AS service,
    max(ServiceVersion) AS version,
    toString(toUnixTimestamp64Milli(min(Start))) AS startMs,
    toString(toUnixTimestamp64Milli(max(End))) AS endMs,
    sum(Calls) AS calls,
    sum(Errors) AS errors,
    sum(UnpricedCalls) AS unpriced,
    sum(InputTokens) AS inputTokens,
    sum(OutputTokens) AS outputTokens,
    sum(CacheReadTokens) AS cacheReadTokens,
    sum(CacheWriteTokens) AS cacheWriteTokens,
    sum(ReasoningTokens) AS reasoningTokens,
    sum(CostUSD) AS cost,
    toString(toUnixTimestamp64Milli(max(LastSeen))) AS lastSeenMs`;

/** Workflow runs (workflow_runs, one row per trace) and one run's calls (genai_calls). */
export class WorkflowsRepository {
  constructor(private readonly storage: Storage) {}

  listRunsSql(q: ListRunsQuery): Sql {
    const s = this.storage;
    const from = p.dateTime64(q.range.from);
    const to = p.dateTime64(q.range.to);
    const filters: Sql[] = [];
    const narrow: Sql[] = [];
    if (q.service !== undefined) {
      filters.push(sql` AND service = ${p.string(q.service)}`);
      narrow.push(sql` AND ServiceName = ${p.string(q.service)}`);
    }
    if (q.workflow !== undefined) {
      filters.push(sql` AND workflow = ${p.string(q.workflow)}`);
      narrow.push(sql` AND (WorkflowName = ${p.string(q.workflow)} OR RootSpanName = ${p.string(q.workflow)})`);
    }
    // A run whose aggregated service or workflow is x has a row saying x: aggregate only those runs.
    const candidates =
      narrow.length === 0
        ? empty
        : sql` AND TraceId IN (
          SELECT TraceId FROM ${s.table(T.workflowRuns)}
          WHERE Start >= ${from} - ${LOOKBACK} AND Start < ${to}${sqlJoin(narrow)})`;
    let keyset = empty;
    if (q.after) {
      const [k, id] = q.after;
      keyset =
        q.sort === 'cost'
          ? sql` AND (cost, TraceId) < (${p.float64(Number(k))}, ${p.string(String(id))})`
          : sql` AND (toUInt64(startMs), TraceId) < (${p.uint64(String(k))}, ${p.string(String(id))})`;
    }
    const order = q.sort === 'cost' ? sql`cost DESC, TraceId DESC` : sql`toUInt64(startMs) DESC, TraceId DESC`;
    return sql`
      SELECT ${RUN_COLUMNS}
      FROM ${s.table(T.workflowRuns)}
      WHERE Start >= ${from} - ${LOOKBACK} AND Start < ${to}${candidates}
      GROUP BY TraceId
      HAVING calls > 0 AND min(Start) >= ${from} AND min(Start) < ${to}${sqlJoin(filters)}${keyset}
      ORDER BY ${order}
      LIMIT ${p.uint32(q.limit + 1)}`;
  }

  listRuns(q: ListRunsQuery): Promise<RunRow[]> {
    return this.storage.query<RunRow>(this.listRunsSql(q), { tag: 'workflows-list' });
  }

  getRunSql(traceId: string): Sql {
    return sql`
      SELECT ${RUN_COLUMNS}
      FROM ${this.storage.table(T.workflowRuns)}
      WHERE TraceId = ${p.string(traceId)}
      GROUP BY TraceId`;
  }

  async getRun(traceId: string): Promise<RunRow | undefined> {
    const rows = await this.storage.query<RunRow>(this.getRunSql(traceId), { tag: 'workflows-get' });
    return rows[0];
  }

  wasteOfRunsSql(traceIds: readonly string[]): Sql {
    return sql`
      SELECT TraceId, count() AS findings, sum(SavingUSDPerRun) AS saving
      FROM ${this.storage.table(T.wasteFindings)} FINAL
      WHERE TraceId IN ${p.strings(traceIds)} AND IsDeleted = 0
      GROUP BY TraceId`;
  }

  wasteOfRuns(traceIds: readonly string[]): Promise<RunWasteRow[]> {
    if (traceIds.length === 0) return Promise.resolve([]);
    return this.storage.query<RunWasteRow>(this.wasteOfRunsSql(traceIds), { tag: 'workflows-waste' });
  }

  analysesOfRunsSql(traceIds: readonly string[]): Sql {
    return sql`
      SELECT TraceId, Status, toString(toUnixTimestamp64Milli(FinishedAt)) AS FinishedMs,
             toString(toUnixTimestamp64Milli(RunLastSeen)) AS RunLastSeenMs
      FROM ${this.storage.table(T.analyses)} FINAL
      WHERE TraceId IN ${p.strings(traceIds)}`;
  }

  analysesOfRuns(traceIds: readonly string[]): Promise<RunAnalysisRow[]> {
    if (traceIds.length === 0) return Promise.resolve([]);
    return this.storage.query<RunAnalysisRow>(this.analysesOfRunsSql(traceIds), { tag: 'workflows-analyses' });
  }

  callsSql(traceId: string, window: { fromMs: number; toMs: number } | undefined, withContent: boolean): Sql {
    const content = withContent ? sql`, InputMessages, OutputMessages, SystemInstructions` : empty;
    const bounds = window
      ? sql` AND Timestamp >= ${p.dateTime64(new Date(window.fromMs - 3_600_000))} AND Timestamp <= ${p.dateTime64(new Date(window.toMs + 3_600_000))}`
      : empty;
    return sql`
      SELECT SpanId, ParentSpanId, SpanName, toString(toUnixTimestamp64Milli(Timestamp)) AS startMs, DurationNs,
             Provider, Operation, RequestModel, ResponseModel, PriceModel, AgentName,
             InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, ReasoningTokens, CostUSD, CostSource,
             IsError, ErrorType, FinishReasons, IsStream, TimeToFirstTokenNs, Temperature, MaxTokens,
             PromptHash, PromptSimHash, SystemHash${content}
      FROM ${this.storage.table(T.genaiCalls)}
      WHERE TraceId = ${p.string(traceId)}${bounds}
      ORDER BY Timestamp, SpanId
      LIMIT ${p.uint32(50_000)}`;
  }

  calls(
    traceId: string,
    window: { fromMs: number; toMs: number } | undefined,
    withContent: boolean,
  ): Promise<CallRow[]> {
    return this.storage.query<CallRow>(this.callsSql(traceId, window, withContent), { tag: 'workflows-calls' });
  }
}

function sqlJoin(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return empty;
  return parts.reduce((acc, part) => sql`${acc}${part}`);
}
