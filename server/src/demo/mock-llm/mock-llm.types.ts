/** The provider-neutral shapes the mock's protocols translate to and from. */

export type Provider = 'openai' | 'anthropic' | 'gemini';

/** A tool the request offers, with its JSON-schema parameters. */
export interface ToolSpec {
  readonly name: string;
  readonly parameters: unknown;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** One message of a conversation, as text (tool calls and results kept apart). */
export interface ChatMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly text: string;
  /** For assistant turns that called tools. */
  readonly toolCalls?: readonly ToolCall[];
  /** For tool results: the tool that produced it, when the protocol names it. */
  readonly toolName?: string;
}

/** A chat request, whatever protocol it came in. */
export interface ChatRequest {
  readonly provider: Provider;
  readonly model: string;
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  /** The caller allows a tool call now (false with tool_choice none). */
  readonly toolsAllowed: boolean;
  /** The output limit the caller set (undefined: the model's own). */
  readonly maxTokens: number | undefined;
  /** A JSON answer was asked for (and its schema when one was given). */
  readonly json: boolean;
  readonly jsonSchema: unknown;
  /** Text of the request as the provider would see it, in order: tools, system, messages (for prefix caching). */
  readonly prefixText: string;
  /** Characters of `prefixText` up to the last explicit cache breakpoint (Anthropic cache_control), 0 for none. */
  readonly cacheBreakpointChars: number;
  /** The model thinks before answering (reasoning tokens are billed as output). */
  readonly reasoning: boolean;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

/** What the model answers, before a protocol shapes it. */
export interface ChatAnswer {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finish: FinishReason;
  readonly usage: Usage;
}

/** Token use, provider-neutral: input includes cached and cache-written tokens, output includes reasoning. */
export interface Usage {
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

/** A request that the mock refuses, in provider-neutral terms; each protocol renders its own error shape. */
export class MockHttpError extends Error {
  override readonly name = 'MockHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly param?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
