-- GenAI content that arrives as log records instead of span attributes: the per-message events of
-- semantic conventions 1.28-1.36 (gen_ai.{system,user,assistant,tool}.message, gen_ai.choice) and the
-- gen_ai.client.inference.operation.details event of 1.37+. One row per event, in semconv message
-- JSON; readers join it to genai_calls on (TraceId, SpanId) and concatenate in Timestamp order.
-- kaizen:distributed genai_log_messages cityHash64(TraceId)

CREATE TABLE IF NOT EXISTS {{database}}.{{local:genai_log_messages}} {{on_cluster}} (
    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    EventName LowCardinality(String) CODEC(ZSTD(1)),
    InputMessages String CODEC(ZSTD(3)),
    OutputMessages String CODEC(ZSTD(3)),
    SystemInstructions String CODEC(ZSTD(3)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = {{engine:MergeTree()}}
PARTITION BY toDate(Timestamp)
ORDER BY (TraceId, SpanId, Timestamp)
{{ttl:toDateTime(Timestamp)}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.genai_log_messages_mv {{on_cluster}}
TO {{database}}.{{local:genai_log_messages}}
AS SELECT
    Timestamp, TraceId, SpanId, ServiceName, Ev AS EventName,
    multiIf(
        Ev IN ('gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message'),
            kaizen_v1_text_messages(replaceRegexpOne(Ev, '^gen_ai\\.(\\w+)\\.message$', '\\1'),
                if(isValidJSON(Body) AND JSONType(Body) = 'Object', kaizen_v1_json_text(Body, 'content'), Body)),
        Ev = 'gen_ai.client.inference.operation.details',
            coalesce(nullIf(LogAttributes['gen_ai.input.messages'], ''), if(isValidJSON(Body), JSONExtractRaw(Body, 'gen_ai.input.messages'), '')),
        '') AS InputMessages,
    multiIf(
        Ev = 'gen_ai.choice', kaizen_v1_text_messages('assistant',
            if(isValidJSON(Body) AND JSONType(Body) = 'Object', kaizen_v1_json_text(JSONExtractRaw(Body, 'message'), 'content'), Body)),
        Ev = 'gen_ai.client.inference.operation.details',
            coalesce(nullIf(LogAttributes['gen_ai.output.messages'], ''), if(isValidJSON(Body), JSONExtractRaw(Body, 'gen_ai.output.messages'), '')),
        '') AS OutputMessages,
    if(Ev = 'gen_ai.client.inference.operation.details',
        coalesce(nullIf(LogAttributes['gen_ai.system_instructions'], ''), if(isValidJSON(Body), JSONExtractRaw(Body, 'gen_ai.system_instructions'), '')),
        '') AS SystemInstructions
FROM
(
    SELECT Timestamp, TraceId, SpanId, ServiceName, Body, LogAttributes,
        coalesce(nullIf(EventName, ''), LogAttributes['event.name']) AS Ev
    FROM {{database}}.{{local:otel_logs}}
    WHERE TraceId != ''
      AND coalesce(nullIf(EventName, ''), LogAttributes['event.name']) IN ('gen_ai.system.message', 'gen_ai.user.message',
          'gen_ai.assistant.message', 'gen_ai.tool.message', 'gen_ai.choice', 'gen_ai.client.inference.operation.details')
);
