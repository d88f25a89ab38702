import type { DashboardSpec } from '../kit.ts';
import { HOURS, RUNS_HOURLY, SERVICE, TRACE_BY_ID, TRACE_COLUMNS, WORKFLOW, where } from '../sql.ts';
import { serviceVariable, traceIdVariable, workflowVariable } from '../variables.ts';

const FILTERS = where(HOURS, SERVICE, WORKFLOW);
const perWorkflow = (expr: string, alias: string) =>
  `SELECT $__timeInterval(Hour) AS time, WorkflowName, ${expr} AS ${alias}
FROM ${RUNS_HOURLY}
WHERE ${FILTERS}
GROUP BY time, WorkflowName
ORDER BY time, WorkflowName`;

/** Opens a run in the panels below (sets ${trace_id}), keeping the time range. */
const SHOW_RUN = {
  title: 'Show this run below',
  url: '/d/kaizen-workflows?var-trace_id=${__value.raw}&${__url_time_range}',
};

export const workflows: DashboardSpec = {
  file: 'workflows',
  uid: 'kaizen-workflows',
  title: 'Kaizen · Workflows',
  description:
    'Workflow runs (traces) with their cost, calls and waste; a run opens in the ClickHouse plugin trace view.',
  time: { from: 'now-24h', to: 'now' },
  variables: [serviceVariable, workflowVariable, traceIdVariable],
  panels: [
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Cost per run',
      description: 'Mean USD per workflow run, by workflow.',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      decimals: 4,
      displayName: '${__field.labels.WorkflowName}',
      sql: perWorkflow('sum(CostUSD) / nullIf(uniqCombinedMerge(14)(Runs), 0)', 'cost_per_run_usd'),
      columns: ['time', 'WorkflowName', 'cost_per_run_usd'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Runs',
      description: 'Workflow runs (distinct traces with model calls) per interval, by workflow.',
      w: 12,
      h: 8,
      unit: 'short',
      displayName: '${__field.labels.WorkflowName}',
      sql: perWorkflow('uniqCombinedMerge(14)(Runs)', 'runs'),
      columns: ['time', 'WorkflowName', 'runs'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Workflows',
      description:
        'Runs, calls, cost and waste per workflow. Waste per run is the findings’ saving per run over the runs analysed.',
      w: 24,
      h: 8,
      sql: `SELECT r.ServiceName AS ServiceName, r.WorkflowName AS WorkflowName, r.runs AS runs, r.calls / r.runs AS calls_per_run,
  r.cost / r.runs AS cost_per_run_usd, r.tokens / r.runs AS tokens_per_run, r.p95_call_s AS p95_call_s,
  r.errors / nullIf(r.calls, 0) AS error_rate, r.cost AS spend_usd, w.saving / nullIf(a.analysed, 0) AS waste_per_run_usd
FROM (
  SELECT ServiceName, WorkflowName, uniqCombinedMerge(14)(Runs) AS runs, sum(Calls) AS calls, sum(CostUSD) AS cost,
    sum(InputTokens) + sum(OutputTokens) AS tokens, sum(Errors) AS errors,
    kaizen_v1_duration_quantile(sumMap(DurationHist), 0.95) AS p95_call_s
  FROM ${RUNS_HOURLY}
  WHERE ${FILTERS}
  GROUP BY ServiceName, WorkflowName
) AS r
LEFT JOIN (
  SELECT ServiceName, WorkflowName, sum(SavingUSDPerRun) AS saving
  FROM waste_findings FINAL
  WHERE ${where('IsDeleted = 0', "Scope = 'run'", '$__timeFilter(RunStart)', SERVICE, WORKFLOW)}
  GROUP BY ServiceName, WorkflowName
) AS w ON w.ServiceName = r.ServiceName AND w.WorkflowName = r.WorkflowName
LEFT JOIN (
  SELECT ServiceName, WorkflowName, count() AS analysed
  FROM analyses FINAL
  WHERE ${where("Status = 'done'", '$__timeFilter(StartedAt)', SERVICE, WORKFLOW)}
  GROUP BY ServiceName, WorkflowName
) AS a ON a.ServiceName = r.ServiceName AND a.WorkflowName = r.WorkflowName
ORDER BY spend_usd DESC
LIMIT 200`,
      columns: [
        'ServiceName',
        'WorkflowName',
        'runs',
        'calls_per_run',
        'cost_per_run_usd',
        'tokens_per_run',
        'p95_call_s',
        'error_rate',
        'spend_usd',
        'waste_per_run_usd',
      ],
      fields: {
        ServiceName: { displayName: 'Service' },
        WorkflowName: { displayName: 'Workflow' },
        runs: { displayName: 'Runs', unit: 'short' },
        calls_per_run: { displayName: 'Calls / run', decimals: 1 },
        cost_per_run_usd: { displayName: 'Cost / run', unit: 'currencyUSD', decimals: 4 },
        tokens_per_run: { displayName: 'Tokens / run', unit: 'short' },
        p95_call_s: { displayName: 'p95 call', unit: 's' },
        error_rate: { displayName: 'Errors', unit: 'percentunit', decimals: 2 },
        spend_usd: { displayName: 'Spend', unit: 'currencyUSD', decimals: 2 },
        waste_per_run_usd: { displayName: 'Waste / run', unit: 'currencyUSD', decimals: 4 },
      },
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Recent runs',
      description:
        'The latest runs. TraceId opens the run in the ClickHouse plugin’s trace view; “Show this run below” fills the panels underneath.',
      w: 24,
      h: 10,
      sql: `WITH recent AS (
  SELECT TraceId FROM workflow_runs
  WHERE ${where('$__timeFilter(Start)', SERVICE, WORKFLOW)}
  ORDER BY Start DESC
  LIMIT 1000
)
SELECT r.TraceId AS TraceId, r.start AS start, r.WorkflowName AS WorkflowName, r.ServiceName AS ServiceName,
  r.ServiceVersion AS ServiceVersion, r.duration_s AS duration_s, r.calls AS calls, r.errors AS errors,
  r.cost_usd AS cost_usd, f.findings AS findings, f.saving AS saving_per_run_usd
FROM (
  SELECT TraceId, min(Start) AS start, max(WorkflowName) AS WorkflowName, max(ServiceName) AS ServiceName,
    max(ServiceVersion) AS ServiceVersion,
    (toUnixTimestamp64Milli(max(End)) - toUnixTimestamp64Milli(min(Start))) / 1000 AS duration_s,
    sum(Calls) AS calls, sum(Errors) AS errors, sum(CostUSD) AS cost_usd
  FROM workflow_runs
  WHERE TraceId IN recent
  GROUP BY TraceId
  HAVING calls > 0
) AS r
LEFT JOIN (
  SELECT TraceId, count() AS findings, sum(SavingUSDPerRun) AS saving
  FROM waste_findings FINAL
  WHERE IsDeleted = 0 AND TraceId IN recent
  GROUP BY TraceId
) AS f ON f.TraceId = r.TraceId
ORDER BY start DESC
LIMIT 100`,
      columns: [
        'TraceId',
        'start',
        'WorkflowName',
        'ServiceName',
        'ServiceVersion',
        'duration_s',
        'calls',
        'errors',
        'cost_usd',
        'findings',
        'saving_per_run_usd',
      ],
      fields: {
        TraceId: { links: [SHOW_RUN], width: 280 },
        start: { displayName: 'Start', unit: 'dateTimeAsIso' },
        WorkflowName: { displayName: 'Workflow' },
        ServiceName: { displayName: 'Service' },
        ServiceVersion: { displayName: 'Release' },
        duration_s: { displayName: 'Duration', unit: 's' },
        calls: { displayName: 'Calls', unit: 'short' },
        errors: { displayName: 'Errors', unit: 'short' },
        cost_usd: { displayName: 'Cost', unit: 'currencyUSD', decimals: 4 },
        findings: { displayName: 'Findings', unit: 'short' },
        saving_per_run_usd: { displayName: 'Saving / run', unit: 'currencyUSD', decimals: 4 },
      },
    },
    { row: 'Run ${trace_id}' },
    {
      source: 'clickhouse',
      kind: 'traces',
      title: 'Trace',
      description: 'The run’s spans, with the query the ClickHouse plugin runs for its trace view (OTel mode).',
      w: 24,
      h: 12,
      sql: TRACE_BY_ID,
      columns: TRACE_COLUMNS,
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Model calls in this run',
      description: 'Every model call of the run, its tokens, cost and the findings that name it.',
      w: 14,
      h: 10,
      sql: `SELECT c.Timestamp AS time, c.SpanId AS SpanId, c.AgentName AS AgentName, c.Provider AS Provider,
  c.RequestModel AS RequestModel, c.InputTokens AS input_tokens, c.CacheReadTokens AS cache_read_tokens,
  c.OutputTokens AS output_tokens, c.CostUSD AS cost_usd, c.DurationNs / 1e9 AS duration_s, c.IsError AS error,
  arrayStringConcat(c.FinishReasons, ', ') AS finish_reasons, f.kinds AS findings
FROM genai_calls AS c
LEFT JOIN (
  SELECT SpanId, arrayStringConcat(groupUniqArray(Kind), ', ') AS kinds
  FROM waste_findings FINAL
  ARRAY JOIN SpanIds AS SpanId
  WHERE TraceId = \${trace_id:singlequote} AND IsDeleted = 0
  GROUP BY SpanId
) AS f ON f.SpanId = c.SpanId
WHERE c.TraceId = \${trace_id:singlequote}
ORDER BY time`,
      columns: [
        'time',
        'SpanId',
        'AgentName',
        'Provider',
        'RequestModel',
        'input_tokens',
        'cache_read_tokens',
        'output_tokens',
        'cost_usd',
        'duration_s',
        'error',
        'finish_reasons',
        'findings',
      ],
      fields: {
        time: { displayName: 'Time', unit: 'dateTimeAsIso' },
        AgentName: { displayName: 'Agent' },
        RequestModel: { displayName: 'Model' },
        input_tokens: { displayName: 'Input', unit: 'short' },
        cache_read_tokens: { displayName: 'Cached', unit: 'short' },
        output_tokens: { displayName: 'Output', unit: 'short' },
        cost_usd: { displayName: 'Cost', unit: 'currencyUSD', decimals: 5 },
        duration_s: { displayName: 'Duration', unit: 's' },
        finish_reasons: { displayName: 'Finish' },
        findings: { displayName: 'Findings' },
      },
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Findings in this run',
      description: 'What the analysis found in the run: the fix and what it saves.',
      w: 10,
      h: 10,
      sql: `SELECT Kind, Subkind, Title, Recommendation, SavingUSDPerRun AS saving_per_run_usd, Confidence AS confidence,
  DetectedBy, arrayStringConcat(SpanIds, ', ') AS span_ids
FROM waste_findings FINAL
WHERE TraceId = \${trace_id:singlequote} AND IsDeleted = 0
ORDER BY saving_per_run_usd DESC`,
      columns: [
        'Kind',
        'Subkind',
        'Title',
        'Recommendation',
        'saving_per_run_usd',
        'confidence',
        'DetectedBy',
        'span_ids',
      ],
      fields: {
        saving_per_run_usd: { displayName: 'Saving / run', unit: 'currencyUSD', decimals: 4 },
        confidence: { displayName: 'Confidence', unit: 'percentunit', decimals: 0 },
        DetectedBy: { displayName: 'Found by' },
        span_ids: { displayName: 'Calls (span ids)' },
      },
    },
  ],
};
