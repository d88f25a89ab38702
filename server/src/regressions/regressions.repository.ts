import { empty, p, sql, T, type Sql, type Storage } from '@kaizen/clickhouse';

/**
 * Per-workflow comparisons between two groups of runs: group 0 is the candidate (the recent window,
 * or the newest release), group 1 the baseline. The tests run in ClickHouse (mannWhitneyUTest on
 * per-run values, one-sided: is the candidate worse?), only for workflows with at least `minRuns`
 * runs on each side — the test refuses empty samples.
 */
export interface RunComparisonRow {
  service: string;
  workflow: string;
  n0: string;
  n1: string;
  cost0: number;
  cost1: number;
  costP: number;
  tokens0: number;
  tokens1: number;
  tokensP: number;
  errors0: string;
  calls0: string;
  errors1: string;
  calls1: string;
}

export interface CacheComparisonRow {
  service: string;
  workflow: string;
  n0: string;
  n1: string;
  cache0: number;
  cache1: number;
  p: number;
}

export interface LatencyComparisonRow {
  service: string;
  workflow: string;
  n0: string;
  n1: string;
  p95_0: number;
  p95_1: number;
  p: number;
}

export interface VersionRow {
  service: string;
  workflow: string;
  version: string;
  firstMs: string;
  runs: string;
}

/** Which runs form the groups: a time split, or two releases of one workflow. */
export type Grouping =
  | { readonly kind: 'window'; readonly baselineFrom: Date; readonly split: Date; readonly to: Date }
  | {
      readonly kind: 'release';
      readonly from: Date;
      readonly to: Date;
      readonly service: string;
      readonly workflow: string;
      readonly candidate: string;
      readonly baseline: string;
    };

const WORKFLOW = sql`if(max(WorkflowName) != '', max(WorkflowName), max(RootSpanName))`;

export class RegressionsRepository {
  constructor(private readonly storage: Storage) {}

  private runsCte(g: Grouping): Sql {
    const from = g.kind === 'window' ? g.baselineFrom : g.from;
    const group =
      g.kind === 'window'
        ? sql`if(min(Start) >= ${p.dateTime64(g.split)}, 0, 1)`
        : sql`if(max(ServiceVersion) = ${p.string(g.candidate)}, 0, 1)`;
    const scope =
      g.kind === 'release'
        ? sql` AND service = ${p.string(g.service)} AND workflow = ${p.string(g.workflow)} AND version IN (${p.string(g.candidate)}, ${p.string(g.baseline)})`
        : empty;
    return sql`
      SELECT TraceId, max(ServiceName) AS service, ${WORKFLOW} AS workflow, max(ServiceVersion) AS version,
             sum(CostUSD) AS cost, sum(InputTokens) + sum(OutputTokens) AS tokens, sum(Errors) AS errors, sum(Calls) AS calls,
             sum(InputTokens) AS input, if(sum(InputTokens) > 0, sum(CacheReadTokens) / sum(InputTokens), 0) AS cacheRatio,
             ${group} AS g
      FROM ${this.storage.table(T.workflowRuns)}
      WHERE Start >= ${p.dateTime64(from)} - INTERVAL 1 DAY AND Start < ${p.dateTime64(g.to)}
      GROUP BY TraceId
      HAVING calls > 0 AND min(Start) >= ${p.dateTime64(from)} AND min(Start) < ${p.dateTime64(g.to)}${scope}`;
  }

  runComparisonSql(g: Grouping, minRuns: number): Sql {
    const min = p.uint32(minRuns);
    return sql`
      WITH runs AS (${this.runsCte(g)}),
           eligible AS (SELECT service, workflow FROM runs GROUP BY service, workflow
                        HAVING countIf(g = 0) >= ${min} AND countIf(g = 1) >= ${min})
      SELECT r.service AS service, r.workflow AS workflow,
             countIf(g = 0) AS n0, countIf(g = 1) AS n1,
             avgIf(cost, g = 0) AS cost0, avgIf(cost, g = 1) AS cost1, mannWhitneyUTest('greater')(cost, g).2 AS costP,
             avgIf(tokens, g = 0) AS tokens0, avgIf(tokens, g = 1) AS tokens1, mannWhitneyUTest('greater')(tokens, g).2 AS tokensP,
             sumIf(errors, g = 0) AS errors0, sumIf(calls, g = 0) AS calls0,
             sumIf(errors, g = 1) AS errors1, sumIf(calls, g = 1) AS calls1
      FROM runs AS r
      WHERE (r.service, r.workflow) IN (SELECT service, workflow FROM eligible)
      GROUP BY r.service, r.workflow`;
  }

  compareRuns(g: Grouping, minRuns: number): Promise<RunComparisonRow[]> {
    return this.storage.query<RunComparisonRow>(this.runComparisonSql(g, minRuns), {
      tag: `regressions-runs-${g.kind}`,
      settings: { max_execution_time: 30 },
    });
  }

  /** Cache-hit ratio per run (cache reads / input), only runs with input; is the candidate lower? */
  cacheComparisonSql(g: Grouping, minRuns: number): Sql {
    const min = p.uint32(minRuns);
    return sql`
      WITH runs AS (${this.runsCte(g)}),
           eligible AS (SELECT service, workflow FROM runs WHERE input > 0 GROUP BY service, workflow
                        HAVING countIf(g = 0) >= ${min} AND countIf(g = 1) >= ${min})
      SELECT service, workflow, countIf(g = 0) AS n0, countIf(g = 1) AS n1,
             avgIf(cacheRatio, g = 0) AS cache0, avgIf(cacheRatio, g = 1) AS cache1,
             mannWhitneyUTest('less')(cacheRatio, g).2 AS p
      FROM runs
      WHERE input > 0 AND (service, workflow) IN (SELECT service, workflow FROM eligible)
      GROUP BY service, workflow`;
  }

  compareCache(g: Grouping, minRuns: number): Promise<CacheComparisonRow[]> {
    return this.storage.query<CacheComparisonRow>(this.cacheComparisonSql(g, minRuns), {
      tag: `regressions-cache-${g.kind}`,
      settings: { max_execution_time: 30 },
    });
  }

  latencyComparisonSql(g: Grouping, minCalls: number): Sql {
    const min = p.uint32(minCalls);
    return sql`
      WITH runs AS (${this.runsCte(g)}),
           calls AS (
             SELECT r.service AS service, r.workflow AS workflow, r.g AS g, c.DurationNs AS d
             FROM ${this.storage.table(T.genaiCalls)} AS c
             INNER JOIN runs AS r ON c.TraceId = r.TraceId
             WHERE c.Timestamp >= ${p.dateTime64(g.kind === 'window' ? g.baselineFrom : g.from)} AND c.Timestamp < ${p.dateTime64(g.to)} + INTERVAL 1 DAY),
           eligible AS (SELECT service, workflow FROM calls GROUP BY service, workflow
                        HAVING countIf(g = 0) >= ${min} AND countIf(g = 1) >= ${min})
      SELECT service, workflow, countIf(g = 0) AS n0, countIf(g = 1) AS n1,
             quantileIf(0.95)(d, g = 0) / 1e6 AS p95_0, quantileIf(0.95)(d, g = 1) / 1e6 AS p95_1,
             mannWhitneyUTest('greater')(d, g).2 AS p
      FROM calls
      WHERE (service, workflow) IN (SELECT service, workflow FROM eligible)
      GROUP BY service, workflow`;
  }

  compareLatency(g: Grouping, minCalls: number): Promise<LatencyComparisonRow[]> {
    return this.storage.query<LatencyComparisonRow>(this.latencyComparisonSql(g, minCalls), {
      tag: `regressions-latency-${g.kind}`,
      settings: { max_execution_time: 30 },
    });
  }

  /** Releases seen per workflow in the window, newest first, with their run counts. */
  versionsSql(from: Date, to: Date): Sql {
    return sql`
      SELECT service, workflow, version, toString(min(startMs)) AS firstMs, count() AS runs
      FROM (
        SELECT TraceId, max(ServiceName) AS service, ${WORKFLOW} AS workflow, max(ServiceVersion) AS version,
               toUnixTimestamp64Milli(min(Start)) AS startMs, sum(Calls) AS calls
        FROM ${this.storage.table(T.workflowRuns)}
        WHERE Start >= ${p.dateTime64(from)} - INTERVAL 1 DAY AND Start < ${p.dateTime64(to)}
        GROUP BY TraceId
        HAVING calls > 0 AND min(Start) >= ${p.dateTime64(from)}
      )
      WHERE version != ''
      GROUP BY service, workflow, version
      ORDER BY service, workflow, min(startMs) DESC`;
  }

  versions(from: Date, to: Date): Promise<VersionRow[]> {
    return this.storage.query<VersionRow>(this.versionsSql(from, to), { tag: 'regressions-versions' });
  }
}
