-- One row per trace (a workflow run), rolled up as spans arrive: calls, tokens, cost and errors from
-- genai_calls; the workflow's name, service and release from the workflow or root span. Rows of one
-- trace merge in the background; readers aggregate again (GROUP BY TraceId) and keep runs with calls.
-- The name prefers an explicit workflow name (kaizen.workflow.name, gen_ai.workflow.name,
-- traceloop.workflow.name, ai.telemetry.functionId) over the root span's name.
-- kaizen:distributed workflow_runs cityHash64(TraceId)

CREATE TABLE IF NOT EXISTS {{database}}.{{local:workflow_runs}} {{on_cluster}} (
    TraceId String CODEC(ZSTD(1)),
    WorkflowName SimpleAggregateFunction(max, String),
    RootSpanName SimpleAggregateFunction(max, String),
    ServiceName SimpleAggregateFunction(max, String),
    ServiceVersion SimpleAggregateFunction(max, String),
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    UnpricedCalls SimpleAggregateFunction(sum, UInt64),
    InputTokens SimpleAggregateFunction(sum, UInt64),
    OutputTokens SimpleAggregateFunction(sum, UInt64),
    CacheReadTokens SimpleAggregateFunction(sum, UInt64),
    CacheWriteTokens SimpleAggregateFunction(sum, UInt64),
    ReasoningTokens SimpleAggregateFunction(sum, UInt64),
    CostUSD SimpleAggregateFunction(sum, Float64),
    Start SimpleAggregateFunction(min, DateTime64(9)),
    End SimpleAggregateFunction(max, DateTime64(9)),
    LastSeen SimpleAggregateFunction(max, DateTime64(3)),
    INDEX idx_start Start TYPE minmax GRANULARITY 1
) ENGINE = {{engine:AggregatingMergeTree()}}
PARTITION BY toDate(Start)
ORDER BY TraceId
{{ttl:toDateTime(Start)}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.workflow_runs_calls_mv {{on_cluster}}
TO {{database}}.{{local:workflow_runs}}
AS SELECT
    TraceId,
    max(toString(WorkflowName)) AS WorkflowName,
    '' AS RootSpanName,
    max(toString(ServiceName)) AS ServiceName,
    max(toString(ServiceVersion)) AS ServiceVersion,
    count() AS Calls,
    toUInt64(sum(IsError)) AS Errors,
    toUInt64(countIf(CostSource = 'unpriced')) AS UnpricedCalls,
    sum(InputTokens) AS InputTokens,
    sum(OutputTokens) AS OutputTokens,
    sum(CacheReadTokens) AS CacheReadTokens,
    sum(CacheWriteTokens) AS CacheWriteTokens,
    sum(ReasoningTokens) AS ReasoningTokens,
    sum(CostUSD) AS CostUSD,
    min(Timestamp) AS Start,
    max(addNanoseconds(Timestamp, DurationNs)) AS End,
    now64(3) AS LastSeen
FROM {{database}}.{{local:genai_calls}}
WHERE TraceId != ''
GROUP BY TraceId;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.workflow_runs_spans_mv {{on_cluster}}
TO {{database}}.{{local:workflow_runs}}
AS SELECT
    TraceId,
    max(coalesce(nullIf(SpanAttributes['kaizen.workflow.name'], ''), nullIf(SpanAttributes['gen_ai.workflow.name'], ''),
        nullIf(SpanAttributes['traceloop.workflow.name'], ''), SpanAttributes['ai.telemetry.functionId'])) AS WorkflowName,
    max(if(ParentSpanId = '', toString(SpanName), '')) AS RootSpanName,
    max(toString(ServiceName)) AS ServiceName,
    max(ResourceAttributes['service.version']) AS ServiceVersion,
    toUInt64(0) AS Calls, toUInt64(0) AS Errors, toUInt64(0) AS UnpricedCalls,
    toUInt64(0) AS InputTokens, toUInt64(0) AS OutputTokens, toUInt64(0) AS CacheReadTokens,
    toUInt64(0) AS CacheWriteTokens, toUInt64(0) AS ReasoningTokens, toFloat64(0) AS CostUSD,
    min(Timestamp) AS Start,
    max(addNanoseconds(Timestamp, Duration)) AS End,
    now64(3) AS LastSeen
FROM {{database}}.{{local:otel_traces}}
WHERE TraceId != ''
  AND (ParentSpanId = '' OR SpanAttributes['gen_ai.operation.name'] = 'invoke_workflow'
       OR SpanAttributes['kaizen.workflow.name'] != '' OR SpanAttributes['traceloop.span.kind'] = 'workflow')
GROUP BY TraceId;
