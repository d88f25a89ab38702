/**
 * The waste analysis: local detectors, the Gemini judge, savings, and results in waste_findings and
 * analyses. Framework-free; the service wraps `createAnalysisEngine` in a Nest module.
 */
import type { KaizenConfig } from '@kaizen/clickhouse';
import { createGeminiJudge, type GeminiJudgeOptions } from './judge/gemini.judge.js';
import type { Judge, JudgeHooks } from './judge/judge.types.js';

export { createAnalysisEngine, TraceNotFoundError } from './analysis.engine.js';
export type {
  AnalysisEngine,
  AnalysisEngineOptions,
  AnalysisHooks,
  AnalysisLogger,
  AnalysisTrigger,
  StoredAnalysis,
  TraceAnalysis,
  WindowAnalysis,
} from './analysis.engine.js';
export { DEFAULT_ANALYSIS_OPTIONS } from './analysis.options.js';
export type { AnalysisOptions } from './analysis.options.js';
export { AnalysisRepository } from './analysis.repository.js';
export type { AnalysisRow, FindingRow } from './analysis.repository.js';
export type { CallRecord, DetectedBy, Finding, RunData, ToolRecord } from './analysis.types.js';
export { createGeminiJudge } from './judge/gemini.judge.js';
export type { GeminiJudgeOptions } from './judge/gemini.judge.js';
export type { JudgeReport, JudgeStatus } from './judge/judge-stage.js';
export type {
  Judge,
  JudgeCircuitState,
  JudgeHooks,
  JudgeInput,
  JudgeRequestOutcome,
  JudgeResult,
} from './judge/judge.types.js';
export { buildWasteReport } from './report/waste-report.js';
export type { WasteReport } from './report/waste-report.js';

/**
 * The Gemini judge the configuration asks for: undefined without GEMINI_API_KEY (the local
 * detectors then do the whole job).
 */
export function judgeFromConfig(
  gemini: KaizenConfig['gemini'],
  hooks?: JudgeHooks,
  overrides: Partial<Omit<GeminiJudgeOptions, 'apiKey' | 'model' | 'baseUrl' | 'hooks'>> = {},
): Judge | undefined {
  if (!gemini.apiKey) return undefined;
  return createGeminiJudge({
    ...overrides,
    apiKey: gemini.apiKey,
    model: gemini.model,
    ...(gemini.baseUrl ? { baseUrl: gemini.baseUrl } : {}),
    ...(hooks ? { hooks } : {}),
  });
}
