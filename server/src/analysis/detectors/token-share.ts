import type { CallRecord } from '../analysis.types.js';

/**
 * Spans report input tokens for the whole request, not per message. The tokens of a part of a
 * request are estimated from its share of the request's characters (system text and messages),
 * which tracks the tokenizer closely for text of one kind.
 */
export function requestChars(call: CallRecord): number {
  let n = call.systemRaw.length;
  for (const m of call.messages) n += m.text.length;
  return n;
}

export function tokensOf(call: CallRecord, chars: number): number {
  const total = requestChars(call);
  if (total === 0 || call.inputTokens === 0) return 0;
  return (call.inputTokens * Math.min(chars, total)) / total;
}

/** Length of the longest common prefix of strings, cut back to a word boundary. */
export function commonPrefixChars(texts: readonly string[]): number {
  if (texts.length === 0) return 0;
  const first = texts[0]!;
  let len = first.length;
  for (const t of texts) {
    const n = Math.min(len, t.length);
    let i = 0;
    while (i < n && t.charCodeAt(i) === first.charCodeAt(i)) i++;
    len = i;
    if (len === 0) return 0;
  }
  if (texts.every((t) => t.length === len)) return len;
  const cut = first.lastIndexOf(' ', len);
  return cut > 0 ? cut : len;
}
