-- A span that ends before it starts arrives with its Duration wrapped around (the uint64 of a negative
-- number, as the contrib exporter writes it). workflow_runs_spans_mv added it to the start and threw
-- "Numeric overflow", which failed the whole insert (or, with materialized_views_ignore_errors, lost
-- the block's runs). Its replacement clamps the duration as genai_calls does (0031): 0 for a wrapped
-- value, a year at most. The new view is created before the old one is dropped.

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.workflow_runs_spans_mv_v2 {{on_cluster}}
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
    max(addNanoseconds(Timestamp, if(Duration >= 9223372036854775808, toUInt64(0), least(Duration, toUInt64(31536000000000000))))) AS End,
    now64(3) AS LastSeen
FROM {{database}}.{{local:otel_traces}}
WHERE TraceId != ''
  AND (ParentSpanId = '' OR SpanAttributes['gen_ai.operation.name'] = 'invoke_workflow'
       OR SpanAttributes['kaizen.workflow.name'] != '' OR SpanAttributes['traceloop.span.kind'] = 'workflow')
GROUP BY TraceId;

DROP VIEW IF EXISTS {{database}}.workflow_runs_spans_mv {{on_cluster}};
