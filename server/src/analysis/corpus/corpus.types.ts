import type { FindingKind } from '@kaizen/clickhouse';

/**
 * A labelled corpus trace: a workflow run as structured spans (workflow, agents, model calls, tool
 * calls) with the waste it contains (labels, with the true saving computed from the token counts
 * and list prices) and the traps it sets (things that look like waste and are not). Two sinks turn
 * it into spans: otel_traces rows as the contrib exporter writes them, and real OTLP.
 */

export interface CorpusMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly content: string;
}

interface SpanBase {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly startMs: number;
  readonly durationMs: number;
}

export interface CorpusWorkflowSpan extends SpanBase {
  readonly type: 'workflow';
  readonly name: string;
}

export interface CorpusAgentSpan extends SpanBase {
  readonly type: 'agent';
  readonly name: string;
}

export interface CorpusModelCall extends SpanBase {
  readonly type: 'model';
  readonly agent: string;
  /** gen_ai.provider.name: openai, anthropic, gcp.gemini. */
  readonly provider: string;
  readonly model: string;
  readonly system: string;
  readonly messages: readonly CorpusMessage[];
  readonly output: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly temperature: number | undefined;
  readonly maxTokens: number | undefined;
  readonly finishReason: string;
  readonly errorType: string | undefined;
  readonly outputType: string | undefined;
  readonly conversationId: string | undefined;
  /** True cost at list prices. */
  readonly costUSD: number;
}

export interface CorpusToolSpan extends SpanBase {
  readonly type: 'tool';
  readonly agent: string;
  readonly name: string;
  readonly arguments: string;
  readonly result: string;
  readonly isError: boolean;
}

export type CorpusSpan = CorpusWorkflowSpan | CorpusAgentSpan | CorpusModelCall | CorpusToolSpan;

/** A piece of waste the detectors must find. */
export interface TruthLabel {
  readonly kind: FindingKind;
  readonly subkind: string;
  /** Every span involved (the finding should name most of them). */
  readonly spanIds: readonly string[];
  /** True saving per call (USD per run) if this fix alone were applied. */
  readonly savingBySpan: Readonly<Record<string, number>>;
  readonly note: string;
}

/** Something that looks like waste of `kind` and is not: a finding of that kind on these spans is a false alarm. */
export interface TrapLabel {
  readonly kind: FindingKind;
  readonly subkind: string;
  readonly spanIds: readonly string[];
  readonly note: string;
}

export interface CorpusTrace {
  readonly traceId: string;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly workflowName: string;
  readonly startMs: number;
  readonly spans: readonly CorpusSpan[];
  readonly labels: readonly TruthLabel[];
  readonly traps: readonly TrapLabel[];
}
