import { empty, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import type { FindingRow as StoredFindingRow } from '../analysis/analysis.repository.js';
import type { TimeRange } from '../common/time-range.js';

/** A stored finding as the API reads it: the analysis's row, with its creation time in milliseconds. */
export type FindingRow = Omit<StoredFindingRow, 'RunStart' | 'CreatedAt' | 'Version' | 'IsDeleted'> & {
  createdMs: string;
};

export interface FindingsQuery {
  readonly range: TimeRange;
  readonly kind?: string | undefined;
  readonly subkind?: string | undefined;
  readonly service?: string | undefined;
  readonly workflow?: string | undefined;
  readonly traceId?: string | undefined;
  readonly detectedBy?: string | undefined;
  readonly minSavingPerMonth?: number | undefined;
  readonly sort: 'saving' | 'created';
  readonly limit: number;
  readonly after?: readonly (string | number)[] | undefined;
}

const COLUMNS = sql`FindingId, AnalysisId, TraceId, Scope, ServiceName, WorkflowName, Kind, Subkind, Title, Evidence,
       EvidenceJson, Recommendation, SpanIds, Models, WasteCostUSD, SavingUSDPerRun, RunsPerDay, SavingUSDPerDay,
       SavingUSDPerMonth, Confidence, DetectedBy, toString(toUnixTimestamp64Milli(CreatedAt)) AS createdMs`;

/** Current findings (waste_findings FINAL, tombstones excluded). */
export class FindingsRepository {
  constructor(private readonly storage: Storage) {}

  listSql(q: FindingsQuery): Sql {
    const f: Sql[] = [];
    if (q.kind !== undefined) f.push(sql` AND Kind = ${p.string(q.kind)}`);
    if (q.subkind !== undefined) f.push(sql` AND Subkind = ${p.string(q.subkind)}`);
    if (q.service !== undefined) f.push(sql` AND ServiceName = ${p.string(q.service)}`);
    if (q.workflow !== undefined) f.push(sql` AND WorkflowName = ${p.string(q.workflow)}`);
    if (q.traceId !== undefined) f.push(sql` AND TraceId = ${p.string(q.traceId)}`);
    if (q.detectedBy !== undefined) f.push(sql` AND DetectedBy = ${p.string(q.detectedBy)}`);
    if (q.minSavingPerMonth !== undefined) f.push(sql` AND SavingUSDPerMonth >= ${p.float64(q.minSavingPerMonth)}`);
    if (q.after) {
      const [k, id] = q.after;
      f.push(
        q.sort === 'saving'
          ? sql` AND (SavingUSDPerMonth, FindingId) < (${p.float64(Number(k))}, ${p.string(String(id))})`
          : sql` AND (toUnixTimestamp64Milli(CreatedAt), FindingId) < (${p.int64(String(k))}, ${p.string(String(id))})`,
      );
    }
    const order =
      q.sort === 'saving' ? sql`SavingUSDPerMonth DESC, FindingId DESC` : sql`CreatedAt DESC, FindingId DESC`;
    return sql`
      SELECT ${COLUMNS}
      FROM ${this.storage.table(T.wasteFindings)} FINAL
      WHERE IsDeleted = 0 AND CreatedAt >= ${p.dateTime64(q.range.from)} AND CreatedAt < ${p.dateTime64(q.range.to)}${f.length ? f.reduce((a, b) => sql`${a}${b}`) : empty}
      ORDER BY ${order}
      LIMIT ${p.uint32(q.limit + 1)}`;
  }

  list(q: FindingsQuery): Promise<FindingRow[]> {
    return this.storage.query<FindingRow>(this.listSql(q), { tag: 'findings-list' });
  }

  byIdSql(findingId: string): Sql {
    return sql`
      SELECT ${COLUMNS}
      FROM ${this.storage.table(T.wasteFindings)} FINAL
      WHERE FindingId = ${p.string(findingId)} AND IsDeleted = 0
      LIMIT 1`;
  }

  async byId(findingId: string): Promise<FindingRow | undefined> {
    return (await this.storage.query<FindingRow>(this.byIdSql(findingId), { tag: 'findings-get' }))[0];
  }

  ofTraceSql(traceId: string): Sql {
    return sql`
      SELECT ${COLUMNS}
      FROM ${this.storage.table(T.wasteFindings)} FINAL
      WHERE TraceId = ${p.string(traceId)} AND IsDeleted = 0
      ORDER BY SavingUSDPerRun DESC, FindingId`;
  }

  ofTrace(traceId: string): Promise<FindingRow[]> {
    return this.storage.query<FindingRow>(this.ofTraceSql(traceId), { tag: 'findings-trace' });
  }
}
