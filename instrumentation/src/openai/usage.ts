import type { Usage } from '../core/model-call.js';
import { count, field, isObj } from '../core/read.js';

/**
 * OpenAI usage, Chat (prompt_/completion_tokens) or Responses (input_/output_tokens). OpenAI's
 * totals already include cached input and reasoning output, as the conventions count them.
 */
export function openaiUsage(usage: unknown): Usage | undefined {
  if (!isObj(usage)) return undefined;
  const inputDetails = usage['prompt_tokens_details'] ?? usage['input_tokens_details'];
  const outputDetails = usage['completion_tokens_details'] ?? usage['output_tokens_details'];
  return {
    input: count(usage['prompt_tokens'] ?? usage['input_tokens']),
    output: count(usage['completion_tokens'] ?? usage['output_tokens']),
    cacheRead: count(field(inputDetails, 'cached_tokens')),
    cacheCreation: count(field(inputDetails, 'cache_write_tokens')),
    reasoning: count(field(outputDetails, 'reasoning_tokens')),
  };
}
