-- Spans, column for column as the OpenTelemetry Collector Contrib ClickHouse exporter creates them
-- (v0.161: names, types, codecs, skip indexes, partitioning, ordering, settings), so the contrib
-- exporter can write here, Grafana's ClickHouse plugin reads it in OTel mode, and a table the
-- exporter already created is adopted as it is (IF NOT EXISTS, then the column check below).
-- kaizen:distributed otel_traces cityHash64(TraceId)
-- kaizen:require-columns otel_traces Timestamp,TraceId,SpanId,ParentSpanId,TraceState,SpanName,SpanKind,ServiceName,ResourceAttributes,ScopeName,ScopeVersion,SpanAttributes,Duration,StatusCode,StatusMessage,Events.Timestamp,Events.Name,Events.Attributes,Links.TraceId,Links.SpanId,Links.TraceState,Links.Attributes

CREATE TABLE IF NOT EXISTS {{database}}.{{local:otel_traces}} {{on_cluster}} (
    Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
) ENGINE = {{engine:MergeTree()}}
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
{{ttl:toDateTime(Timestamp)}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- Tables created by very old exporter versions lack the scope columns; add them so the view works.
ALTER TABLE {{database}}.{{local:otel_traces}} {{on_cluster}} ADD COLUMN IF NOT EXISTS ScopeName String CODEC(ZSTD(1)) AFTER ResourceAttributes;
ALTER TABLE {{database}}.{{local:otel_traces}} {{on_cluster}} ADD COLUMN IF NOT EXISTS ScopeVersion String CODEC(ZSTD(1)) AFTER ScopeName;

-- Lets the collector replay a spooled batch with its insert deduplication token without
-- duplicating rows (replicated tables deduplicate by default; plain MergeTree needs a window).
ALTER TABLE {{database}}.{{local:otel_traces}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS {{database}}.{{local:otel_traces_trace_id_ts}} {{on_cluster}} (
    TraceId String CODEC(ZSTD(1)),
    Start DateTime CODEC(Delta, ZSTD(1)),
    End DateTime CODEC(Delta, ZSTD(1)),
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
) ENGINE = {{engine:MergeTree()}}
PARTITION BY toDate(Start)
ORDER BY (TraceId, Start)
{{ttl:Start}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.otel_traces_trace_id_ts_mv {{on_cluster}}
TO {{database}}.{{local:otel_traces_trace_id_ts}}
AS SELECT
    TraceId,
    min(Timestamp) AS Start,
    max(Timestamp) AS End
FROM {{database}}.{{local:otel_traces}}
WHERE TraceId != ''
GROUP BY TraceId;
