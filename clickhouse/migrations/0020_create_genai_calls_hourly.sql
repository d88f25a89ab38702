-- Hourly rollups of genai_calls for dashboards and reports. A week of 10 M calls is a few thousand
-- rows here, where an hourly series over raw genai_calls takes about half a second.
--   genai_calls_hourly    by service, release, workflow, provider, model and priced model: sums and
--                         a duration histogram
--   workflow_runs_hourly  by service, release and workflow: the same sums plus the set of runs
--                         (TraceIds) as a uniqCombined(14) state, for cost and tokens per run
-- Rows of one key merge in the background; readers aggregate again: sum() for the sums, sumMap() for
-- the histogram (kaizen_v1_duration_quantile turns it into seconds), uniqCombinedMerge(14)() for the runs (exact for small sets, ±0.8 % at scale).
-- The duration histogram has 8 buckets per octave of milliseconds (key round(8·log2(ms)), 0 for
-- 1 ms or less), so a quantile is within ±4.5 %. Filled by 0021.
-- kaizen:distributed genai_calls_hourly cityHash64(ServiceName, WorkflowName)
-- kaizen:distributed workflow_runs_hourly cityHash64(ServiceName, WorkflowName)

CREATE FUNCTION IF NOT EXISTS kaizen_v1_duration_bucket {{on_cluster}} AS (ns) ->
    toUInt8(least(greatest(round(log2(greatest(toFloat64(ns), 1.) / 1e6) * 8), 0), 255));

-- The q-quantile (0 < q ≤ 1) of a merged duration histogram, in seconds; nan when it is empty.
CREATE FUNCTION IF NOT EXISTS kaizen_v1_duration_quantile {{on_cluster}} AS (hist, q) ->
    if(arraySum(hist.2) = 0, nan,
       pow(2, hist.1[arrayFirstIndex(c -> c >= q * arraySum(hist.2), arrayCumSum(hist.2))] / 8) / 1000);

CREATE TABLE IF NOT EXISTS {{database}}.{{local:genai_calls_hourly}} {{on_cluster}} (
    Hour DateTime CODEC(Delta, ZSTD(1)),
    ServiceName LowCardinality(String),
    ServiceVersion LowCardinality(String),
    WorkflowName LowCardinality(String),
    Provider LowCardinality(String),
    Model LowCardinality(String),                              -- RequestModel, else ResponseModel
    PriceModel LowCardinality(String),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    UnpricedCalls SimpleAggregateFunction(sum, UInt64),
    InputTokens SimpleAggregateFunction(sum, UInt64),          -- includes cache reads and writes
    OutputTokens SimpleAggregateFunction(sum, UInt64),         -- includes reasoning
    CacheReadTokens SimpleAggregateFunction(sum, UInt64),
    CacheWriteTokens SimpleAggregateFunction(sum, UInt64),
    ReasoningTokens SimpleAggregateFunction(sum, UInt64),
    CostUSD SimpleAggregateFunction(sum, Float64),
    DurationNs SimpleAggregateFunction(sum, UInt64),           -- total, for means
    DurationHist SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))
) ENGINE = {{engine:AggregatingMergeTree()}}
PARTITION BY toYYYYMM(Hour)
ORDER BY (Hour, ServiceName, WorkflowName, Provider, Model, ServiceVersion, PriceModel)
{{ttl:Hour}}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS {{database}}.{{local:workflow_runs_hourly}} {{on_cluster}} (
    Hour DateTime CODEC(Delta, ZSTD(1)),
    ServiceName LowCardinality(String),
    ServiceVersion LowCardinality(String),
    WorkflowName LowCardinality(String),
    Runs AggregateFunction(uniqCombined(14), String),        -- distinct TraceIds
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    InputTokens SimpleAggregateFunction(sum, UInt64),
    OutputTokens SimpleAggregateFunction(sum, UInt64),
    CacheReadTokens SimpleAggregateFunction(sum, UInt64),
    CostUSD SimpleAggregateFunction(sum, Float64),
    DurationHist SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))
) ENGINE = {{engine:AggregatingMergeTree()}}
PARTITION BY toYYYYMM(Hour)
ORDER BY (Hour, ServiceName, WorkflowName, ServiceVersion)
{{ttl:Hour}}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1;
