import { empty, ident, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import type { TimeRange } from '../common/time-range.js';

export interface TotalsRow {
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

export interface BreakdownRow {
  key: string;
  calls: string;
  cost: number;
  inputTokens: string;
  outputTokens: string;
}

export const BREAKDOWNS = {
  provider: 'Provider',
  model: 'Model',
  workflow: 'WorkflowName',
  service: 'ServiceName',
} as const;
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

  totalsSql(range: TimeRange, service?: string): Sql {
    return sql`
      SELECT sum(Calls) AS calls, sum(Errors) AS errors, sum(Unpriced) AS unpriced,
             sum(InputTokens) AS inputTokens, sum(OutputTokens) AS outputTokens, sum(CacheReadTokens) AS cacheReadTokens,
             sum(CacheWriteTokens) AS cacheWriteTokens, sum(ReasoningTokens) AS reasoningTokens, sum(CostUSD) AS cost
      FROM (${this.sourceSql(range, service)})`;
  }

  async totals(range: TimeRange, service?: string): Promise<TotalsRow> {
    const rows = await this.storage.query<TotalsRow>(this.totalsSql(range, service), { tag: 'summary-totals' });
    return rows[0]!;
  }

  breakdownSql(by: Breakdown, range: TimeRange, service: string | undefined, limit: number): Sql {
    const col = ident(BREAKDOWNS[by]);
    return sql`
      SELECT toString(${col}) AS key, sum(Calls) AS calls, sum(CostUSD) AS cost,
             sum(InputTokens) AS inputTokens, sum(OutputTokens) AS outputTokens
      FROM (${this.sourceSql(range, service)})
      GROUP BY key
      ORDER BY cost DESC, calls DESC, key
      LIMIT ${p.uint32(limit)}`;
  }

  breakdown(by: Breakdown, range: TimeRange, service: string | undefined, limit: number): Promise<BreakdownRow[]> {
    return this.storage.query<BreakdownRow>(this.breakdownSql(by, range, service, limit), { tag: `summary-by-${by}` });
  }
}
