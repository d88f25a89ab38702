/**
 * The labelled corpus of multi-agent workflow runs (reusable by the demo: realistic traffic with
 * known waste), its span sinks and its scorers.
 */
export { generateCorpus, generateLargeRun, WORKFLOWS } from './corpus.generator.js';
export type { Corpus, CorpusOptions, CrossRunLabel, WorkflowDef } from './corpus.generator.js';
export type {
  CorpusModelCall,
  CorpusSpan,
  CorpusToolSpan,
  CorpusTrace,
  TrapLabel,
  TruthLabel,
} from './corpus.types.js';
export { pairQuality } from './pair-quality.js';
export type { PairQuality } from './pair-quality.js';
export { CATEGORIES, categoryOf, scoreQuality, trueRunSaving } from './quality.scorer.js';
export type { Category, KindScore, QualityReport, TraceResult } from './quality.scorer.js';
export { insertSpanRows, toOtelTraceRow } from './rows.sink.js';
export { corpusSpans, CORPUS_SCOPE } from './span-spec.js';
export type { AttributeValue, SpanSpec } from './span-spec.js';
export { FRESH_INTENTS, HOLDOUT_INTENTS, UNSEEN_INTENTS } from './texts/paraphrases-holdout.js';
export { INTENTS, intentsOf } from './texts/paraphrases.js';
export type { Intent } from './texts/paraphrases.js';
