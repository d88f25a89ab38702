-- Results of the waste analysis. A finding names its calls (span ids), evidence, fix, saving per run
-- and per day/month, confidence, and who found it. Re-analysing a trace writes the same FindingIds
-- (deterministic) with a higher Version and tombstones findings that no longer hold, so readers
-- (FINAL, or argMax by Version) see each finding once.

CREATE TABLE IF NOT EXISTS {{database}}.waste_findings {{on_cluster}} (
    FindingId String,
    AnalysisId String,
    TraceId String,                              -- '' for findings across runs
    Scope LowCardinality(String),                -- 'run' | 'cross_run'
    ServiceName LowCardinality(String),
    WorkflowName LowCardinality(String),
    Kind LowCardinality(String),                 -- redundant_call | model_overkill | prompt_bloat | retry_waste | agent_loop
    Subkind LowCardinality(String),              -- exact | near | semantic | uncached_prefix | history_growth | …
    Title String,
    Evidence String,                             -- what was seen, in words
    EvidenceJson String,                         -- the numbers behind it
    Recommendation String,
    SpanIds Array(String),
    Models Array(LowCardinality(String)),
    WasteCostUSD Float64,                        -- what the wasteful calls cost in this run
    SavingUSDPerRun Float64,
    RunsPerDay Float64,
    SavingUSDPerDay Float64,
    SavingUSDPerMonth Float64,
    Confidence Float32,
    DetectedBy LowCardinality(String),           -- 'local' | 'judge' | 'both'
    RunStart DateTime64(9),
    CreatedAt DateTime64(3),
    Version UInt64,
    IsDeleted UInt8,
    INDEX idx_kind Kind TYPE set(16) GRANULARITY 1,
    INDEX idx_created CreatedAt TYPE minmax GRANULARITY 1
) ENGINE = {{engine_global:ReplacingMergeTree(Version, IsDeleted)}}
PARTITION BY toYYYYMM(RunStart)
ORDER BY (TraceId, FindingId)
{{ttl:toDateTime(RunStart)}};

CREATE TABLE IF NOT EXISTS {{database}}.analyses {{on_cluster}} (
    AnalysisId String,
    TraceId String,
    ServiceName LowCardinality(String),
    WorkflowName LowCardinality(String),
    Status LowCardinality(String),               -- running | done | failed
    Trigger LowCardinality(String),              -- api | auto | cli
    StartedAt DateTime64(3),
    FinishedAt DateTime64(3),
    DurationMs UInt32,
    Calls UInt32,
    Findings UInt32,
    CostUSD Float64,                             -- the run as it is
    CostAfterUSD Float64,                        -- the run with every fix applied
    SavingUSDPerRun Float64,
    SavingUSDPerMonth Float64,
    JudgeStatus LowCardinality(String),          -- used | skipped_no_key | skipped_below_cost | circuit_open | failed | cached
    JudgeModel LowCardinality(String),
    JudgeInputTokens UInt32,
    JudgeOutputTokens UInt32,
    JudgeCostUSD Float64,
    RunLastSeen DateTime64(3),                   -- workflow_runs.LastSeen when analysed: newer spans mean re-analyse
    Error String,
    Version UInt64
) ENGINE = {{engine_global:ReplacingMergeTree(Version)}}
ORDER BY TraceId
{{ttl:toDateTime(StartedAt)}};
