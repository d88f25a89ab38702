-- All-time totals of model calls per label set, for the service's Prometheus counters and GenAI
-- histograms. No TTL: when retention drops old calls the totals stay, so counters derived from them
-- never go down. Histogram buckets are cumulative counts (value <= bound) with the semantic
-- conventions' bucket boundaries:
--   duration (s): 0.01 0.02 0.04 0.08 0.16 0.32 0.64 1.28 2.56 5.12 10.24 20.48 40.96 81.92
--   tokens:       1 4 16 64 256 1024 4096 16384 65536 262144 1048576 4194304 16777216 67108864
-- kaizen:distributed genai_call_totals rand()

CREATE TABLE IF NOT EXISTS {{database}}.{{local:genai_call_totals}} {{on_cluster}} (
    ServiceName LowCardinality(String),
    Provider LowCardinality(String),
    Model LowCardinality(String),
    WorkflowName LowCardinality(String),
    IsError UInt8,
    Calls SimpleAggregateFunction(sum, UInt64),
    UnpricedCalls SimpleAggregateFunction(sum, UInt64),
    InputTokens SimpleAggregateFunction(sum, UInt64),
    OutputTokens SimpleAggregateFunction(sum, UInt64),
    CacheReadTokens SimpleAggregateFunction(sum, UInt64),
    CacheWriteTokens SimpleAggregateFunction(sum, UInt64),
    ReasoningTokens SimpleAggregateFunction(sum, UInt64),
    CostUSD SimpleAggregateFunction(sum, Float64),
    DurationSeconds SimpleAggregateFunction(sum, Float64),
    DurationBuckets AggregateFunction(sumForEach, Array(UInt64)),
    InputTokenBuckets AggregateFunction(sumForEach, Array(UInt64)),
    OutputTokenBuckets AggregateFunction(sumForEach, Array(UInt64)),
    Runs AggregateFunction(uniq, String)
) ENGINE = {{engine:AggregatingMergeTree()}}
ORDER BY (ServiceName, Provider, Model, WorkflowName, IsError);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.genai_call_totals_mv {{on_cluster}}
TO {{database}}.{{local:genai_call_totals}}
AS SELECT
    ServiceName, Provider, Model, WorkflowName, IsError,
    count() AS Calls,
    toUInt64(countIf(Unpriced)) AS UnpricedCalls,
    sum(InTok) AS InputTokens,
    sum(OutTok) AS OutputTokens,
    sum(CacheRead) AS CacheReadTokens,
    sum(CacheWrite) AS CacheWriteTokens,
    sum(Reasoning) AS ReasoningTokens,
    sum(Cost) AS CostUSD,
    sum(Seconds) AS DurationSeconds,
    sumForEachState(DurB) AS DurationBuckets,
    sumForEachState(InB) AS InputTokenBuckets,
    sumForEachState(OutB) AS OutputTokenBuckets,
    uniqState(Trace) AS Runs
FROM
(
    SELECT ServiceName, Provider, RequestModel AS Model, WorkflowName, IsError,
        CostSource = 'unpriced' AS Unpriced, InputTokens AS InTok, OutputTokens AS OutTok,
        CacheReadTokens AS CacheRead, CacheWriteTokens AS CacheWrite, ReasoningTokens AS Reasoning,
        CostUSD AS Cost, DurationNs / 1e9 AS Seconds, TraceId AS Trace,
        arrayMap(b -> toUInt64(DurationNs <= b * 1000000000),
            [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]) AS DurB,
        arrayMap(b -> toUInt64(InputTokens <= b),
            [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]) AS InB,
        arrayMap(b -> toUInt64(OutputTokens <= b),
            [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]) AS OutB
    FROM {{database}}.{{local:genai_calls}}
)
GROUP BY ServiceName, Provider, Model, WorkflowName, IsError;
