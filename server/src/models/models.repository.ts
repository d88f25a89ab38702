import { p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import type { TimeRange } from '../common/time-range.js';

export interface ModelUsageRow {
  Provider: string;
  RequestModel: string;
  PriceModel: string;
  CostSource: string;
  calls: string;
  errors: string;
  inputTokens: string;
  outputTokens: string;
  cacheReadTokens: string;
  cost: number;
  p50Ms: number;
  p95Ms: number;
}

/** Which models a window used, how much and at what cost. */
export class ModelsRepository {
  constructor(private readonly storage: Storage) {}

  usageSql(range: TimeRange, limit: number): Sql {
    return sql`
      SELECT Provider, RequestModel, any(PriceModel) AS PriceModel, any(CostSource) AS CostSource,
             count() AS calls, countIf(IsError = 1) AS errors, sum(InputTokens) AS inputTokens,
             sum(OutputTokens) AS outputTokens, sum(CacheReadTokens) AS cacheReadTokens, sum(CostUSD) AS cost,
             quantile(0.5)(DurationNs) / 1e6 AS p50Ms, quantile(0.95)(DurationNs) / 1e6 AS p95Ms
      FROM ${this.storage.table(T.genaiCalls)}
      WHERE Timestamp >= ${p.dateTime64(range.from)} AND Timestamp < ${p.dateTime64(range.to)}
      GROUP BY Provider, RequestModel
      ORDER BY cost DESC, calls DESC
      LIMIT ${p.uint32(limit)}`;
  }

  usage(range: TimeRange, limit: number): Promise<ModelUsageRow[]> {
    return this.storage.query<ModelUsageRow>(this.usageSql(range, limit), { tag: 'models-usage' });
  }
}
