/**
 * Tunable thresholds of the local detectors. The defaults are the values the labelled corpus
 * (`npm run bench:quality`) was measured with; change them only with that benchmark in hand.
 */
export interface AnalysisOptions {
  /** An explicit temperature above this marks deliberate sampling: identical calls are not duplicates. */
  readonly samplingTemperature: number;
  /** Pair score (0..1) at or above which two requests are near duplicates. */
  readonly nearThreshold: number;
  /** Pair score at or above which (and below nearThreshold) the judge is asked whether they are duplicates. */
  readonly semanticThreshold: number;
  /** The most semantic candidates sent to the judge per run. */
  readonly maxSemanticCandidates: number;
  /** Output tokens at or below which an answer counts as short (model overkill). */
  readonly shortOutputTokens: number;
  /** History growth: turns of one conversation, and the turns a sliding window keeps. */
  readonly historyMinTurns: number;
  readonly historyKeepMessages: number;
  /** Unused context: the smallest block (tokens) worth reporting, and the share of input it must reach. */
  readonly unusedBlockMinTokens: number;
  readonly unusedMinShare: number;
  /** Few-shot examples: report above this many, and keep this many. */
  readonly examplesMax: number;
  readonly examplesKeep: number;
  /** Agent loop: the same tool call (same arguments, same result) at least this many times. */
  readonly loopMinRepeats: number;
  /** Run rate: look back this many days. */
  readonly runRateWindowDays: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  samplingTemperature: 0.5,
  nearThreshold: 0.6,
  semanticThreshold: 0.35,
  maxSemanticCandidates: 20,
  shortOutputTokens: 120,
  historyMinTurns: 4,
  historyKeepMessages: 6,
  unusedBlockMinTokens: 150,
  unusedMinShare: 0.2,
  examplesMax: 4,
  examplesKeep: 2,
  loopMinRepeats: 3,
  runRateWindowDays: 7,
};
