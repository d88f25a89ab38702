import { T, type Storage } from '@kaizen/clickhouse';
import { hexId, messages, nsTime, spanRow, type OtelTraceRow } from '@kaizen/clickhouse/testing';

export interface SeedCall {
  readonly model?: string;
  readonly provider?: string;
  readonly input?: number;
  readonly output?: number;
  readonly cacheRead?: number;
  readonly prompt?: string;
  readonly system?: string;
  readonly answer?: string;
  readonly error?: boolean;
  readonly durationMs?: number;
  readonly temperature?: number;
}

export interface SeedRun {
  readonly workflow: string;
  readonly service?: string;
  readonly version?: string;
  readonly startMs: number;
  readonly calls: readonly SeedCall[];
}

/** One workflow run as our instrumentation would send it: a workflow root span and its model calls. */
export function runSpans(run: SeedRun, traceId = hexId(16)): OtelTraceRow[] {
  const service = run.service ?? 'mailer';
  const resource = { 'service.name': service, 'service.version': run.version ?? '1.0.0' };
  const root = hexId(8);
  let t = run.startMs;
  const calls = run.calls.map((c) => {
    const start = t;
    const dur = c.durationMs ?? 800;
    t += dur + 10;
    const model = c.model ?? 'gpt-4o-mini';
    return spanRow({
      TraceId: traceId,
      ParentSpanId: root,
      Timestamp: nsTime(start),
      Duration: String(dur * 1_000_000),
      SpanName: `chat ${model}`,
      ServiceName: service,
      ResourceAttributes: resource,
      StatusCode: c.error ? 'Error' : 'Unset',
      SpanAttributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': c.provider ?? 'openai',
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': String(c.input ?? 1000),
        'gen_ai.usage.output_tokens': String(c.output ?? 100),
        ...(c.cacheRead ? { 'gen_ai.usage.cache_read.input_tokens': String(c.cacheRead) } : {}),
        ...(c.error ? { 'error.type': 'RateLimitError' } : {}),
        ...(c.temperature !== undefined ? { 'gen_ai.request.temperature': String(c.temperature) } : {}),
        'gen_ai.input.messages': messages(...(c.system ? [['system', c.system] as [string, string]] : []), [
          'user',
          c.prompt ?? 'Hello',
        ]),
        'gen_ai.output.messages': messages(['assistant', c.answer ?? 'Hi']),
        'kaizen.workflow.name': run.workflow,
      },
    });
  });
  const rootSpan = spanRow({
    TraceId: traceId,
    SpanId: root,
    Timestamp: nsTime(run.startMs),
    Duration: String((t - run.startMs) * 1_000_000),
    SpanName: `invoke_workflow ${run.workflow}`,
    SpanKind: 'Internal',
    ServiceName: service,
    ResourceAttributes: resource,
    SpanAttributes: { 'gen_ai.operation.name': 'invoke_workflow', 'kaizen.workflow.name': run.workflow },
  });
  return [rootSpan, ...calls];
}

/** Inserts runs straight into otel_traces (the genai_calls and workflow_runs views do the rest). */
export async function seedRuns(storage: Storage, runs: readonly SeedRun[]): Promise<string[]> {
  const ids = runs.map(() => hexId(16));
  const rows = runs.flatMap((r, i) => runSpans(r, ids[i]));
  await storage.insert(T.otelTraces, rows);
  return ids;
}

export interface SeedFinding {
  readonly traceId: string;
  readonly kind: string;
  readonly subkind?: string;
  readonly workflow?: string;
  readonly service?: string;
  readonly savingPerRun: number;
  readonly savingPerDay?: number;
  readonly spanIds?: readonly string[];
  readonly createdMs?: number;
  readonly scope?: 'run' | 'cross_run';
  /** The workflow's runs per day as the analysis estimated it (default 10). */
  readonly runsPerDay?: number;
}

/** Findings and a done analysis per trace, as the analysis engine stores them. */
export async function seedFindings(storage: Storage, findings: readonly SeedFinding[]): Promise<void> {
  const at = (ms: number) => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
  await storage.insert(
    T.wasteFindings,
    findings.map((f, i) => ({
      FindingId: `f${i}-${f.traceId.slice(0, 8)}`,
      AnalysisId: `a-${f.traceId}`,
      TraceId: f.scope === 'cross_run' ? '' : f.traceId,
      Scope: f.scope ?? 'run',
      ServiceName: f.service ?? 'mailer',
      WorkflowName: f.workflow ?? 'triage',
      Kind: f.kind,
      Subkind: f.subkind ?? '',
      Title: `${f.kind} finding`,
      Evidence: 'Calls A and B ask the same thing.',
      EvidenceJson: JSON.stringify({ calls: f.spanIds ?? [] }),
      Recommendation: 'Cache the first answer.',
      SpanIds: f.spanIds ?? [],
      Models: ['gpt-4o-mini'],
      WasteCostUSD: f.savingPerRun,
      SavingUSDPerRun: f.savingPerRun,
      RunsPerDay: f.runsPerDay ?? 10,
      SavingUSDPerDay: f.savingPerDay ?? f.savingPerRun * (f.runsPerDay ?? 10),
      SavingUSDPerMonth: (f.savingPerDay ?? f.savingPerRun * (f.runsPerDay ?? 10)) * 30,
      Confidence: 0.9,
      DetectedBy: 'local',
      RunStart: at(f.createdMs ?? Date.now()),
      CreatedAt: at(f.createdMs ?? Date.now()),
      Version: 1,
      IsDeleted: 0,
    })),
  );
  const traces = [...new Set(findings.filter((f) => f.scope !== 'cross_run').map((f) => f.traceId))];
  await storage.insert(
    T.analyses,
    traces.map((traceId) => {
      const f = findings.find((x) => x.traceId === traceId)!;
      return {
        AnalysisId: `a-${traceId}`,
        TraceId: traceId,
        ServiceName: f.service ?? 'mailer',
        WorkflowName: f.workflow ?? 'triage',
        Status: 'done',
        Trigger: 'api',
        StartedAt: at(Date.now()),
        FinishedAt: at(Date.now()),
        RunLastSeen: at(Date.now()),
        Version: 1,
      };
    }),
  );
}
