-- The hourly rollups (0020) are filled by views below genai_calls: like the tables of 0040, they keep
-- a deduplication window so that a replayed collector batch is not counted twice in them.

ALTER TABLE {{database}}.{{local:genai_calls_hourly}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE {{database}}.{{local:workflow_runs_hourly}} {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 10000;
