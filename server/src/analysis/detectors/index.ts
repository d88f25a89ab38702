import type { DraftFinding } from '../analysis.types.js';
import { detectAgentLoops } from './agent-loop.detector.js';
import type { DetectorContext } from './detector.context.js';
import { detectHistoryGrowth } from './history-growth.detector.js';
import { detectModelOverkill } from './model-overkill.detector.js';
import { detectOversizedExamples } from './oversized-examples.detector.js';
import { detectRedundantCalls, type SemanticPair } from './redundant-call.detector.js';
import { detectRetryWaste } from './retry-waste.detector.js';
import { detectUncachedPrefix } from './uncached-prefix.detector.js';
import { detectUnusedContext } from './unused-context.detector.js';

export { DetectorContext } from './detector.context.js';
export type { SemanticPair } from './redundant-call.detector.js';

export interface LocalDetection {
  readonly findings: DraftFinding[];
  readonly semanticPairs: SemanticPair[];
  /** Milliseconds each detector took (for the benchmark and debug logs). */
  readonly timings: Record<string, number>;
}

/** Runs every local detector over one run. Pure: no I/O. */
export function runLocalDetectors(ctx: DetectorContext): LocalDetection {
  const timings: Record<string, number> = {};
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    const out = fn();
    timings[name] = performance.now() - t0;
    return out;
  };
  const redundancy = time('redundant_call', () => detectRedundantCalls(ctx));
  const findings = [
    ...redundancy.findings,
    ...time('retry_waste', () => detectRetryWaste(ctx)),
    ...time('agent_loop', () => detectAgentLoops(ctx)),
    ...time('uncached_prefix', () => detectUncachedPrefix(ctx)),
    ...time('history_growth', () => detectHistoryGrowth(ctx)),
    ...time('unused_context', () => detectUnusedContext(ctx)),
    ...time('oversized_examples', () => detectOversizedExamples(ctx)),
    ...time('model_overkill', () => detectModelOverkill(ctx)),
  ];
  return { findings, semanticPairs: redundancy.semanticPairs, timings };
}
