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
  model: 'RequestModel',
  workflow: 'WorkflowName',
  service: 'ServiceName',
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;

/** Spend, calls and tokens over a window, from genai_calls. */
export class SummaryRepository {
  constructor(private readonly storage: Storage) {}

  private where(range: TimeRange, service: string | undefined): Sql {
    const svc = service === undefined ? empty : sql` AND ServiceName = ${p.string(service)}`;
    return sql`Timestamp >= ${p.dateTime64(range.from)} AND Timestamp < ${p.dateTime64(range.to)}${svc}`;
  }

  totalsSql(range: TimeRange, service?: string): Sql {
    return sql`
      SELECT count() AS calls, countIf(IsError = 1) AS errors, countIf(CostSource = 'unpriced') AS unpriced,
             sum(InputTokens) AS inputTokens, sum(OutputTokens) AS outputTokens, sum(CacheReadTokens) AS cacheReadTokens,
             sum(CacheWriteTokens) AS cacheWriteTokens, sum(ReasoningTokens) AS reasoningTokens, sum(CostUSD) AS cost
      FROM ${this.storage.table(T.genaiCalls)}
      WHERE ${this.where(range, service)}`;
  }

  async totals(range: TimeRange, service?: string): Promise<TotalsRow> {
    const rows = await this.storage.query<TotalsRow>(this.totalsSql(range, service), { tag: 'summary-totals' });
    return rows[0]!;
  }

  breakdownSql(by: Breakdown, range: TimeRange, service: string | undefined, limit: number): Sql {
    const col = ident(BREAKDOWNS[by]);
    return sql`
      SELECT toString(${col}) AS key, count() AS calls, sum(CostUSD) AS cost,
             sum(InputTokens) AS inputTokens, sum(OutputTokens) AS outputTokens
      FROM ${this.storage.table(T.genaiCalls)}
      WHERE ${this.where(range, service)}
      GROUP BY key
      ORDER BY cost DESC, calls DESC, key
      LIMIT ${p.uint32(limit)}`;
  }

  breakdown(by: Breakdown, range: TimeRange, service: string | undefined, limit: number): Promise<BreakdownRow[]> {
    return this.storage.query<BreakdownRow>(this.breakdownSql(by, range, service, limit), { tag: `summary-by-${by}` });
  }
}
