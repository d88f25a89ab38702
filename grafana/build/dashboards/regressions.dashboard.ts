import type { DashboardSpec } from '../kit.ts';
import { HOURS, RUNS_HOURLY, SERVICE, WORKFLOW, where } from '../sql.ts';
import { serviceVariable, workflowVariable } from '../variables.ts';

const FILTERS = where(HOURS, SERVICE, WORKFLOW, "ServiceVersion != ''");
const byRelease = (expr: string, alias: string) =>
  `SELECT $__timeInterval(Hour) AS time, concat(WorkflowName, ' @ ', ServiceVersion) AS release, ${expr} AS ${alias}
FROM ${RUNS_HOURLY}
WHERE ${FILTERS}
GROUP BY time, release
ORDER BY time, release`;

const change = (metric: string) =>
  `${metric} / nullIf(lagInFrame(${metric}) OVER (PARTITION BY ServiceName, WorkflowName ORDER BY first_seen), 0) AS ${metric}_change`;

export const regressions: DashboardSpec = {
  file: 'regressions',
  uid: 'kaizen-regressions',
  title: 'Kaizen · Regressions',
  description:
    'Cost, tokens, latency, errors and cache hits per run by release (service.version), with the change against the previous release and the regressions Kaizen detects.',
  time: { from: 'now-7d', to: 'now' },
  variables: [serviceVariable, workflowVariable],
  annotations: [
    {
      name: 'Releases',
      iconColor: '#73BF69',
      sql: `SELECT min(Hour) AS time, concat(ServiceName, ' ', ServiceVersion) AS text, ServiceName AS tags
FROM ${RUNS_HOURLY}
WHERE ${FILTERS}
GROUP BY ServiceName, ServiceVersion
ORDER BY time`,
      columns: ['time', 'text', 'tags'],
    },
  ],
  panels: [
    {
      source: 'prometheus',
      kind: 'table',
      title: 'Regressions detected now',
      description:
        'Workflows whose metric is significantly worse than its baseline (the previous release, or the previous window), from kaizen_regression_detected.',
      w: 24,
      h: 6,
      format: 'table',
      targets: [
        {
          expr: 'kaizen_regression_change_ratio and on(service, workflow, metric, comparison) (kaizen_regression_detected == 1)',
          instant: true,
        },
      ],
      options: { showHeader: true, cellHeight: 'sm' },
      fields: {
        Value: { displayName: 'Current / baseline', decimals: 2 },
        Time: { displayName: 'Time' },
      },
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Releases',
      description:
        'Per workflow and release: runs, cost, tokens, latency, errors and cache hits, and each one against the previous release.',
      w: 24,
      h: 9,
      sql: `SELECT ServiceName, WorkflowName, ServiceVersion, first_seen, runs, cost_per_run_usd, ${change('cost_per_run_usd')},
  tokens_per_run, ${change('tokens_per_run')}, p95_call_s, ${change('p95_call_s')}, error_rate, cache_hit_ratio
FROM (
  SELECT ServiceName, WorkflowName, ServiceVersion, min(Hour) AS first_seen, uniqCombinedMerge(14)(Runs) AS runs,
    sum(CostUSD) / runs AS cost_per_run_usd, (sum(InputTokens) + sum(OutputTokens)) / runs AS tokens_per_run,
    kaizen_v1_duration_quantile(sumMap(DurationHist), 0.95) AS p95_call_s, sum(Errors) / nullIf(sum(Calls), 0) AS error_rate,
    sum(CacheReadTokens) / nullIf(sum(InputTokens), 0) AS cache_hit_ratio
  FROM ${RUNS_HOURLY}
  WHERE ${FILTERS}
  GROUP BY ServiceName, WorkflowName, ServiceVersion
)
ORDER BY ServiceName, WorkflowName, first_seen DESC
LIMIT 500`,
      columns: [
        'ServiceName',
        'WorkflowName',
        'ServiceVersion',
        'first_seen',
        'runs',
        'cost_per_run_usd',
        'cost_per_run_usd_change',
        'tokens_per_run',
        'tokens_per_run_change',
        'p95_call_s',
        'p95_call_s_change',
        'error_rate',
        'cache_hit_ratio',
      ],
      fields: {
        ServiceName: { displayName: 'Service' },
        WorkflowName: { displayName: 'Workflow' },
        ServiceVersion: { displayName: 'Release' },
        first_seen: { displayName: 'First seen', unit: 'dateTimeAsIso' },
        runs: { displayName: 'Runs', unit: 'short' },
        cost_per_run_usd: { displayName: 'Cost / run', unit: 'currencyUSD', decimals: 4 },
        cost_per_run_usd_change: { displayName: 'vs previous', unit: 'percentunit', decimals: 0 },
        tokens_per_run: { displayName: 'Tokens / run', unit: 'short' },
        tokens_per_run_change: { displayName: 'vs previous', unit: 'percentunit', decimals: 0 },
        p95_call_s: { displayName: 'p95 call', unit: 's' },
        p95_call_s_change: { displayName: 'vs previous', unit: 'percentunit', decimals: 0 },
        error_rate: { displayName: 'Errors', unit: 'percentunit', decimals: 2 },
        cache_hit_ratio: { displayName: 'Cache hits', unit: 'percentunit', decimals: 1 },
      },
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Cost per run by release',
      description: 'Mean USD per run, by workflow and release.',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      decimals: 4,
      displayName: '${__field.labels.release}',
      sql: byRelease('sum(CostUSD) / nullIf(uniqCombinedMerge(14)(Runs), 0)', 'cost_per_run_usd'),
      columns: ['time', 'release', 'cost_per_run_usd'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Tokens per run by release',
      description: 'Mean input + output tokens per run, by workflow and release.',
      w: 12,
      h: 8,
      unit: 'short',
      displayName: '${__field.labels.release}',
      sql: byRelease(
        '(sum(InputTokens) + sum(OutputTokens)) / nullIf(uniqCombinedMerge(14)(Runs), 0)',
        'tokens_per_run',
      ),
      columns: ['time', 'release', 'tokens_per_run'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'p95 call latency by release',
      description: '95th percentile model call duration, by workflow and release.',
      w: 12,
      h: 8,
      unit: 's',
      displayName: '${__field.labels.release}',
      sql: byRelease('kaizen_v1_duration_quantile(sumMap(DurationHist), 0.95)', 'p95_call_s'),
      columns: ['time', 'release', 'p95_call_s'],
    },
    {
      source: 'prometheus',
      kind: 'timeseries',
      title: 'Change against baseline',
      description: 'kaizen_regression_change_ratio: current / baseline per workflow and metric (1 = unchanged).',
      w: 12,
      h: 8,
      unit: 'none',
      decimals: 2,
      targets: [
        {
          expr: 'kaizen_regression_change_ratio{service=~"$service", workflow=~"$workflow"}',
          legendFormat: '{{service}}/{{workflow}} {{metric}} ({{comparison}})',
        },
      ],
    },
  ],
};
