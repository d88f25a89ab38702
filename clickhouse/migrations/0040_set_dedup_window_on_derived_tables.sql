-- Lets the collector replay a spooled batch (same insert deduplication token) without counting it
-- twice below otel_traces and otel_logs: ClickHouse deduplicates the blocks a materialized view
-- writes only in target tables that keep a deduplication window (replicated tables always do; plain
-- MergeTree needs this setting, as 0001 and 0002 set on the span and log tables). The block ids of
-- a view's output derive from its source block, so two different inserts never collide here.
-- Every table a view fills from otel_traces or otel_logs, directly or through another view, needs it:
-- collector/test/dedup-window.test.ts fails for one that does not.

ALTER TABLE {{database}}.{{local:otel_traces_trace_id_ts}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.{{local:genai_calls}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.{{local:genai_log_messages}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.{{local:workflow_runs}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.{{local:genai_call_totals}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
