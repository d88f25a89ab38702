import { empty, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import type { TimeRange } from '../common/time-range.js';

export interface GroupRow {
  ServiceName: string;
  WorkflowName: string;
  Provider: string;
  Model: string;
  calls: string;
  errors: string;
  unpriced: string;
  inputTokens: string;
  outputTokens: string;
  cacheReadTokens: string;
  cacheWriteTokens: string;
  reasoningTokens: string;
  cost: number;
}

export const BREAKDOWNS = {
  provider: 'Provider',
  model: 'Model',
  workflow: 'WorkflowName',
  service: 'ServiceName',
} as const satisfies Record<string, keyof GroupRow>;
export type Breakdown = keyof typeof BREAKDOWNS;

const HOUR_MS = 3_600_000;
/** Below this many whole hours the raw rows are read directly (the rollup would not pay). */
const MIN_ROLLUP_HOURS = 3;

/**
 * Spend, calls and tokens over a window. The whole hours inside the window come from the hourly
 * rollup (genai_calls_hourly, one row per hour, service, version, workflow, provider and model), the
 * partial hours at both ends from genai_calls itself: the same sums as reading genai_calls alone,
 * at a fraction of the rows over long windows. (`model` is the requested model, else the one that
 * answered, as in the rollup.)
 */
export class SummaryRepository {
  constructor(private readonly storage: Storage) {}

  /** Rows with the rollup's columns covering [from, to), optionally of one service. */
  sourceSql(range: TimeRange, service: string | undefined): Sql {
    const svc = service === undefined ? empty : sql` AND ServiceName = ${p.string(service)}`;
    const raw = (where: Sql) => sql`
        SELECT ServiceName, WorkflowName, Provider, if(RequestModel != '', RequestModel, ResponseModel) AS Model,
               count() AS Calls, toUInt64(countIf(IsError = 1)) AS Errors, toUInt64(countIf(CostSource = 'unpriced')) AS Unpriced,
               sum(InputTokens) AS InputTokens, sum(OutputTokens) AS OutputTokens, sum(CacheReadTokens) AS CacheReadTokens,
               sum(CacheWriteTokens) AS CacheWriteTokens, sum(ReasoningTokens) AS ReasoningTokens, sum(CostUSD) AS CostUSD
        FROM ${this.storage.table(T.genaiCalls)}
        WHERE (${where})${svc}
        GROUP BY ServiceName, WorkflowName, Provider, Model`;
    const from = range.from.getTime();
    const to = range.to.getTime();
    const hourFrom = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const hourTo = Math.floor(to / HOUR_MS) * HOUR_MS;
    if (hourTo - hourFrom < MIN_ROLLUP_HOURS * HOUR_MS) {
      return raw(sql`Timestamp >= ${p.dateTime64(range.from)} AND Timestamp < ${p.dateTime64(range.to)}`);
    }
    const edges = sql`(Timestamp >= ${p.dateTime64(range.from)} AND Timestamp < ${p.dateTime64(new Date(hourFrom))})
          OR (Timestamp >= ${p.dateTime64(new Date(hourTo))} AND Timestamp < ${p.dateTime64(range.to)})`;
    return sql`
        SELECT ServiceName, WorkflowName, Provider, Model, sum(Calls) AS Calls, sum(Errors) AS Errors,
               sum(UnpricedCalls) AS Unpriced, sum(InputTokens) AS InputTokens, sum(OutputTokens) AS OutputTokens,
               sum(CacheReadTokens) AS CacheReadTokens, sum(CacheWriteTokens) AS CacheWriteTokens,
               sum(ReasoningTokens) AS ReasoningTokens, sum(CostUSD) AS CostUSD
        FROM ${this.storage.table(T.genaiCallsHourly)}
        WHERE Hour >= ${p.dateTime(new Date(hourFrom))} AND Hour < ${p.dateTime(new Date(hourTo))}${svc}
        GROUP BY ServiceName, WorkflowName, Provider, Model
        UNION ALL${raw(edges)}`;
  }

  /** One row per service, workflow, provider and model with its sums: every figure of a summary, in one read. */
  groupsSql(range: TimeRange, service?: string): Sql {
    return sql`
      SELECT ServiceName, WorkflowName, Provider, Model, sum(Calls) AS calls, sum(Errors) AS errors,
             sum(Unpriced) AS unpriced, sum(InputTokens) AS inputTokens, sum(OutputTokens) AS outputTokens,
             sum(CacheReadTokens) AS cacheReadTokens, sum(CacheWriteTokens) AS cacheWriteTokens,
             sum(ReasoningTokens) AS reasoningTokens, sum(CostUSD) AS cost
      FROM (${this.sourceSql(range, service)})
      GROUP BY ServiceName, WorkflowName, Provider, Model`;
  }

  groups(range: TimeRange, service?: string): Promise<GroupRow[]> {
    return this.storage.query<GroupRow>(this.groupsSql(range, service), { tag: 'summary-groups' });
  }
}
