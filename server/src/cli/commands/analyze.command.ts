import type { Command } from 'commander';
import pc from 'picocolors';
import type { AnalysisView } from '../../analysis-api/analysis.service.js';
import { usd } from '../../analysis/findings/format.js';
import { createLogger } from '../../common/logger.js';
import { callApi } from '../../mcp/kaizen-api.js';
import { connectApi } from '../api-access.js';
import { CliError, configFrom, runCommand, type CliIo } from '../cli-runtime.js';
import { apiFailure } from './report.command.js';

/** The analysis as lines for the terminal. */
export function analysisLines(a: AnalysisView): string[] {
  const head = `${pc.bold(`Run ${a.traceId}`)}  ${a.workflow || '(no workflow name)'} · ${a.service} · ${a.calls} call(s) · ${usd(a.costUsd)}`;
  const lines = [head];
  if (a.findings.length === 0) {
    lines.push(pc.green('  No waste found.'));
  } else {
    lines.push(
      `  Waste: ${pc.bold(usd(a.savingUsdPerRun))} per run` +
        (a.savingUsdPerMonth > 0 ? ` ≈ ${pc.bold(usd(a.savingUsdPerMonth))} per month` : '') +
        ` (the run would cost ${usd(a.costAfterUsd)})`,
      '',
    );
    for (const f of a.findings) {
      const kind = f.subkind ? `${f.kind}/${f.subkind}` : f.kind;
      lines.push(
        `  ${pc.yellow(kind.padEnd(28))} ${usd(f.saving.perRunUsd).padStart(10)}/run  ${f.title}`,
        `  ${''.padEnd(28)} ${pc.dim(`evidence: ${f.evidence}`)}`,
        `  ${''.padEnd(28)} fix: ${f.recommendation}`,
        `  ${''.padEnd(28)} ${pc.dim(`finding ${f.id} · ${f.detectedBy} · confidence ${f.confidence}`)}`,
      );
    }
  }
  lines.push(
    '',
    pc.dim(`Judge: ${a.judge.status}${a.judge.message ? ` (${a.judge.message})` : ''} · ${a.durationMs} ms`),
  );
  return lines;
}

/** `kaizen analyze <traceId>`: analyse one run now and print its waste, the fix and the saving. */
export function registerAnalyze(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('analyze')
    .description('analyse one workflow run (a trace) for waste, now, and print the findings')
    .argument('<traceId>', 'the run: its trace id, 32 hex characters')
    .option('--json', 'print the analysis as JSON')
    .option('--url <url>', 'ask this Kaizen service (default: the store itself, or the service holding it)')
    .action(async (traceId: string, opts: { json?: boolean; url?: string }) => {
      setExit(
        await runCommand('analyze', io, async () => {
          if (!/^[0-9a-fA-F]{32}$/.test(traceId)) {
            throw new CliError(`<traceId> must be 32 hex characters; got "${traceId}"`, 2);
          }
          const config = configFrom(io);
          const access = await connectApi(config, createLogger('warn'), opts.url);
          try {
            const a = await callApi<AnalysisView>(
              access.api,
              'POST',
              `/api/workflows/${traceId.toLowerCase()}/analyze`,
            ).catch(apiFailure);
            if (opts.json) io.out(JSON.stringify(a, null, 2));
            else for (const line of analysisLines(a)) io.out(line);
          } finally {
            await access.close();
          }
        }),
      );
    });
}
