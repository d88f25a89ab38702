import { compose, seedOf } from './answer.composer.js';
import type { ChatAnswer, ChatRequest, FinishReason, ToolCall } from './mock-llm.types.js';
import { anthropicMinTokens, implicitRule, type CacheResult, type PromptCache } from './prompt-cache.js';
import { hash32, Seeded } from '../seeded.js';
import { inputTokensOf, tokensOf, truncateToTokens } from './token-estimate.js';

/**
 * The mock model: the composed answer, cut at the caller's output limit (finish reason "length"),
 * with reasoning tokens for thinking models and the prompt cache's reads and writes.
 */
export function answerChat(req: ChatRequest, seed: number, cache: PromptCache): ChatAnswer {
  const composed = compose(req, seed);
  const rng = new Seeded(hash32(seedOf(req, seed), 'usage'));
  let text = composed.text;
  let toolCalls: readonly ToolCall[] = composed.toolCalls;
  let finish: FinishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const visible =
    toolCalls.length > 0
      ? toolCalls.reduce((n, c) => n + 6 + tokensOf(c.name) + tokensOf(JSON.stringify(c.args)), 0)
      : tokensOf(text);
  let reasoning = req.reasoning ? 16 + Math.round(visible * (0.4 + rng.next() * 0.8)) : 0;
  let output = visible;
  if (req.maxTokens !== undefined && reasoning + visible > req.maxTokens) {
    finish = 'length';
    toolCalls = [];
    reasoning = Math.min(reasoning, req.maxTokens);
    output = req.maxTokens - reasoning;
    text = output > 0 ? truncateToTokens(text, output) : '';
  }
  const input = inputTokensOf(req);
  const cached = cacheOf(req, cache);
  return {
    text,
    toolCalls,
    finish,
    usage: {
      inputTokens: input,
      cacheReadTokens: Math.min(cached.readTokens, input),
      cacheWriteTokens: Math.min(cached.writeTokens, input - Math.min(cached.readTokens, input)),
      outputTokens: output + reasoning,
      reasoningTokens: reasoning,
    },
  };
}

function cacheOf(req: ChatRequest, cache: PromptCache): CacheResult {
  if (req.provider === 'anthropic') {
    return req.cacheBreakpointChars > 0
      ? cache.explicit(req.model, req.prefixText, req.cacheBreakpointChars, anthropicMinTokens(req.model))
      : { readTokens: 0, writeTokens: 0 };
  }
  const rule = implicitRule(req.model);
  return rule ? cache.implicit(req.model, req.prefixText, rule) : { readTokens: 0, writeTokens: 0 };
}

/** A deterministic unit vector for a text (embeddings): the same text always maps to the same point. */
export function embeddingOf(text: string, dims: number, seed: number): number[] {
  const rng = new Seeded(hash32(seed, 'embed', text));
  const v = Array.from({ length: dims }, () => rng.next() * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
