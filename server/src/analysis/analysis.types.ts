import type { FindingKind } from '@kaizen/clickhouse';

/** One message of a request, as text. */
export interface MessageText {
  readonly role: string;
  readonly text: string;
}

/** One model call of a run, normalised from a genai_calls row (and its log-event content). */
export interface CallRecord {
  /** Position in the run, by start time (0-based); shown as "#n+1". */
  readonly index: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  /** Start, milliseconds since the epoch (fractional). */
  readonly startMs: number;
  readonly durationMs: number;
  readonly serviceName: string;
  readonly workflowName: string;
  readonly agentName: string;
  readonly conversationId: string;
  /** gen_ai.provider.name (openai, anthropic, gcp.gemini …). */
  readonly provider: string;
  readonly operation: string;
  readonly requestModel: string;
  readonly responseModel: string;
  /** The price table's model id ('' when unpriced). */
  readonly priceModel: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly reasoningTokens: number;
  readonly costUSD: number;
  readonly costSource: string;
  readonly isError: boolean;
  readonly errorType: string;
  readonly finishReasons: readonly string[];
  readonly temperature: number | null;
  readonly maxTokens: number;
  readonly toolCount: number;
  readonly outputType: string;
  /** Decimal strings; '0' = unknown. */
  readonly promptHash: string;
  readonly promptSimHash: bigint;
  readonly systemHash: string;
  /** Normalised system text ('' when none), as the fingerprint defines it. */
  readonly systemText: string;
  /** The system instructions as sent (line breaks kept), for structure and size. */
  readonly systemRaw: string;
  /** Non-system messages. */
  readonly messages: readonly MessageText[];
  /** Normalised prompt text (the non-system messages), as the fingerprint defines it. */
  readonly promptText: string;
  /** The answer's text. */
  readonly outputText: string;
  /** Whether content (messages) was captured at all. */
  readonly hasContent: boolean;
}

/** One tool execution span (execute_tool) of a run. */
export interface ToolRecord {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly startMs: number;
  readonly name: string;
  readonly arguments: string;
  readonly result: string;
  readonly isError: boolean;
}

/** What a run's detectors see. */
export interface RunData {
  readonly traceId: string;
  readonly serviceName: string;
  readonly workflowName: string;
  readonly startMs: number;
  readonly calls: readonly CallRecord[];
  readonly tools: readonly ToolRecord[];
}

export type DetectedBy = 'local' | 'judge' | 'both';

/** A finding before savings are reconciled across findings and persisted. */
export interface DraftFinding {
  readonly kind: FindingKind;
  /** '' for kinds without subkinds. */
  readonly subkind: string;
  readonly title: string;
  readonly evidence: string;
  readonly evidenceData: Record<string, unknown>;
  readonly recommendation: string;
  /** The calls (and tool spans) involved, the wasteful ones included. */
  readonly spanIds: readonly string[];
  /** What this fix would save on each call, by span id (USD per run; never more than the call cost). */
  readonly savingBySpan: ReadonlyMap<string, number>;
  /** What the wasteful calls cost in this run. */
  readonly wasteCostUSD: number;
  readonly confidence: number;
  readonly detectedBy: DetectedBy;
  /** A stable key for the finding's identity within its trace (kind, subkind and anchor spans). */
  readonly key: string;
  readonly models: readonly string[];
}

/** A finding with savings reconciled (each call's saving counted once, by the best fix). */
export interface Finding {
  readonly findingId: string;
  readonly traceId: string;
  readonly scope: 'run' | 'cross_run';
  readonly serviceName: string;
  readonly workflowName: string;
  readonly kind: FindingKind;
  readonly subkind: string;
  readonly title: string;
  readonly evidence: string;
  readonly evidenceData: Record<string, unknown>;
  readonly recommendation: string;
  readonly spanIds: readonly string[];
  readonly models: readonly string[];
  readonly wasteCostUSD: number;
  /** This finding's own saving if it were the only fix applied. */
  readonly standaloneSavingUSDPerRun: number;
  /** The saving attributed to this finding once every call is counted once (sums to the run's saving). */
  readonly savingUSDPerRun: number;
  readonly runsPerDay: number;
  readonly savingUSDPerDay: number;
  readonly savingUSDPerMonth: number;
  readonly confidence: number;
  readonly detectedBy: DetectedBy;
}

/**
 * Finish reasons of an answer cut off at its output limit, as providers spell them (OpenAI chat
 * `length`, Anthropic `max_tokens`, OpenAI Responses `max_output_tokens`, Gemini `MAX_TOKENS`).
 */
export const TRUNCATION_FINISH_REASONS = ['length', 'max_tokens', 'max_output_tokens', 'MAX_TOKENS'] as const;

/** Was the answer cut off at its output limit? */
export function isTruncated(finishReasons: readonly string[]): boolean {
  return finishReasons.some((r) => (TRUNCATION_FINISH_REASONS as readonly string[]).includes(r));
}
