import type {
  CorpusMessage,
  CorpusModelCall,
  CorpusSpan,
  CorpusToolSpan,
  CorpusTrace,
  TrapLabel,
  TruthLabel,
} from './corpus.types.js';
import type { Rng } from './prng.js';
import { truthCost } from './truth-prices.js';

/**
 * Builds one corpus trace step by step on a clock: agents, model calls (tokens from the text, about
 * four characters per token plus three per message, as chat formats add), tool calls, labels and
 * traps.
 */

export const tokensOfText = (text: string): number => Math.ceil(text.length / 4);
export const MESSAGE_OVERHEAD = 3;

export interface CallSpec {
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly CorpusMessage[];
  readonly output: string;
  readonly outputTokens?: number;
  readonly cacheReadTokens?: number;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly finishReason?: string;
  readonly errorType?: string;
  readonly outputType?: string;
  readonly conversationId?: string;
  /** Idle time before the call (ms). Default 200–1500. */
  readonly gapMs?: number;
  readonly durationMs?: number;
  /** Start at the same time as the previous call (concurrent). */
  readonly parallel?: boolean;
}

export function inputTokensOf(system: string, messages: readonly CorpusMessage[]): number {
  let n = system === '' ? 0 : tokensOfText(system) + MESSAGE_OVERHEAD;
  for (const m of messages) n += tokensOfText(m.content) + MESSAGE_OVERHEAD;
  return n;
}

export class TraceBuilder {
  readonly traceId: string;
  readonly rootSpanId: string;
  private clock: number;
  private lastStart: number;
  private readonly spans: CorpusSpan[] = [];
  private readonly labels: TruthLabel[] = [];
  private readonly traps: TrapLabel[] = [];
  private readonly agents = new Map<string, string>();
  private calls = 0;

  constructor(
    private readonly rng: Rng,
    readonly serviceName: string,
    readonly workflowName: string,
    readonly startMs: number,
    readonly serviceVersion = '1.0.0',
  ) {
    this.traceId = rng.hex(16);
    this.rootSpanId = rng.hex(8);
    this.clock = startMs + 5;
    this.lastStart = this.clock;
  }

  private agentSpan(name: string): string {
    let id = this.agents.get(name);
    if (!id) {
      id = this.rng.hex(8);
      this.agents.set(name, id);
    }
    return id;
  }

  call(spec: CallSpec): CorpusModelCall {
    const system = spec.system ?? '';
    const start = spec.parallel ? this.lastStart : this.clock + (spec.gapMs ?? this.rng.int(200, 1500));
    const inputTokens = inputTokensOf(system, spec.messages);
    const outputTokens = spec.outputTokens ?? (spec.errorType ? 0 : tokensOfText(spec.output));
    const durationMs = spec.durationMs ?? Math.round(300 + outputTokens * 12 + inputTokens * 0.05);
    const cacheRead = spec.cacheReadTokens ?? 0;
    const call: CorpusModelCall = {
      type: 'model',
      spanId: this.rng.hex(8),
      parentSpanId: this.agentSpan(spec.agent),
      startMs: start,
      durationMs,
      agent: spec.agent,
      provider: spec.provider,
      model: spec.model,
      system,
      messages: spec.messages,
      output: spec.errorType ? '' : spec.output,
      inputTokens: spec.errorType && spec.outputTokens === undefined ? 0 : inputTokens,
      outputTokens,
      cacheReadTokens: cacheRead,
      temperature: spec.temperature,
      maxTokens: spec.maxTokens,
      finishReason: spec.finishReason ?? (spec.errorType ? '' : 'stop'),
      errorType: spec.errorType,
      outputType: spec.outputType,
      conversationId: spec.conversationId,
      costUSD:
        spec.errorType && spec.outputTokens === undefined
          ? 0
          : truthCost(spec.model, inputTokens, outputTokens, cacheRead),
    };
    this.spans.push(call);
    this.calls++;
    this.lastStart = start;
    this.clock = Math.max(this.clock, start + durationMs);
    return call;
  }

  tool(agent: string, name: string, args: string, result: string, isError = false): CorpusToolSpan {
    const start = this.clock + this.rng.int(5, 50);
    const span: CorpusToolSpan = {
      type: 'tool',
      spanId: this.rng.hex(8),
      parentSpanId: this.agentSpan(agent),
      startMs: start,
      durationMs: this.rng.int(20, 400),
      agent,
      name,
      arguments: args,
      result,
      isError,
    };
    this.spans.push(span);
    this.lastStart = start;
    this.clock = start + span.durationMs;
    return span;
  }

  /** Model calls so far. */
  get callCount(): number {
    return this.calls;
  }

  /** Moves the clock (a human or a queue between steps). */
  wait(ms: number): void {
    this.clock += ms;
  }

  label(label: TruthLabel): void {
    this.labels.push(label);
  }

  trap(trap: TrapLabel): void {
    this.traps.push(trap);
  }

  build(): CorpusTrace {
    const end = this.clock + 10;
    const agentSpans: CorpusSpan[] = [...this.agents].map(([name, spanId]) => {
      const own = this.spans.filter((s) => s.parentSpanId === spanId);
      const start = Math.min(...own.map((s) => s.startMs)) - 1;
      const stop = Math.max(...own.map((s) => s.startMs + s.durationMs)) + 1;
      return { type: 'agent', spanId, parentSpanId: this.rootSpanId, startMs: start, durationMs: stop - start, name };
    });
    return {
      traceId: this.traceId,
      serviceName: this.serviceName,
      serviceVersion: this.serviceVersion,
      workflowName: this.workflowName,
      startMs: this.startMs,
      spans: [
        {
          type: 'workflow',
          spanId: this.rootSpanId,
          parentSpanId: '',
          startMs: this.startMs,
          durationMs: end - this.startMs,
          name: this.workflowName,
        },
        ...agentSpans,
        ...this.spans,
      ],
      labels: this.labels,
      traps: this.traps,
    };
  }
}

/** A label whose saving is the full cost of the given calls (duplicates, retries, loop turns). */
export function fullCostSaving(calls: readonly CorpusModelCall[]): Record<string, number> {
  return Object.fromEntries(calls.map((c) => [c.spanId, c.costUSD]));
}
