import type { DashboardSpec } from '../kit.ts';
import { CALLS_HOURLY, HOURS, MODEL, SERVICE, WORKFLOW, savingPotential, where } from '../sql.ts';
import { modelVariable, serviceVariable, workflowVariable } from '../variables.ts';

const FILTERS = where(HOURS, SERVICE, WORKFLOW, MODEL);
const total = (expr: string, alias: string) => `SELECT ${expr} AS ${alias}\nFROM ${CALLS_HOURLY}\nWHERE ${FILTERS}`;
const series = (by: string, expr: string, alias: string) =>
  `SELECT $__timeInterval(Hour) AS time, ${by}, ${expr} AS ${alias}
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY time, ${by}
ORDER BY time, ${by}`;

export const overview: DashboardSpec = {
  file: 'overview',
  uid: 'kaizen-overview',
  title: 'Kaizen · Overview',
  description: 'LLM spend, calls and tokens by model, provider, service and workflow; waste by kind; saving potential.',
  time: { from: 'now-24h', to: 'now' },
  variables: [serviceVariable, workflowVariable, modelVariable],
  panels: [
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Spend',
      description: 'USD spent on model calls in the range (priced in ClickHouse from @pydantic/genai-prices).',
      w: 4,
      h: 4,
      unit: 'currencyUSD',
      decimals: 2,
      sql: total('sum(CostUSD)', 'spend_usd'),
      columns: ['spend_usd'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Model calls',
      description: 'Model calls (leaf GenAI spans) in the range.',
      w: 4,
      h: 4,
      unit: 'short',
      sql: total('sum(Calls)', 'calls'),
      columns: ['calls'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Tokens',
      description: 'Input plus output tokens (input includes cached tokens, output includes reasoning).',
      w: 4,
      h: 4,
      unit: 'short',
      sql: total('sum(InputTokens) + sum(OutputTokens)', 'tokens'),
      columns: ['tokens'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Cache-hit ratio',
      description: 'Share of input tokens served from the provider prompt cache.',
      w: 4,
      h: 4,
      unit: 'percentunit',
      decimals: 1,
      sql: total('sum(CacheReadTokens) / nullIf(sum(InputTokens), 0)', 'cache_hit_ratio'),
      columns: ['cache_hit_ratio'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Error rate',
      description: 'Share of model calls that failed.',
      w: 4,
      h: 4,
      unit: 'percentunit',
      decimals: 2,
      sql: total('sum(Errors) / nullIf(sum(Calls), 0)', 'error_rate'),
      columns: ['error_rate'],
    },
    {
      source: 'clickhouse',
      kind: 'stat',
      title: 'Saving potential',
      description:
        'Estimated USD per month the current waste findings would save (a recurring waste counts once per workflow, not once per analysed run).',
      w: 4,
      h: 4,
      unit: 'currencyUSD',
      decimals: 2,
      sql: `SELECT saving_usd_per_month FROM (\n${savingPotential([])}\n)`,
      columns: ['saving_usd_per_month'],
    },
    { row: 'Spend' },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Spend by model',
      description: 'USD per interval, by requested model.',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      displayName: '${__field.labels.Model}',
      options: { legend: { displayMode: 'table', placement: 'right', showLegend: true, calcs: ['sum'] } },
      sql: series('Model', 'sum(CostUSD)', 'spend_usd'),
      columns: ['time', 'Model', 'spend_usd'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Spend by provider',
      description: 'USD per interval, by provider (gen_ai.provider.name, normalised).',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      displayName: '${__field.labels.Provider}',
      sql: series('Provider', 'sum(CostUSD)', 'spend_usd'),
      columns: ['time', 'Provider', 'spend_usd'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Spend by workflow',
      description: 'USD per interval, by workflow.',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      displayName: '${__field.labels.WorkflowName}',
      sql: series('WorkflowName', 'sum(CostUSD)', 'spend_usd'),
      columns: ['time', 'WorkflowName', 'spend_usd'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Calls by service',
      description: 'Model calls per interval, by service.',
      w: 12,
      h: 8,
      unit: 'short',
      displayName: '${__field.labels.ServiceName}',
      sql: series('ServiceName', 'sum(Calls)', 'calls'),
      columns: ['time', 'ServiceName', 'calls'],
    },
    { row: 'Tokens and cache' },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Tokens by type',
      description:
        'Input (including cache reads and writes), output (including reasoning), cache and reasoning tokens.',
      w: 12,
      h: 8,
      unit: 'short',
      sql: `SELECT $__timeInterval(Hour) AS time, sum(InputTokens) AS input, sum(OutputTokens) AS output,
  sum(CacheReadTokens) AS cache_read, sum(CacheWriteTokens) AS cache_write, sum(ReasoningTokens) AS reasoning
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY time
ORDER BY time`,
      columns: ['time', 'input', 'output', 'cache_read', 'cache_write', 'reasoning'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Cache-hit ratio by model',
      description: 'Share of input tokens read from the prompt cache, by model.',
      w: 12,
      h: 8,
      unit: 'percentunit',
      displayName: '${__field.labels.Model}',
      sql: series('Model', 'sum(CacheReadTokens) / nullIf(sum(InputTokens), 0)', 'cache_hit_ratio'),
      columns: ['time', 'Model', 'cache_hit_ratio'],
    },
    { row: 'Breakdown' },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Spend by service and workflow',
      description: 'Calls, tokens, spend and errors by service and workflow in the range.',
      w: 12,
      h: 9,
      sql: `SELECT ServiceName, WorkflowName, sum(Calls) AS calls, sum(InputTokens) AS input_tokens,
  sum(OutputTokens) AS output_tokens, sum(CostUSD) AS spend_usd, sum(Errors) / nullIf(sum(Calls), 0) AS error_rate
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY ServiceName, WorkflowName
ORDER BY spend_usd DESC
LIMIT 200`,
      columns: ['ServiceName', 'WorkflowName', 'calls', 'input_tokens', 'output_tokens', 'spend_usd', 'error_rate'],
      fields: {
        ServiceName: { displayName: 'Service' },
        WorkflowName: { displayName: 'Workflow' },
        calls: { displayName: 'Calls', unit: 'short' },
        input_tokens: { displayName: 'Input tokens', unit: 'short' },
        output_tokens: { displayName: 'Output tokens', unit: 'short' },
        spend_usd: { displayName: 'Spend', unit: 'currencyUSD', decimals: 2 },
        error_rate: { displayName: 'Errors', unit: 'percentunit', decimals: 2 },
      },
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Spend by provider and model',
      description: 'Calls, tokens, cache use and spend by provider and model in the range.',
      w: 12,
      h: 9,
      sql: `SELECT Provider, Model, sum(Calls) AS calls, sum(InputTokens) AS input_tokens, sum(OutputTokens) AS output_tokens,
  sum(CacheReadTokens) / nullIf(sum(InputTokens), 0) AS cache_hit_ratio, sum(CostUSD) AS spend_usd
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY Provider, Model
ORDER BY spend_usd DESC
LIMIT 200`,
      columns: ['Provider', 'Model', 'calls', 'input_tokens', 'output_tokens', 'cache_hit_ratio', 'spend_usd'],
      fields: {
        calls: { displayName: 'Calls', unit: 'short' },
        input_tokens: { displayName: 'Input tokens', unit: 'short' },
        output_tokens: { displayName: 'Output tokens', unit: 'short' },
        cache_hit_ratio: { displayName: 'Cache hits', unit: 'percentunit', decimals: 1 },
        spend_usd: { displayName: 'Spend', unit: 'currencyUSD', decimals: 2 },
      },
    },
    { row: 'Waste' },
    {
      source: 'clickhouse',
      kind: 'barchart',
      title: 'Waste by kind',
      description:
        'Estimated saving per month by kind of waste (redundant calls, model overkill, prompt bloat, retries, loops).',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      options: { xField: 'Kind' },
      sql: `SELECT Kind, saving_usd_per_month FROM (\n${savingPotential(['Kind'])}\n)\nORDER BY saving_usd_per_month DESC`,
      columns: ['Kind', 'saving_usd_per_month'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Waste by workflow',
      description: 'Estimated saving per day and month, and the findings behind it, by workflow.',
      w: 12,
      h: 8,
      sql: `SELECT ServiceName, WorkflowName, saving_usd_per_day, saving_usd_per_month, findings FROM (\n${savingPotential(['ServiceName', 'WorkflowName'])}\n)\nORDER BY saving_usd_per_month DESC\nLIMIT 100`,
      columns: ['ServiceName', 'WorkflowName', 'saving_usd_per_day', 'saving_usd_per_month', 'findings'],
      fields: {
        ServiceName: { displayName: 'Service' },
        WorkflowName: { displayName: 'Workflow' },
        saving_usd_per_day: { displayName: 'Saving / day', unit: 'currencyUSD', decimals: 2 },
        saving_usd_per_month: { displayName: 'Saving / month', unit: 'currencyUSD', decimals: 2 },
        findings: { displayName: 'Findings', unit: 'short' },
      },
    },
  ],
};
