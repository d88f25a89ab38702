import { p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';

/** The reads behind the demo's progress and its report: only what the store holds. */

export interface StoredSpansRow {
  spans: string;
}

export interface CallTotalsRow {
  calls: string;
  errors: string;
  costUSD: number;
  providers: string[];
}

export interface DemoFindingRow {
  FindingId: string;
  TraceId: string;
  Scope: string;
  WorkflowName: string;
  Kind: string;
  Subkind: string;
  Title: string;
  Recommendation: string;
  WasteCostUSD: number;
  SavingUSDPerRun: number;
  SavingUSDPerMonth: number;
}

export interface WorkflowCostRow {
  workflow: string;
  runs: string;
  costUSD: number;
  costAfterUSD: number;
}

const FINDING_COLUMNS = sql`FindingId, TraceId, Scope, WorkflowName, Kind, Subkind, Title, Recommendation,
       WasteCostUSD, SavingUSDPerRun, SavingUSDPerMonth`;

export class DemoRepository {
  constructor(private readonly storage: Storage) {}

  storedSpansSql(traceIds: readonly string[], since: Date): Sql {
    return sql`SELECT count() AS spans
FROM ${this.storage.table(T.otelTraces)}
WHERE Timestamp >= ${p.dateTime64(since)} AND TraceId IN ${p.strings(traceIds)}`;
  }

  /** Spans of these runs the collector has written so far. */
  async storedSpans(traceIds: readonly string[], since: Date): Promise<number> {
    const rows = await this.storage.query<StoredSpansRow>(this.storedSpansSql(traceIds, since), { tag: 'demo-spans' });
    return Number(rows[0]?.spans ?? 0);
  }

  callTotalsSql(traceIds: readonly string[], since: Date): Sql {
    return sql`SELECT count() AS calls, countIf(IsError = 1) AS errors, sum(CostUSD) AS costUSD,
       arraySort(groupUniqArray(Provider)) AS providers
FROM ${this.storage.table(T.genaiCalls)}
WHERE Timestamp >= ${p.dateTime64(since)} AND TraceId IN ${p.strings(traceIds)}`;
  }

  /** Model calls of these runs, as genai_calls holds them. */
  async callTotals(traceIds: readonly string[], since: Date): Promise<CallTotalsRow> {
    const rows = await this.storage.query<CallTotalsRow>(this.callTotalsSql(traceIds, since), { tag: 'demo-calls' });
    return rows[0] ?? { calls: '0', errors: '0', costUSD: 0, providers: [] };
  }

  runFindingsSql(traceIds: readonly string[]): Sql {
    return sql`SELECT ${FINDING_COLUMNS}
FROM ${this.storage.table(T.wasteFindings)} FINAL
WHERE IsDeleted = 0 AND Scope = 'run' AND TraceId IN ${p.strings(traceIds)}
ORDER BY SavingUSDPerRun DESC, FindingId`;
  }

  /** The live findings of these runs. */
  runFindings(traceIds: readonly string[]): Promise<DemoFindingRow[]> {
    return this.storage.query<DemoFindingRow>(this.runFindingsSql(traceIds), { tag: 'demo-run-findings' });
  }

  crossRunFindingsSql(service: string, since: Date): Sql {
    return sql`SELECT ${FINDING_COLUMNS}
FROM ${this.storage.table(T.wasteFindings)} FINAL
WHERE IsDeleted = 0 AND Scope = 'cross_run' AND ServiceName = ${p.string(service)}
  AND CreatedAt >= ${p.dateTime64(since)}
ORDER BY SavingUSDPerMonth DESC, FindingId`;
  }

  /** The live cross-run findings of a service made since a time. */
  crossRunFindings(service: string, since: Date): Promise<DemoFindingRow[]> {
    return this.storage.query<DemoFindingRow>(this.crossRunFindingsSql(service, since), { tag: 'demo-cross-findings' });
  }

  workflowCostsSql(traceIds: readonly string[]): Sql {
    return sql`SELECT WorkflowName AS workflow, count() AS runs, sum(CostUSD) AS costUSD, sum(CostAfterUSD) AS costAfterUSD
FROM ${this.storage.table(T.analyses)} FINAL
WHERE Status = 'done' AND TraceId IN ${p.strings(traceIds)}
GROUP BY workflow
ORDER BY costUSD DESC, workflow`;
  }

  /** Each workflow's cost over these runs, as analysed, and with every fix applied. */
  workflowCosts(traceIds: readonly string[]): Promise<WorkflowCostRow[]> {
    return this.storage.query<WorkflowCostRow>(this.workflowCostsSql(traceIds), { tag: 'demo-workflow-costs' });
  }
}
