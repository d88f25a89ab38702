/**
 * A synthetic store for benchmarks: model-call spans inserted with INSERT … SELECT FROM numbers()
 * into otel_traces, so genai_calls, workflow_runs and the rollups fill through their materialized
 * views exactly as in production; findings and analyses go straight into their tables, as the
 * analysis writes them. Runs are spread evenly over the last `days`, `callsPerRun` calls each.
 */
import { UNSAFE_rawSql, type Storage } from '@kaizen/clickhouse';

export interface SyntheticShape {
  readonly calls: number;
  readonly callsPerRun: number;
  readonly days: number;
}

const MODELS = [
  'gpt-4.1',
  'gpt-4.1-mini',
  'claude-sonnet-4-0',
  'claude-3-5-haiku-latest',
  'gemini-2.5-flash',
  'gemini-2.5-pro',
];
const PROVIDERS = ['openai', 'openai', 'anthropic', 'anthropic', 'gcp.gemini', 'gcp.gemini'];
const arr = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(',')}]`;

function expressions(s: SyntheticShape) {
  const runs = s.calls / s.callsPerRun;
  const run = `intDiv(number, ${s.callsPerRun})`;
  return {
    run,
    runStart: `toDateTime64(now64(3) - toIntervalMillisecond(toUInt64(${run}) * ${Math.floor((s.days * 86_400_000) / runs)} + 60000), 9)`,
    service: `['mailer','search','support','billing','agent'][${run} % 5 + 1]`,
    version: `['1.0.0','1.1.0','1.2.0'][toUInt8(${run} * 3 / ${runs}) % 3 + 1]`,
    workflow: `concat('wf-', toString(${run} % 40))`,
    trace: `lower(concat(hex(cityHash64(${run}, 'trace')), hex(cityHash64(${run}, 'trace2'))))`,
  };
}

function callSpans(s: SyntheticShape, from: number, count: number): string {
  const e = expressions(s);
  return `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName,
    ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode)
  SELECT ${e.runStart} + toIntervalMillisecond((number % ${s.callsPerRun}) * 1500) AS Timestamp, ${e.trace},
    lower(hex(cityHash64(number, 'span'))), lower(hex(cityHash64(${e.run}, 'root'))),
    concat('chat ', ${arr(MODELS)}[number % 6 + 1]), 'Client', ${e.service},
    map('service.name', ${e.service}, 'service.version', ${e.version}), '@kaizen/instrumentation-openai', '0.1.0',
    map('gen_ai.operation.name', 'chat', 'gen_ai.provider.name', ${arr(PROVIDERS)}[number % 6 + 1],
        'gen_ai.request.model', ${arr(MODELS)}[number % 6 + 1], 'gen_ai.response.model', ${arr(MODELS)}[number % 6 + 1],
        'gen_ai.usage.input_tokens', toString(500 + number % 2000), 'gen_ai.usage.output_tokens', toString(50 + number % 500),
        'gen_ai.usage.cache_read.input_tokens', toString((number % 2000) * (number % 4 = 0)),
        'kaizen.workflow.name', ${e.workflow}, 'kaizen.agent.name', concat('agent-', toString(number % 3)),
        'kaizen.prompt.hash', toString(cityHash64(number % 100000))),
    200000000 + (number % 1000) * 3000000, if(number % 50 = 0, 'Error', 'Unset')
  FROM numbers(${from}, ${count})`;
}

function rootSpans(s: SyntheticShape, from: number, count: number): string {
  const e = expressions(s);
  return `INSERT INTO otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName,
    ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode)
  SELECT ${e.runStart}, ${e.trace}, lower(hex(cityHash64(${e.run}, 'root'))), '', concat('invoke_workflow ', ${e.workflow}),
    'Internal', ${e.service}, map('service.name', ${e.service}, 'service.version', ${e.version}), '@kaizen/instrumentation',
    '0.1.0', map('gen_ai.operation.name', 'invoke_workflow', 'kaizen.workflow.name', ${e.workflow}), 31000000000, 'Unset'
  FROM numbers(${from}, ${count}) WHERE number % ${s.callsPerRun} = 0`;
}

/** Every 10th run analysed, with one finding. */
function findingsAndAnalyses(s: SyntheticShape): string[] {
  const e = expressions(s);
  const step = s.callsPerRun * 10;
  return [
    `INSERT INTO waste_findings (FindingId, AnalysisId, TraceId, Scope, ServiceName, WorkflowName, Kind, Subkind,
      Title, Evidence, Recommendation, SpanIds, Models, SavingUSDPerRun, RunsPerDay, SavingUSDPerDay, SavingUSDPerMonth,
      Confidence, DetectedBy, RunStart, CreatedAt, Version, IsDeleted)
    SELECT concat('f', toString(number)), concat('a', toString(number)), ${e.trace}, 'run', ${e.service}, ${e.workflow},
      ['redundant_call','model_overkill','prompt_bloat','retry_waste','agent_loop'][${e.run} % 5 + 1],
      ['exact','','uncached_prefix','',''][${e.run} % 5 + 1], 'Calls #1 and #2 ask the same thing',
      'Identical prompt hash', 'Cache the first answer', [lower(hex(cityHash64(number, 'span')))], ['gpt-4.1'],
      0.01, 70, 0.7, 21, 0.9, 'local', ${e.runStart}, ${e.runStart}, 1, 0
    FROM numbers(0, ${s.calls}, ${step})`,
    `INSERT INTO analyses (AnalysisId, TraceId, ServiceName, WorkflowName, Status, Trigger, StartedAt, FinishedAt, Calls,
      Findings, RunLastSeen, Version)
    SELECT concat('a', toString(number)), ${e.trace}, ${e.service}, ${e.workflow}, 'done', 'auto', ${e.runStart},
      ${e.runStart}, ${s.callsPerRun}, 1, now64(3), 1
    FROM numbers(0, ${s.calls}, ${step})`,
  ];
}

async function count(storage: Storage, table: string): Promise<number> {
  const [r] = await storage.query<{ n: string }>(
    UNSAFE_rawSql(`SELECT count() AS n FROM ${storage.database}.${table}`),
  );
  return Number(r!.n);
}

/**
 * Seeds `s.calls` model calls unless the store already holds exactly that many (a kept benchmark
 * store); refuses a store holding something else. Returns the seconds spent seeding (0 if kept).
 */
export async function seedSyntheticStore(
  storage: Storage,
  s: SyntheticShape,
  progress: (line: string) => void = () => undefined,
): Promise<number> {
  await storage.command(UNSAFE_rawSql(`USE ${storage.database}`));
  const have = await count(storage, 'genai_calls');
  if (have === s.calls) return 0;
  if (have !== 0) throw new Error(`the store holds ${have} calls, not ${s.calls}: use another directory`);
  const started = performance.now();
  const chunk = 1_000_000;
  for (let from = 0; from < s.calls; from += chunk) {
    const n = Math.min(chunk, s.calls - from);
    await storage.command(UNSAFE_rawSql(callSpans(s, from, n)), { tag: 'bench-seed' });
    await storage.command(UNSAFE_rawSql(rootSpans(s, from, n)), { tag: 'bench-seed' });
    progress(
      `  seeded ${(from + n).toLocaleString('en')} calls (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
  for (const q of findingsAndAnalyses(s)) await storage.command(UNSAFE_rawSql(q), { tag: 'bench-seed' });
  return (performance.now() - started) / 1000;
}

/** Waits for background merges to finish, so timings are not of a store in mid-merge. */
export async function settle(storage: Storage, maxMs = 180_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const [r] = await storage.query<{ n: string }>(UNSAFE_rawSql('SELECT count() AS n FROM system.merges'));
    if (Number(r!.n) === 0) return;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** p50/p95/max of timings in ms. */
export function percentiles(times: number[]): { p50Ms: number; p95Ms: number; maxMs: number } {
  const t = [...times].sort((a, b) => a - b);
  const pct = (p: number) => t[Math.min(t.length - 1, Math.ceil((p / 100) * t.length) - 1)]!;
  return { p50Ms: pct(50), p95Ms: pct(95), maxMs: t[t.length - 1]! };
}
