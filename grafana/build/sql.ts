/**
 * SQL shared by the dashboards. Tables are named without a database: the ClickHouse data source's
 * `defaultDatabase` (`otel`, or KAIZEN_CLICKHOUSE_DATABASE) is the connection's database. Only the
 * plugin's macros are used ($__timeFilter, $__fromTime, $__toTime, $__timeInterval,
 * $__conditionalAll) and multi-value variables as ${var:singlequote}.
 */

/** `$__conditionalAll` over a multi-value variable: no filter while All is selected. */
export const anyOf = (column: string, variable: string) =>
  `$__conditionalAll(${column} IN (\${${variable}:singlequote}), $${variable})`;

export const SERVICE = anyOf('ServiceName', 'service');
export const WORKFLOW = anyOf('WorkflowName', 'workflow');
export const MODEL = anyOf('Model', 'model');
export const KIND = anyOf('Kind', 'kind');

/** Rollup rows whose hour overlaps the dashboard's range. */
export const HOURS = 'Hour >= toStartOfHour($__fromTime) AND Hour <= $__toTime';

export const where = (...conditions: string[]) => conditions.join('\n  AND ');

/** The hourly rollups (migration 0020). */
export const CALLS_HOURLY = 'genai_calls_hourly';
export const RUNS_HOURLY = 'workflow_runs_hourly';

/** Findings in the range that still hold (ReplacingMergeTree: FINAL and not tombstoned). */
export const findings = (...extra: string[]) =>
  `waste_findings FINAL\nWHERE ${where('IsDeleted = 0', '$__timeFilter(RunStart)', SERVICE, WORKFLOW, ...extra)}`;

/**
 * Saving potential without counting a recurring waste once per analysed run: per workflow, kind and
 * scope, the mean over runs of a run's findings (each finding already projects its saving per day and
 * month from the workflow's run rate); cross-run findings (TraceId '') count once.
 * `by` adds grouping columns (e.g. Kind) to the result.
 */
export function savingPotential(by: readonly string[], extra: readonly string[] = []): string {
  const keys = ['ServiceName', 'WorkflowName', 'Kind', 'Scope'];
  const outer = by.length ? `${by.join(', ')}, ` : '';
  const group = by.length ? `\nGROUP BY ${by.join(', ')}` : '';
  return `SELECT ${outer}sum(per_day) AS saving_usd_per_day, sum(per_month) AS saving_usd_per_month, sum(findings) AS findings
FROM (
  SELECT ${keys.join(', ')}, avg(run_day) AS per_day, avg(run_month) AS per_month, sum(n) AS findings
  FROM (
    SELECT ${keys.join(', ')}, TraceId, sum(SavingUSDPerDay) AS run_day, sum(SavingUSDPerMonth) AS run_month, count() AS n
    FROM ${findings(...extra)}
    GROUP BY ${keys.join(', ')}, TraceId
  )
  GROUP BY ${keys.join(', ')}
)${group}`;
}

/** The plugin's trace-by-id query (OTel mode, Map attributes, `_trace_id_ts` lookup) for ${trace_id}. */
export const TRACE_BY_ID = `WITH \${trace_id:singlequote} AS __gf_trace_id,
  (SELECT min(Start) FROM otel_traces_trace_id_ts WHERE TraceId = __gf_trace_id) AS __gf_trace_start,
  (SELECT max(End) + 1 FROM otel_traces_trace_id_ts WHERE TraceId = __gf_trace_id) AS __gf_trace_end
SELECT
  TraceId AS traceID,
  SpanId AS spanID,
  ParentSpanId AS parentSpanID,
  ServiceName AS serviceName,
  SpanName AS operationName,
  multiply(toUnixTimestamp64Nano(Timestamp), 0.000001) AS startTime,
  multiply(Duration, 0.000001) AS duration,
  arrayMap(key -> map('key', key, 'value', SpanAttributes[key]), mapKeys(SpanAttributes)) AS tags,
  arrayMap(key -> map('key', key, 'value', ResourceAttributes[key]), mapKeys(ResourceAttributes)) AS serviceTags,
  if(StatusCode IN ('Error', 'STATUS_CODE_ERROR'), 2, 0) AS statusCode,
  arrayMap((name, timestamp, attributes) -> tuple(name, toString(toUnixTimestamp64Milli(timestamp)), arrayMap(key -> map('key', key, 'value', attributes[key]), mapKeys(attributes)))::Tuple(name String, timestamp String, fields Array(Map(String, String))), Events.Name, Events.Timestamp, Events.Attributes) AS logs,
  arrayMap((traceID, spanID, attributes) -> tuple(traceID, spanID, arrayMap(key -> map('key', key, 'value', attributes[key]), mapKeys(attributes)))::Tuple(traceID String, spanID String, tags Array(Map(String, String))), Links.TraceId, Links.SpanId, Links.Attributes) AS references,
  SpanKind AS kind,
  StatusMessage AS statusMessage,
  ScopeName AS instrumentationLibraryName,
  ScopeVersion AS instrumentationLibraryVersion,
  TraceState AS traceState
FROM otel_traces
WHERE traceID = __gf_trace_id AND Timestamp >= __gf_trace_start AND Timestamp <= __gf_trace_end
ORDER BY startTime`;

export const TRACE_COLUMNS = [
  'traceID',
  'spanID',
  'parentSpanID',
  'serviceName',
  'operationName',
  'startTime',
  'duration',
  'tags',
  'serviceTags',
  'statusCode',
  'logs',
  'references',
  'kind',
  'statusMessage',
  'instrumentationLibraryName',
  'instrumentationLibraryVersion',
  'traceState',
] as const;
