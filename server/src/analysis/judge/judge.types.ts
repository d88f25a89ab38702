/**
 * The judge: a model that reads one compacted run, confirms or rejects the local detectors'
 * uncertain candidates and adds semantic duplicates they could not see. One small interface; the
 * Gemini implementation lives in gemini.judge.ts, tests may plug in their own.
 */

/** One call as the judge sees it: ids, model, tokens, and truncated text. */
export interface JudgeCall {
  /** The span id — the only id the judge may cite. */
  readonly id: string;
  /** 1-based position in the run. */
  readonly n: number;
  readonly model: string;
  readonly agent: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUSD: number;
  /** Id of the system prompt in `systems` ('' when none). */
  readonly system: string;
  readonly prompt: string;
  readonly answer: string;
}

export type CandidateKind = 'redundant_call' | 'model_overkill' | 'prompt_bloat';

/** A local finding or pair the judge is asked about. */
export interface JudgeCandidate {
  readonly id: string;
  readonly kind: CandidateKind;
  readonly subkind: string;
  readonly spanIds: readonly string[];
  /** The claim to confirm or reject, in words. */
  readonly claim: string;
}

export interface JudgeInput {
  readonly workflow: string;
  readonly systems: readonly { readonly id: string; readonly text: string }[];
  readonly calls: readonly JudgeCall[];
  readonly candidates: readonly JudgeCandidate[];
}

export interface JudgeVerdict {
  readonly candidateId: string;
  readonly verdict: 'confirm' | 'reject';
  readonly confidence: number;
  readonly reason: string;
}

/** A semantic duplicate the judge found on its own. */
export interface JudgeFinding {
  readonly spanIds: readonly string[];
  readonly confidence: number;
  readonly evidence: string;
  readonly recommendation: string;
}

export interface JudgeUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type JudgeFailure = 'invalid' | 'timeout' | 'rate_limited' | 'error' | 'circuit_open';

export type JudgeResult =
  | {
      readonly ok: true;
      readonly verdicts: readonly JudgeVerdict[];
      readonly findings: readonly JudgeFinding[];
      readonly usage: JudgeUsage;
      /** Served from the cache (same model, same compacted run). */
      readonly cached: boolean;
      /** Items of the answer dropped by validation (unknown ids, invalid entries). */
      readonly dropped: number;
    }
  | {
      readonly ok: false;
      readonly failure: JudgeFailure;
      readonly message: string;
      readonly usage: JudgeUsage;
    };

/** Breaker state, as the kaizen_judge_circuit_state gauge encodes it: 0 closed, 1 half-open, 2 open. */
export type JudgeCircuitState = 0 | 1 | 2;

/** Outcomes of kaizen_judge_requests_total. */
export type JudgeRequestOutcome = 'ok' | 'invalid' | 'error' | 'timeout' | 'rate_limited' | 'skipped';

/** Callbacks the service turns into Prometheus metrics (no prom-client globals here). */
export interface JudgeHooks {
  onRequest?(outcome: JudgeRequestOutcome): void;
  onTokens?(type: 'input' | 'output', tokens: number): void;
  onCircuitState?(state: JudgeCircuitState): void;
}

export interface Judge {
  /** The model id (priced from the price table to decide whether judging pays). */
  readonly model: string;
  /** Provider id of the model for the price table. */
  readonly provider: string;
  /** The most input tokens one judgement may send (the compaction budget). */
  readonly maxInputTokens: number;
  /** The most output tokens one judgement may produce. */
  readonly maxOutputTokens: number;
  readonly circuitState: JudgeCircuitState;
  judge(input: JudgeInput, opts?: { readonly signal?: AbortSignal }): Promise<JudgeResult>;
}
