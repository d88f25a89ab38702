import type { DashboardSpec } from '../kit.ts';
import { CALLS_HOURLY, HOURS, MODEL, SERVICE, WORKFLOW, where } from '../sql.ts';
import { modelVariable, serviceVariable, workflowVariable } from '../variables.ts';

const FILTERS = where(HOURS, SERVICE, WORKFLOW, MODEL);
const byModel = (expr: string, alias: string) =>
  `SELECT $__timeInterval(Hour) AS time, Model, ${expr} AS ${alias}
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY time, Model
ORDER BY time, Model`;

const PRICE_FIELDS = {
  input_per_mtok: { displayName: 'Input / MTok', unit: 'currencyUSD', decimals: 3 },
  output_per_mtok: { displayName: 'Output / MTok', unit: 'currencyUSD', decimals: 3 },
  cache_read_per_mtok: { displayName: 'Cache read / MTok', unit: 'currencyUSD', decimals: 3 },
  cache_write_per_mtok: { displayName: 'Cache write / MTok', unit: 'currencyUSD', decimals: 3 },
} as const;

export const models: DashboardSpec = {
  file: 'models',
  uid: 'kaizen-models',
  title: 'Kaizen · Models and prices',
  description: 'Usage, latency and cost per model, the prices they were billed at, overrides and unpriced models.',
  time: { from: 'now-7d', to: 'now' },
  variables: [serviceVariable, workflowVariable, modelVariable],
  panels: [
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Usage by model',
      description:
        'Calls, tokens by kind, spend, cost per 1,000 calls, cache hits, latency (from an hourly histogram, ±5 %) and errors per model.',
      w: 24,
      h: 9,
      sql: `SELECT Provider, Model, sum(Calls) AS calls, sum(InputTokens) AS input_tokens, sum(OutputTokens) AS output_tokens,
  sum(CacheReadTokens) AS cache_read_tokens, sum(CacheWriteTokens) AS cache_write_tokens, sum(ReasoningTokens) AS reasoning_tokens,
  sum(CostUSD) AS spend_usd, 1000 * sum(CostUSD) / nullIf(sum(Calls), 0) AS usd_per_1k_calls,
  sum(CacheReadTokens) / nullIf(sum(InputTokens), 0) AS cache_hit_ratio,
  kaizen_v1_duration_quantile(sumMap(DurationHist), 0.5) AS p50_s, kaizen_v1_duration_quantile(sumMap(DurationHist), 0.95) AS p95_s,
  sum(Errors) / nullIf(sum(Calls), 0) AS error_rate, sum(UnpricedCalls) AS unpriced_calls
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY Provider, Model
ORDER BY spend_usd DESC
LIMIT 200`,
      columns: [
        'Provider',
        'Model',
        'calls',
        'input_tokens',
        'output_tokens',
        'cache_read_tokens',
        'cache_write_tokens',
        'reasoning_tokens',
        'spend_usd',
        'usd_per_1k_calls',
        'cache_hit_ratio',
        'p50_s',
        'p95_s',
        'error_rate',
        'unpriced_calls',
      ],
      fields: {
        calls: { displayName: 'Calls', unit: 'short' },
        input_tokens: { displayName: 'Input', unit: 'short' },
        output_tokens: { displayName: 'Output', unit: 'short' },
        cache_read_tokens: { displayName: 'Cache read', unit: 'short' },
        cache_write_tokens: { displayName: 'Cache write', unit: 'short' },
        reasoning_tokens: { displayName: 'Reasoning', unit: 'short' },
        spend_usd: { displayName: 'Spend', unit: 'currencyUSD', decimals: 2 },
        usd_per_1k_calls: { displayName: 'USD / 1k calls', unit: 'currencyUSD', decimals: 3 },
        cache_hit_ratio: { displayName: 'Cache hits', unit: 'percentunit', decimals: 1 },
        p50_s: { displayName: 'p50', unit: 's' },
        p95_s: { displayName: 'p95', unit: 's' },
        error_rate: { displayName: 'Errors', unit: 'percentunit', decimals: 2 },
        unpriced_calls: { displayName: 'Unpriced', unit: 'short' },
      },
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'p95 latency by model',
      description: '95th percentile call duration per interval, by model.',
      w: 12,
      h: 8,
      unit: 's',
      displayName: '${__field.labels.Model}',
      sql: byModel('kaizen_v1_duration_quantile(sumMap(DurationHist), 0.95)', 'p95_s'),
      columns: ['time', 'Model', 'p95_s'],
    },
    {
      source: 'clickhouse',
      kind: 'timeseries',
      title: 'Cost per call by model',
      description: 'Mean USD per call, by model.',
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      decimals: 5,
      displayName: '${__field.labels.Model}',
      sql: byModel('sum(CostUSD) / nullIf(sum(Calls), 0)', 'usd_per_call'),
      columns: ['time', 'Model', 'usd_per_call'],
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Prices of the models in use',
      description:
        'The @pydantic/genai-prices rule each model in the range was priced with (USD per million tokens). Overrides are listed apart.',
      w: 24,
      h: 8,
      sql: `SELECT Provider, Model AS price_model, Name AS name, InputPerMTok AS input_per_mtok, OutputPerMTok AS output_per_mtok,
  CacheReadPerMTok AS cache_read_per_mtok, CacheWritePerMTok AS cache_write_per_mtok, ContextWindow AS context_window
FROM model_prices
WHERE Kind = 'model' AND (Provider, Model) IN (
  SELECT DISTINCT kaizen_v1_price_provider(Provider), PriceModel FROM ${CALLS_HOURLY}
  WHERE ${where(FILTERS, "PriceModel != ''")}
)
ORDER BY Provider, price_model`,
      columns: [
        'Provider',
        'price_model',
        'name',
        'input_per_mtok',
        'output_per_mtok',
        'cache_read_per_mtok',
        'cache_write_per_mtok',
        'context_window',
      ],
      fields: {
        price_model: { displayName: 'Priced as' },
        name: { displayName: 'Name' },
        ...PRICE_FIELDS,
        context_window: { displayName: 'Context window', unit: 'short' },
      },
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Price overrides',
      description: 'Your own prices (PUT /api/prices); they win over the library’s.',
      w: 12,
      h: 8,
      sql: `SELECT Provider, Model, IsPattern AS is_pattern, InputPerMTok AS input_per_mtok, OutputPerMTok AS output_per_mtok,
  CacheReadPerMTok AS cache_read_per_mtok, CacheWritePerMTok AS cache_write_per_mtok, Note AS note, UpdatedAt AS updated_at
FROM model_price_overrides FINAL
WHERE IsDeleted = 0
ORDER BY Provider, Model`,
      columns: [
        'Provider',
        'Model',
        'is_pattern',
        'input_per_mtok',
        'output_per_mtok',
        'cache_read_per_mtok',
        'cache_write_per_mtok',
        'note',
        'updated_at',
      ],
      fields: {
        is_pattern: { displayName: 'Pattern' },
        ...PRICE_FIELDS,
        note: { displayName: 'Note' },
        updated_at: { displayName: 'Updated', unit: 'dateTimeAsIso' },
      },
    },
    {
      source: 'clickhouse',
      kind: 'table',
      title: 'Unpriced models',
      description:
        'Models no price matched: their calls count as unpriced (never as free). Add an override to price them.',
      w: 12,
      h: 8,
      sql: `SELECT Provider, Model, sum(UnpricedCalls) AS unpriced_calls, sum(InputTokens) AS input_tokens, sum(OutputTokens) AS output_tokens
FROM ${CALLS_HOURLY}
WHERE ${FILTERS}
GROUP BY Provider, Model
HAVING unpriced_calls > 0
ORDER BY unpriced_calls DESC`,
      columns: ['Provider', 'Model', 'unpriced_calls', 'input_tokens', 'output_tokens'],
      fields: {
        unpriced_calls: { displayName: 'Unpriced calls', unit: 'short' },
        input_tokens: { displayName: 'Input', unit: 'short' },
        output_tokens: { displayName: 'Output', unit: 'short' },
      },
    },
  ],
};
