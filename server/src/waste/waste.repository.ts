import { empty, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';
import type { TimeRange } from '../common/time-range.js';

export interface FindingGroupRow {
  ServiceName: string;
  WorkflowName: string;
  Kind: string;
  Scope: string;
  findings: string;
  savingPerRun: number;
  savingPerDay: number;
  /** The workflow's runs per day as the latest analysis in the group estimated it (0 = unknown). */
  runsPerDay: number;
}

export interface WorkflowCountRow {
  service: string;
  workflow: string;
  n: string;
}

/** The three small reads behind every "waste per day" figure (see WasteEstimator). */
export class WasteRepository {
  constructor(private readonly storage: Storage) {}

  findingGroupsSql(range: TimeRange, service?: string): Sql {
    const svc = service === undefined ? empty : sql` AND ServiceName = ${p.string(service)}`;
    return sql`
      SELECT ServiceName, WorkflowName, Kind, Scope, count() AS findings,
             sum(SavingUSDPerRun) AS savingPerRun, sum(SavingUSDPerDay) AS savingPerDay,
             argMax(RunsPerDay, CreatedAt) AS runsPerDay
      FROM ${this.storage.table(T.wasteFindings)} FINAL
      WHERE IsDeleted = 0 AND CreatedAt >= ${p.dateTime64(range.from)} AND CreatedAt < ${p.dateTime64(range.to)}${svc}
      GROUP BY ServiceName, WorkflowName, Kind, Scope`;
  }

  findingGroups(range: TimeRange, service?: string): Promise<FindingGroupRow[]> {
    return this.storage.query<FindingGroupRow>(this.findingGroupsSql(range, service), { tag: 'waste-groups' });
  }

  analysedRunsSql(range: TimeRange): Sql {
    return sql`
      SELECT ServiceName AS service, WorkflowName AS workflow, uniqExact(TraceId) AS n
      FROM ${this.storage.table(T.analyses)} FINAL
      WHERE Status = 'done' AND NOT startsWith(TraceId, 'cross_run:')
        AND StartedAt >= ${p.dateTime64(range.from)} AND StartedAt < ${p.dateTime64(range.to)}
      GROUP BY service, workflow`;
  }

  analysedRuns(range: TimeRange): Promise<WorkflowCountRow[]> {
    return this.storage.query<WorkflowCountRow>(this.analysedRunsSql(range), { tag: 'waste-analysed' });
  }

  runsSql(range: TimeRange): Sql {
    return sql`
      SELECT service, workflow, count() AS n
      FROM (
        SELECT TraceId, max(ServiceName) AS service,
               if(max(WorkflowName) != '', max(WorkflowName), max(RootSpanName)) AS workflow, sum(Calls) AS calls
        FROM ${this.storage.table(T.workflowRuns)}
        WHERE Start >= ${p.dateTime64(range.from)} - INTERVAL 1 DAY AND Start < ${p.dateTime64(range.to)}
        GROUP BY TraceId
        HAVING calls > 0 AND min(Start) >= ${p.dateTime64(range.from)}
      )
      GROUP BY service, workflow`;
  }

  runs(range: TimeRange): Promise<WorkflowCountRow[]> {
    return this.storage.query<WorkflowCountRow>(this.runsSql(range), { tag: 'waste-runs' });
  }
}
