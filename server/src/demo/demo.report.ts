import { FINDING_KINDS } from '@kaizen/clickhouse';
import pc from 'picocolors';
import { usd } from '../analysis/findings/format.js';
import type { SummaryService } from '../summary/summary.service.js';
import type { CrewResult } from './crew-process.js';
import type { DemoFindingRow, DemoRepository } from './demo.repository.js';

/**
 * The demo's waste report. Every figure is read back from the store: savings are sums of the stored
 * findings (waste_findings), per-month figures are what GET /api/summary reports for the same
 * window, costs before and after the fixes come from the stored analyses.
 */

export interface KindTotals {
  readonly kind: string;
  readonly findings: number;
  /** Runs with at least one finding of this kind. */
  readonly runs: number;
  /** Sum of the findings' SavingUSDPerRun over the demo's runs. */
  readonly savingUSD: number;
  /** savingUSD over every run of the demo. */
  readonly perRunUSD: number;
  /** As /api/summary reports it for the window (redundant_call includes the cross-run findings). */
  readonly perMonthUSD: number;
}

export interface WorkflowCost {
  readonly workflow: string;
  readonly runs: number;
  readonly beforeUSD: number;
  readonly afterUSD: number;
}

export interface DemoReport {
  readonly runs: number;
  readonly failedRuns: number;
  readonly crewMs: number;
  readonly retries: number;
  readonly calls: number;
  readonly costUSD: number;
  readonly providers: readonly string[];
  readonly kinds: readonly KindTotals[];
  readonly total: Omit<KindTotals, 'kind'>;
  readonly crossRun: { readonly findings: number; readonly savedUSD: number; readonly perMonthUSD: number };
  /** The biggest finding of each kind. */
  readonly top: readonly DemoFindingRow[];
  readonly workflows: readonly WorkflowCost[];
}

export async function buildDemoReport(
  repo: DemoRepository,
  summaries: SummaryService,
  input: { crew: CrewResult; service: string; since: Date; now?: Date },
): Promise<DemoReport> {
  const traceIds = input.crew.runs.map((r) => r.traceId);
  const now = input.now ?? new Date();
  const [findings, cross, costs, calls, summary] = await Promise.all([
    repo.runFindings(traceIds),
    repo.crossRunFindings(input.service, input.since),
    repo.workflowCosts(traceIds),
    repo.callTotals(traceIds, input.since),
    summaries.summary({ from: input.since, to: now }, input.service, 5),
  ]);
  const runs = traceIds.length;
  const perMonth = new Map(summary.waste.byKind.map((k) => [k.kind, k.savingUsdPerMonth]));
  const kinds = FINDING_KINDS.map((kind) => {
    const of = findings.filter((f) => f.Kind === kind);
    const saving = of.reduce((s, f) => s + f.SavingUSDPerRun, 0);
    return {
      kind,
      findings: of.length,
      runs: new Set(of.map((f) => f.TraceId)).size,
      savingUSD: saving,
      perRunUSD: runs > 0 ? saving / runs : 0,
      perMonthUSD: perMonth.get(kind) ?? 0,
    };
  });
  const saving = findings.reduce((s, f) => s + f.SavingUSDPerRun, 0);
  const top = FINDING_KINDS.flatMap((kind) => findings.find((f) => f.Kind === kind) ?? []).sort(
    (a, b) => b.SavingUSDPerRun - a.SavingUSDPerRun,
  );
  return {
    runs,
    failedRuns: input.crew.failedRuns,
    crewMs: input.crew.durationMs,
    retries: input.crew.retries,
    calls: Number(calls.calls),
    costUSD: calls.costUSD,
    providers: calls.providers,
    kinds,
    total: {
      findings: findings.length,
      runs: new Set(findings.map((f) => f.TraceId)).size,
      savingUSD: saving,
      perRunUSD: runs > 0 ? saving / runs : 0,
      perMonthUSD: summary.waste.savingUsdPerMonth,
    },
    crossRun: {
      findings: cross.length,
      savedUSD: cross.reduce((s, f) => s + f.WasteCostUSD, 0),
      perMonthUSD: cross.reduce((s, f) => s + f.SavingUSDPerMonth, 0),
    },
    top,
    workflows: costs.map((c) => ({
      workflow: c.workflow,
      runs: Number(c.runs),
      beforeUSD: Number(c.runs) > 0 ? c.costUSD / Number(c.runs) : 0,
      afterUSD: Number(c.runs) > 0 ? c.costAfterUSD / Number(c.runs) : 0,
    })),
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const cell = (s: string, w: number) => s.padStart(w);

function kindRow(label: string, k: Omit<KindTotals, 'kind'>): string {
  return (
    `  ${label.padEnd(16)}${cell(n(k.findings), 9)}${cell(n(k.runs), 7)}` +
    `${cell(usd(k.savingUSD), 14)}${cell(usd(k.perRunUSD), 13)}${cell(usd(k.perMonthUSD), 13)}`
  );
}

export function demoReportLines(r: DemoReport): string[] {
  const secs = r.crewMs / 1000;
  const lines = [
    pc.bold('Kaizen demo — waste report'),
    `  ${n(r.runs)} workflow runs of the email crew (${r.workflows.map((w) => w.workflow).join(', ')}): ` +
      `${n(r.calls)} model calls to ${r.providers.join(', ')} through their real SDKs in ${secs.toFixed(1)} s ` +
      `(${Math.round(r.calls / Math.max(secs, 0.001))} calls/s), ${usd(r.costUSD)} at list prices` +
      (r.retries > 0 ? `; ${n(r.retries)} failed call(s) retried by the crew` : '') +
      (r.failedRuns > 0 ? pc.yellow(`; ${n(r.failedRuns)} run(s) failed`) : ''),
    '',
    pc.bold('  Waste found (sums of the stored findings)'),
    pc.dim(
      `  ${'kind'.padEnd(16)}${cell('findings', 9)}${cell('runs', 7)}${cell('all runs', 14)}${cell('per run', 13)}${cell('per month*', 13)}`,
    ),
    ...r.kinds.map((k) => kindRow(k.kind, k)),
    pc.bold(kindRow('total', r.total)),
    `  ${'across runs'.padEnd(16)}${cell(n(r.crossRun.findings), 9)}${cell('', 7)}${cell(usd(r.crossRun.savedUSD), 14)}` +
      `${cell('', 13)}${cell(usd(r.crossRun.perMonthUSD), 13)}  identical requests a response cache would serve`,
    pc.dim(
      '  * per month as GET /api/summary reports it: the mean saving per run at the run rate the analysis measured ' +
        '(redundant_call and the total include the cross-run cache findings).',
    ),
  ];
  if (r.top.length > 0) {
    lines.push('', pc.bold('  The biggest finding of each kind, and its fix'));
    for (const f of r.top) {
      const kind = f.Subkind ? `${f.Kind}/${f.Subkind}` : f.Kind;
      lines.push(
        `  ${usd(f.SavingUSDPerRun).padStart(10)}/run  ${pc.yellow(kind)} · ${f.WorkflowName}: ${f.Title}`,
        `  ${''.padEnd(14)} fix: ${f.Recommendation}`,
        `  ${''.padEnd(14)} ${pc.dim(`npx kaizen analyze ${f.TraceId}`)}`,
      );
    }
  }
  if (r.workflows.length > 0) {
    lines.push('', pc.bold('  Cost per run, before and after the fixes (stored analyses)'));
    lines.push(
      pc.dim(
        `  ${'workflow'.padEnd(16)}${cell('runs', 7)}${cell('before', 13)}${cell('after', 13)}${cell('saving', 9)}`,
      ),
    );
    for (const w of r.workflows) {
      const share = w.beforeUSD > 0 ? (1 - w.afterUSD / w.beforeUSD) * 100 : 0;
      lines.push(
        `  ${w.workflow.padEnd(16)}${cell(n(w.runs), 7)}${cell(usd(w.beforeUSD), 13)}${cell(usd(w.afterUSD), 13)}${cell(`${share.toFixed(0)} %`, 9)}`,
      );
    }
  }
  return lines;
}
