import type { ChatRequest } from './mock-llm.types.js';

/**
 * Token counts without a tokenizer: about four characters per token for English text, as the
 * providers' own rules of thumb say, plus the few tokens each message's framing costs.
 */

export const CHARS_PER_TOKEN = 4;
const PER_MESSAGE = 4;
const PER_REQUEST = 3;

export function tokensOf(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Input tokens of a chat request: system, messages (with their tool calls), tool definitions. */
export function inputTokensOf(req: ChatRequest): number {
  let n = PER_REQUEST + tokensOf(req.system);
  for (const m of req.messages) {
    n += PER_MESSAGE + tokensOf(m.text);
    for (const c of m.toolCalls ?? []) n += tokensOf(c.name) + tokensOf(JSON.stringify(c.args));
  }
  for (const t of req.tools) n += tokensOf(t.name) + tokensOf(JSON.stringify(t.parameters ?? {}));
  return n;
}

/** The text cut to at most `tokens` tokens (on a word boundary when one is near). */
export function truncateToTokens(text: string, tokens: number): string {
  const max = tokens * CHARS_PER_TOKEN;
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return text.slice(0, cut > max * 0.8 ? cut : max);
}
