/**
 * Every table, view and dictionary Kaizen owns, by name. SQL refers to tables only through these
 * constants (`storage.table(T.genaiCalls)`), never through strings typed at the call site.
 */
export const T = {
  /** Spans, column for column as the OTel Collector Contrib ClickHouse exporter writes them. */
  otelTraces: 'otel_traces',
  /** The exporter's trace id → time window lookup (used by Grafana's trace view). */
  otelTracesTraceIdTs: 'otel_traces_trace_id_ts',
  /** Log records, as the contrib exporter writes them (≥ v0.151 layout). */
  otelLogs: 'otel_logs',
  /** One typed row per model call, filled from otel_traces by a materialized view. */
  genaiCalls: 'genai_calls',
  /** GenAI message content that arrived as log events (semconv ≤ 1.36 and operation.details). */
  genaiLogMessages: 'genai_log_messages',
  /** Prices from @pydantic/genai-prices, one row per provider and model, with match rules. */
  modelPrices: 'model_prices',
  /** User prices; they win over the library's. */
  modelPriceOverrides: 'model_price_overrides',
  /** One row per trace (a workflow run): calls, tokens, cost, errors, start, end. */
  workflowRuns: 'workflow_runs',
  /** All-time call totals per label set (no TTL), for Prometheus counters and histograms. */
  genaiCallTotals: 'genai_call_totals',
  /** Hourly rollup of genai_calls per service, version, workflow, provider and model (long ranges, fast). */
  genaiCallsHourly: 'genai_calls_hourly',
  /** Hourly rollup of runs per service, version and workflow (distinct runs, calls, tokens, cost, latency). */
  workflowRunsHourly: 'workflow_runs_hourly',
  wasteFindings: 'waste_findings',
  analyses: 'analyses',
  /** The migration ledger. */
  migrations: 'kaizen_migrations',
  /** Settings the schema was rendered with (retention), so a change can be applied. */
  schemaSettings: 'kaizen_schema_settings',
} as const;

export type TableName = (typeof T)[keyof typeof T];

/** Dictionaries and views the materialized views use. */
export const D = {
  /** REGEXP_TREE dictionary: `provider/model` → price rule (overrides first, then the library). */
  modelPriceDict: 'model_price_dict',
  /** REGEXP_TREE dictionary: model name → price provider id, when a span names no provider. */
  modelProviderDict: 'model_provider_dict',
  /** The view both dictionaries read. */
  modelPriceRules: 'model_price_rules',
} as const;
