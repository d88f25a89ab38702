import type { AnalysisService } from '../analysis-api/analysis.service.js';
import { KaizenError } from '../common/errors.js';
import type { DemoRepository } from './demo.repository.js';

/** Waiting for the collector, then analysing every run of the demo with the service's own analysis. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves once the store holds `expected` spans of these runs (the collector batches its writes),
 * or after `timeoutMs` with what it holds then.
 */
export async function waitForSpans(
  repo: DemoRepository,
  traceIds: readonly string[],
  since: Date,
  expected: number,
  timeoutMs = 60_000,
  signal?: AbortSignal,
): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const stored = await repo.storedSpans(traceIds, since);
    if (stored >= expected || Date.now() > end || signal?.aborted) return stored;
    await sleep(100);
  }
}

export interface AnalysedRuns {
  readonly analysed: number;
  readonly failed: { traceId: string; error: string }[];
}

/** Analyses the runs (a few at a time, as `kaizen analyze` would), then the cross-run window. */
export async function analyseRuns(
  analyses: AnalysisService,
  traceIds: readonly string[],
  opts: { concurrency: number; onDone?: () => void; signal?: AbortSignal },
): Promise<AnalysedRuns> {
  const queue = [...traceIds];
  const failed: { traceId: string; error: string }[] = [];
  let analysed = 0;
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined && !opts.signal?.aborted; id = queue.shift()) {
      for (;;) {
        try {
          await analyses.analyze(id, 'cli');
          analysed++;
          break;
        } catch (e) {
          // The auto-analyser may hold the service's analysis slots for a moment: wait for one.
          if (e instanceof KaizenError && e.code === 'KAIZEN_ERR_BUSY') {
            await sleep(50);
            continue;
          }
          failed.push({ traceId: id, error: e instanceof Error ? e.message : String(e) });
          break;
        }
      }
      opts.onDone?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return { analysed, failed };
}

/**
 * Cross-run cacheability over the last day of the service's calls (the same one-day floor the run
 * findings' run rate uses, so both project the same traffic).
 */
export async function analyseAcrossRuns(analyses: AnalysisService, service: string, now = new Date()): Promise<number> {
  const w = await analyses.engine.analyzeWindow({
    service,
    from: new Date(now.getTime() - 86_400_000),
    to: now,
    trigger: 'cli',
  });
  return w.findings.length;
}
