import type { KaizenConfig } from '@kaizen/clickhouse';
import pc from 'picocolors';
import { AnalysisService } from '../analysis-api/analysis.service.js';
import type { CliIo } from '../cli/cli-runtime.js';
import type { RunningService } from '../cli/service.runtime.js';
import { SummaryService } from '../summary/summary.service.js';
import { runCrewProcess, type CrewResult } from './crew-process.js';
import { analyseAcrossRuns, analyseRuns, waitForSpans } from './demo-analysis.js';
import { progressBar } from './demo-progress.js';
import { DemoRepository } from './demo.repository.js';
import { buildDemoReport, type DemoReport } from './demo.report.js';
import { CREW_SERVICE } from './email-crew/crew.protocol.js';
import { startMockLlm } from './mock-llm/index.js';

/**
 * The demo, on a running all-in-one: the mock LLM server, the email crew in a child process sending
 * its spans to the collector, every span written, every run analysed, and the report read back from
 * the store.
 */

export interface DemoOptions {
  readonly runs: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly failureRate: number;
  readonly exit: boolean;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  runs: 300,
  seed: 42,
  concurrency: 8,
  latencyMs: 4,
  failureRate: 0.02,
  exit: false,
};

export interface DemoContext {
  readonly io: CliIo;
  readonly config: KaizenConfig;
  readonly service: RunningService;
  readonly signal: AbortSignal;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en-US');

function otlpEndpoint(config: KaizenConfig): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.ports.otlpHttp}`;
}

/** Runs the crew and analyses its runs; undefined when interrupted. */
export async function runDemo(ctx: DemoContext, options: DemoOptions): Promise<DemoReport | undefined> {
  const { io, service, signal } = ctx;
  const repo = new DemoRepository(service.storage);
  const since = new Date(Date.now() - 1_000);
  const mock = await startMockLlm({
    seed: options.seed,
    latencyMs: options.latencyMs,
    failureRate: options.failureRate,
  });
  let crew: CrewResult;
  try {
    io.out(pc.dim(`  mock LLM server (OpenAI, Anthropic and Gemini protocols) on ${mock.url}`));
    const bar = progressBar('Running workflows', options.runs);
    try {
      crew = await runCrewProcess({
        config: { mockUrl: mock.url, runs: options.runs, seed: options.seed, concurrency: options.concurrency },
        otlpEndpoint: otlpEndpoint(ctx.config),
        serviceName: CREW_SERVICE,
        ingestToken: ctx.config.ingestToken,
        onRun: () => bar.tick(),
        signal,
      });
    } finally {
      bar.stop();
    }
  } catch (e) {
    if (signal.aborted) return undefined;
    throw e;
  } finally {
    await mock.close();
  }
  const stats = mock.stats();
  io.out(
    `  ${pc.green('✓')} ${n(crew.runs.length)} workflow runs in ${seconds(crew.durationMs)}: ${n(stats.answered)} model calls ` +
      `answered by the mock (${Math.round(stats.answered / Math.max(crew.durationMs / 1000, 0.001))}/s), ` +
      `${n(stats.injectedFailures)} injected failure(s), ${n(crew.spans)} spans exported`,
  );

  const traceIds = crew.runs.map((r) => r.traceId);
  const t0 = performance.now();
  const stored = await waitForSpans(repo, traceIds, since, crew.spans, 60_000, signal);
  if (signal.aborted) return undefined;
  const missing = crew.spans - stored;
  io.out(
    `  ${pc.green('✓')} ${n(stored)} spans written by the collector in ${seconds(performance.now() - t0)}` +
      (missing > 0 ? pc.yellow(` (${missing} still missing after 60 s; analysing what arrived)`) : ''),
  );

  const analyses = service.app.get(AnalysisService);
  const t1 = performance.now();
  const bar = progressBar('Analysing runs', traceIds.length);
  const result = await analyseRuns(analyses, traceIds, { concurrency: 2, onDone: () => bar.tick(), signal }).finally(
    () => bar.stop(),
  );
  if (signal.aborted) return undefined;
  const crossRun = await analyseAcrossRuns(analyses, CREW_SERVICE);
  io.out(
    `  ${pc.green('✓')} ${n(result.analysed)} runs analysed in ${seconds(performance.now() - t1)}` +
      ` (${crossRun} cross-run finding(s))` +
      (result.failed.length > 0 ? pc.yellow(`; ${result.failed.length} failed: ${result.failed[0]!.error}`) : ''),
  );
  io.out('');
  return buildDemoReport(repo, service.app.get(SummaryService), { crew, service: CREW_SERVICE, since });
}
