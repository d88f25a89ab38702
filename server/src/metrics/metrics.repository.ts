import { p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';

export interface TotalsRow {
  ServiceName: string;
  Provider: string;
  Model: string;
  WorkflowName: string;
  IsError: number;
  Calls: string;
  UnpricedCalls: string;
  InputTokens: string;
  OutputTokens: string;
  CacheReadTokens: string;
  CacheWriteTokens: string;
  ReasoningTokens: string;
  CostUSD: number;
  DurationSeconds: number;
  DurationBuckets: string[];
  InputTokenBuckets: string[];
  OutputTokenBuckets: string[];
}

export interface RunsRow {
  service: string;
  workflow: string;
  runs: string;
}

export interface CostPerRunRow {
  service: string;
  workflow: string;
  runs: string;
  costPerRun: number;
}

/** The semantic conventions' bucket boundaries (see migration 0030). */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** Reads for /metrics: all-time totals (monotonic) and recent gauges. Every query is small. */
export class MetricsRepository {
  constructor(private readonly storage: Storage) {}

  totalsSql(): Sql {
    return sql`
      SELECT ServiceName, Provider, Model, WorkflowName, IsError,
             sum(Calls) AS Calls, sum(UnpricedCalls) AS UnpricedCalls,
             sum(InputTokens) AS InputTokens, sum(OutputTokens) AS OutputTokens,
             sum(CacheReadTokens) AS CacheReadTokens, sum(CacheWriteTokens) AS CacheWriteTokens,
             sum(ReasoningTokens) AS ReasoningTokens, sum(CostUSD) AS CostUSD, sum(DurationSeconds) AS DurationSeconds,
             sumForEachMerge(DurationBuckets) AS DurationBuckets,
             sumForEachMerge(InputTokenBuckets) AS InputTokenBuckets,
             sumForEachMerge(OutputTokenBuckets) AS OutputTokenBuckets
      FROM ${this.storage.table(T.genaiCallTotals)}
      GROUP BY ServiceName, Provider, Model, WorkflowName, IsError`;
  }

  totals(): Promise<TotalsRow[]> {
    return this.storage.query<TotalsRow>(this.totalsSql(), {
      tag: 'metrics-totals',
      settings: { max_execution_time: 10 },
    });
  }

  /** Distinct runs per workflow: uniq states must merge per workflow, never be summed across rows. */
  runsSql(): Sql {
    return sql`
      SELECT ServiceName AS service, WorkflowName AS workflow, uniqMerge(Runs) AS runs
      FROM ${this.storage.table(T.genaiCallTotals)}
      GROUP BY ServiceName, WorkflowName`;
  }

  runs(): Promise<RunsRow[]> {
    return this.storage.query<RunsRow>(this.runsSql(), { tag: 'metrics-runs', settings: { max_execution_time: 10 } });
  }

  costPerRunSql(windowMs: number, now: Date): Sql {
    const from = p.dateTime64(new Date(now.getTime() - windowMs));
    return sql`
      SELECT service, workflow, count() AS runs, avg(cost) AS costPerRun
      FROM (
        SELECT TraceId, max(ServiceName) AS service,
               if(max(WorkflowName) != '', max(WorkflowName), max(RootSpanName)) AS workflow,
               sum(CostUSD) AS cost, sum(Calls) AS calls
        FROM ${this.storage.table(T.workflowRuns)}
        WHERE Start >= ${from} - INTERVAL 1 DAY
        GROUP BY TraceId
        HAVING calls > 0 AND min(Start) >= ${from}
      )
      GROUP BY service, workflow`;
  }

  costPerRun(windowMs: number, now: Date = new Date()): Promise<CostPerRunRow[]> {
    return this.storage.query<CostPerRunRow>(this.costPerRunSql(windowMs, now), {
      tag: 'metrics-cost-per-run',
      settings: { max_execution_time: 10 },
    });
  }
}
