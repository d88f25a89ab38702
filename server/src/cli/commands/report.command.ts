import type { Command } from 'commander';
import pc from 'picocolors';
import { usd } from '../../analysis/findings/format.js';
import { createLogger } from '../../common/logger.js';
import type { Finding } from '../../findings/findings.mapper.js';
import { ApiCallError, apiPath, callApi } from '../../mcp/kaizen-api.js';
import type { Summary } from '../../summary/summary.service.js';
import { connectApi } from '../api-access.js';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';

/** An API refusal as a CLI error (bad input → exit code 2). */
export function apiFailure(e: unknown): never {
  if (e instanceof ApiCallError) throw new CliError(e.message, e.status === 400 ? 2 : 1);
  throw e;
}

export interface WasteReport {
  summary: Summary;
  findings: Finding[];
}

const pct = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 1 : 0)}%`;

/** The terminal report: spend, waste per kind (each workflow's waste counted once), the biggest findings. */
export function reportLines(r: WasteReport, since: string): string[] {
  const s = r.summary;
  const lines = [
    pc.bold(`Kaizen waste report — since ${since} (${s.from.slice(0, 16)}Z → ${s.to.slice(0, 16)}Z)`),
    '',
    `  Spend   ${pc.bold(usd(s.costUsd))} over ${s.calls.toLocaleString('en-US')} call(s)` +
      ` · errors ${pct(s.errorRate)} · cache hits ${pct(s.cacheHitRatio)}` +
      (s.unpricedCalls > 0 ? pc.yellow(` · ${s.unpricedCalls} unpriced call(s)`) : ''),
    `  Waste   ${pc.bold(usd(s.waste.savingUsdPerDay))}/day ≈ ${pc.bold(usd(s.waste.savingUsdPerMonth))}/month` +
      ` (${pct(s.waste.shareOfSpend)} of spend)`,
  ];
  if (s.waste.byKind.length > 0) {
    lines.push('');
    for (const k of s.waste.byKind) {
      lines.push(
        `    ${k.kind.padEnd(18)} ${String(k.findings).padStart(5)} finding(s)  ${usd(k.savingUsdPerDay).padStart(10)}/day  ${usd(k.savingUsdPerMonth).padStart(10)}/month`,
      );
    }
  }
  if (r.findings.length > 0) {
    lines.push('', pc.bold('  Biggest findings'));
    for (const f of r.findings) {
      const kind = f.subkind ? `${f.kind}/${f.subkind}` : f.kind;
      const where = f.traceId ? `run ${f.traceId}` : 'across runs';
      lines.push(
        `  ${usd(f.saving.perMonthUsd).padStart(10)}/month  ${pc.yellow(kind)}  ${f.workflow || f.service}: ${f.title}`,
        `  ${''.padEnd(16)} fix: ${f.recommendation}`,
        `  ${''.padEnd(16)} ${pc.dim(`${where} · finding ${f.id} · ${f.detectedBy} · confidence ${f.confidence}`)}`,
      );
    }
  } else {
    lines.push(
      '',
      pc.dim(
        '  No findings in this window. Runs are analysed by `kaizen up` once quiet, or with `kaizen analyze <traceId>`.',
      ),
    );
  }
  return lines;
}

/** `kaizen report [--since 24h]`: the terminal waste report. */
export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('print the waste report: spend, waste per kind and the biggest findings with their fix')
    .option('--since <window>', 'a duration back from now ("24h", "7d") or an ISO 8601 time', '24h')
    .option('--service <name>', 'only this service')
    .option('--top <n>', 'findings to list, 1-50', '10')
    .option('--json', 'print the report as JSON')
    .option('--url <url>', 'ask this Kaizen service (default: the store itself, or the service holding it)')
    .action(async (opts: { since: string; service?: string; top: string; json?: boolean; url?: string }) => {
      setExit(
        await runCommand('report', io, async () => {
          const top = Number(opts.top);
          if (!Number.isInteger(top) || top < 1 || top > 50) {
            throw new CliError(`--top must be a whole number between 1 and 50; got "${opts.top}"`, 2);
          }
          const config = configFrom(io);
          const access = await connectApi(config, createLogger('warn'), opts.url);
          try {
            const q = { since: opts.since, service: opts.service };
            const [summary, findings] = await Promise.all([
              callApi<Summary>(access.api, 'GET', apiPath('/api/summary', { ...q, top: 5 })),
              callApi<{ items: Finding[] }>(
                access.api,
                'GET',
                apiPath('/api/findings', { ...q, sort: 'saving', limit: top }),
              ),
            ]).catch(apiFailure);
            const report: WasteReport = { summary, findings: findings.items };
            if (opts.json) io.out(JSON.stringify(report, null, 2));
            else for (const line of reportLines(report, opts.since)) io.out(line);
          } finally {
            await access.close();
          }
        }),
      );
    });
}
