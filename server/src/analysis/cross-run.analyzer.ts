import type { AnalysisOptions } from './analysis.options.js';
import type { CrossRunGroupRow, WindowRunsRow } from './analysis.repository.js';
import type { Finding } from './analysis.types.js';
import { round, usd } from './findings/format.js';
import { DAYS_PER_MONTH, findingId } from './findings/savings.js';
import { parseChTime } from './run-data.builder.js';

/**
 * Cross-run cacheability: the same request (same PromptHash: model, parameters, messages) sent in
 * two runs or more of a window and answered identically every time — a response cache would have
 * served every call after the first. Sampling calls (explicit high temperature) and requests whose
 * answers differ are left out. Savings are the repeats' cost over the window, per day and per run.
 */

const DAY_MS = 86_400_000;

export function crossRunFindings(
  groups: readonly CrossRunGroupRow[],
  runs: readonly WindowRunsRow[],
  range: { from: Date; to: Date },
  options: AnalysisOptions,
): Finding[] {
  const days = Math.max((range.to.getTime() - range.from.getTime()) / DAY_MS, 1 / 24);
  const runsOf = new Map(runs.map((r) => [`${r.ServiceName}\x1f${r.WorkflowName}`, Number(r.Runs)]));
  const findings: Finding[] = [];
  for (const g of groups) {
    if (g.MaxTemperature !== null && g.MaxTemperature > options.samplingTemperature) continue;
    if (Number(g.Answers) !== 1) continue;
    const calls = Number(g.Calls);
    const hits = calls - 1;
    if (hits < 1 || g.CostUSD <= 0) continue;
    const saved = (g.CostUSD / calls) * hits;
    const workflowRuns = Math.max(runsOf.get(`${g.ServiceName}\x1f${g.WorkflowName}`) ?? Number(g.Runs), 1);
    const perDay = saved / days;
    const firstMs = parseChTime(g.FirstSeen);
    const lastMs = parseChTime(g.LastSeen);
    const spanHours = Math.max((lastMs - firstMs) / 3_600_000, 0);
    const key = `cross_run:redundant_call:exact:${g.ServiceName}:${g.WorkflowName}:${g.PromptHash}`;
    const model = g.RequestModel;
    findings.push({
      findingId: findingId('', key),
      traceId: '',
      scope: 'cross_run',
      serviceName: g.ServiceName,
      workflowName: g.WorkflowName,
      kind: 'redundant_call',
      subkind: 'exact',
      title: `The same ${model} request was answered identically ${calls} times across ${g.Runs} runs`,
      evidence:
        `Across ${g.Runs} runs of ${g.WorkflowName || 'this workflow'} in the window, ${calls} identical requests to ${model} ` +
        `(same model, parameters and messages) got the same answer every time; a response cache would have served ` +
        `${hits} of them (${usd(saved)} over ${days.toFixed(1)} days).`,
      evidenceData: {
        promptHash: g.PromptHash,
        calls,
        runs: Number(g.Runs),
        cacheHits: hits,
        savedInWindowUSD: round(saved),
        windowDays: round(days, 3),
        firstSeen: g.FirstSeen,
        lastSeen: g.LastSeen,
        spreadHours: round(spanHours, 2),
        traceIds: [...new Set(g.TraceIds)],
        samplePrompt: g.SamplePrompt,
      },
      recommendation:
        `Cache this response keyed by the request (model, parameters, messages) with a TTL of at least ` +
        `${Math.max(1, Math.ceil(spanHours))} h: about ${hits} cache hits and ${usd(perDay)} per day.`,
      spanIds: g.SpanIds,
      models: model !== '' ? [model] : [],
      wasteCostUSD: round(saved),
      standaloneSavingUSDPerRun: round(saved / workflowRuns),
      savingUSDPerRun: round(saved / workflowRuns),
      runsPerDay: round(workflowRuns / days, 4),
      savingUSDPerDay: round(perDay),
      savingUSDPerMonth: round(perDay * DAYS_PER_MONTH),
      confidence: 0.9,
      detectedBy: 'local',
    });
  }
  return findings.sort((a, b) => b.savingUSDPerDay - a.savingUSDPerDay);
}
