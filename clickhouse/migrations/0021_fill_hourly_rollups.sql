-- Fills the hourly rollups: first the calls already stored (each only while its rollup is still
-- empty, so a re-run never counts them twice), then materialized views for every call from now on.
-- The statements run back to back, before `kaizen up` accepts spans.

INSERT INTO {{database}}.genai_calls_hourly
SELECT
    toStartOfHour(Timestamp) AS Hour,
    ServiceName, ServiceVersion, WorkflowName, Provider,
    if(RequestModel != '', RequestModel, ResponseModel) AS Model,
    PriceModel,
    count() AS Calls,
    toUInt64(sum(IsError)) AS Errors,
    toUInt64(countIf(CostSource = 'unpriced')) AS UnpricedCalls,
    sum(InputTokens) AS InputTokens,
    sum(OutputTokens) AS OutputTokens,
    sum(CacheReadTokens) AS CacheReadTokens,
    sum(CacheWriteTokens) AS CacheWriteTokens,
    sum(ReasoningTokens) AS ReasoningTokens,
    sum(CostUSD) AS CostUSD,
    sum(DurationNs) AS DurationNs,
    sumMap([kaizen_v1_duration_bucket(c.DurationNs)], [toUInt64(1)]) AS DurationHist
FROM {{database}}.genai_calls AS c
WHERE (SELECT count() FROM {{database}}.genai_calls_hourly) = 0
GROUP BY Hour, ServiceName, ServiceVersion, WorkflowName, Provider, Model, PriceModel;

INSERT INTO {{database}}.workflow_runs_hourly
SELECT
    toStartOfHour(Timestamp) AS Hour,
    ServiceName, ServiceVersion, WorkflowName,
    uniqCombinedState(14)(TraceId) AS Runs,
    count() AS Calls,
    toUInt64(sum(IsError)) AS Errors,
    sum(InputTokens) AS InputTokens,
    sum(OutputTokens) AS OutputTokens,
    sum(CacheReadTokens) AS CacheReadTokens,
    sum(CostUSD) AS CostUSD,
    sumMap([kaizen_v1_duration_bucket(c.DurationNs)], [toUInt64(1)]) AS DurationHist
FROM {{database}}.genai_calls AS c
WHERE TraceId != '' AND (SELECT count() FROM {{database}}.workflow_runs_hourly) = 0
GROUP BY Hour, ServiceName, ServiceVersion, WorkflowName;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.genai_calls_hourly_mv {{on_cluster}}
TO {{database}}.{{local:genai_calls_hourly}}
AS SELECT
    toStartOfHour(Timestamp) AS Hour,
    ServiceName, ServiceVersion, WorkflowName, Provider,
    if(RequestModel != '', RequestModel, ResponseModel) AS Model,
    PriceModel,
    count() AS Calls,
    toUInt64(sum(IsError)) AS Errors,
    toUInt64(countIf(CostSource = 'unpriced')) AS UnpricedCalls,
    sum(InputTokens) AS InputTokens,
    sum(OutputTokens) AS OutputTokens,
    sum(CacheReadTokens) AS CacheReadTokens,
    sum(CacheWriteTokens) AS CacheWriteTokens,
    sum(ReasoningTokens) AS ReasoningTokens,
    sum(CostUSD) AS CostUSD,
    sum(DurationNs) AS DurationNs,
    sumMap([kaizen_v1_duration_bucket(c.DurationNs)], [toUInt64(1)]) AS DurationHist
FROM {{database}}.{{local:genai_calls}} AS c
GROUP BY Hour, ServiceName, ServiceVersion, WorkflowName, Provider, Model, PriceModel;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.workflow_runs_hourly_mv {{on_cluster}}
TO {{database}}.{{local:workflow_runs_hourly}}
AS SELECT
    toStartOfHour(Timestamp) AS Hour,
    ServiceName, ServiceVersion, WorkflowName,
    uniqCombinedState(14)(TraceId) AS Runs,
    count() AS Calls,
    toUInt64(sum(IsError)) AS Errors,
    sum(InputTokens) AS InputTokens,
    sum(OutputTokens) AS OutputTokens,
    sum(CacheReadTokens) AS CacheReadTokens,
    sum(CostUSD) AS CostUSD,
    sumMap([kaizen_v1_duration_bucket(c.DurationNs)], [toUInt64(1)]) AS DurationHist
FROM {{database}}.{{local:genai_calls}} AS c
WHERE TraceId != ''
GROUP BY Hour, ServiceName, ServiceVersion, WorkflowName;
