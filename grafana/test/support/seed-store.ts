import { chTime, T, type Storage } from '@kaizen/clickhouse';
import { nsTime, spanRow, type OtelTraceRow } from '@kaizen/clickhouse/testing';
import type { SeedData, SeedSpan } from './seed-data.js';

/** A span as the OpenTelemetry Collector Contrib ClickHouse exporter writes it. */
export function toContribRow(s: SeedSpan): OtelTraceRow {
  return spanRow({
    Timestamp: nsTime(s.startMs),
    TraceId: s.traceId,
    SpanId: s.spanId,
    ParentSpanId: s.parentSpanId,
    SpanName: s.name,
    SpanKind: s.kind === 'client' ? 'Client' : 'Internal',
    ServiceName: s.service,
    ResourceAttributes: { 'service.name': s.service, 'service.version': s.version },
    ScopeName: '@kaizen/instrumentation-openai',
    SpanAttributes: Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, String(v)])),
    Duration: String(s.durationMs * 1_000_000),
    StatusCode: s.error ? 'Error' : 'Unset',
    StatusMessage: s.error ? 'overloaded' : '',
  });
}

/** Seeding path 1: contrib-shaped rows straight into otel_traces (the views fill the rest). */
export async function insertSpanRows(storage: Storage, data: SeedData): Promise<void> {
  await storage.insert(T.otelTraces, data.spans.map(toContribRow));
}

/** What the analysis would have written for the seed, and the totals the dashboards must show. */
export const EXPECTED_SAVING = { perMonth: 60, perDay: 2, findings: 10, wastePerRun: 0.01 } as const;

/**
 * Findings and analyses as the analysis writes them (ReplacingMergeTree rows): redundant calls in
 * six sort-mail runs (one of them re-analysed: version 2 replaces version 1), model overkill in
 * three answer-ticket runs, one cross-run prompt-bloat finding, and a withdrawn retry finding.
 */
export async function insertAnalysisResults(storage: Storage, data: SeedData, nowMs: number): Promise<void> {
  const base = {
    AnalysisId: 'an',
    Title: '',
    EvidenceJson: '{}',
    Models: [] as string[],
    WasteCostUSD: 0,
    RunsPerDay: 120,
    Confidence: 0.9,
    DetectedBy: 'local',
    CreatedAt: chTime(nowMs),
    Version: 2,
    IsDeleted: 0,
  };
  const rows: Record<string, unknown>[] = [];
  const runs = data.runs;
  for (const [i, r] of runs.entries()) {
    const common = {
      ...base,
      TraceId: r.traceId,
      ServiceName: r.service,
      WorkflowName: r.workflow,
      RunStart: chTime(r.startMs),
    };
    if (r.service === 'mailer' && i < 12) {
      const f = {
        ...common,
        FindingId: `redundant-${i}`,
        Scope: 'run',
        Kind: 'redundant_call',
        Subkind: 'exact',
        Title: `Calls #1 and #2 of run ${i} ask the same thing`,
        Evidence: 'Identical prompt hash on two calls',
        Recommendation: 'Cache the first answer and reuse it',
        SpanIds: r.callSpanIds.slice(0, 2),
        SavingUSDPerRun: 0.01,
        SavingUSDPerDay: 1.2,
        SavingUSDPerMonth: 36,
      };
      if (i === 0) rows.push({ ...f, Version: 1, SavingUSDPerMonth: 100 });
      rows.push(f);
    }
    if (r.service === 'support' && i < 6) {
      rows.push({
        ...common,
        FindingId: `overkill-${i}`,
        Scope: 'run',
        Kind: 'model_overkill',
        Subkind: '',
        Title: 'A frontier model on a classification',
        Evidence: 'Short yes/no answer from claude-sonnet-4-0',
        Recommendation: 'Use gpt-4.1-mini for this call',
        SpanIds: r.callSpanIds.slice(0, 1),
        SavingUSDPerRun: 0.02,
        SavingUSDPerDay: 0.5,
        SavingUSDPerMonth: 15,
        DetectedBy: 'both',
      });
    }
    if (i === 9) {
      rows.push({
        ...common,
        FindingId: `retry-${i}`,
        Scope: 'run',
        Kind: 'retry_waste',
        Subkind: '',
        Evidence: 'withdrawn on re-analysis',
        Recommendation: '',
        SpanIds: [],
        SavingUSDPerRun: 5,
        SavingUSDPerDay: 500,
        SavingUSDPerMonth: 15000,
        IsDeleted: 1,
        Version: 3,
      });
    }
  }
  const lastSupport = runs.filter((r) => r.service === 'support').at(-1)!;
  rows.push({
    ...base,
    FindingId: 'bloat-cross',
    TraceId: '',
    Scope: 'cross_run',
    ServiceName: 'support',
    WorkflowName: 'answer-ticket',
    RunStart: chTime(lastSupport.startMs),
    Kind: 'prompt_bloat',
    Subkind: 'uncached_prefix',
    Title: 'A 4,000-token static prefix re-sent on every call',
    Evidence: 'Same system prompt hash on every run',
    Recommendation: 'Enable provider prompt caching for the system prompt',
    SpanIds: [],
    SavingUSDPerRun: 0.0025,
    SavingUSDPerDay: 0.3,
    SavingUSDPerMonth: 9,
  });
  await storage.insert(T.wasteFindings, rows);

  const analyses = runs.slice(0, 12).map((r, i) => ({
    AnalysisId: `an-${i}`,
    TraceId: r.traceId,
    ServiceName: r.service,
    WorkflowName: r.workflow,
    Status: 'done',
    Trigger: 'auto',
    StartedAt: chTime(r.startMs + 3_600_000),
    FinishedAt: chTime(r.startMs + 3_600_100),
    DurationMs: 100,
    Calls: 3,
    Version: 1,
  }));
  await storage.insert(T.analyses, analyses);

  await storage.insert(T.modelPriceOverrides, [
    {
      Provider: 'openai',
      Model: 'gpt-4.1-nano',
      IsPattern: 0,
      MatchRegex: '^openai/gpt-4\\.1-nano$',
      InputPerMTok: 0.08,
      OutputPerMTok: 0.3,
      CacheReadPerMTok: 0.02,
      CacheWritePerMTok: 0.08,
      Note: 'negotiated price',
      UpdatedAt: chTime(nowMs),
      IsDeleted: 0,
    },
  ]);
}
