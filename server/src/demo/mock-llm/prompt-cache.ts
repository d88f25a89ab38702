import { CHARS_PER_TOKEN } from './token-estimate.js';

/**
 * Provider prompt caching, emulated: a request whose start matches a recent request's start (same
 * model, within the cache lifetime) reads that prefix from the cache.
 * - implicit (OpenAI, Gemini 2.5+): any prefix from `minTokens` on, in `stepTokens` increments;
 * - explicit (Anthropic cache_control): exactly the prefix up to the breakpoint — read when cached,
 *   written (billed as a cache write) when not.
 * Prefixes are fingerprinted with two rolling 32-bit hashes; memory is bounded by `maxEntries`.
 */

export interface CacheRule {
  readonly minTokens: number;
  readonly stepTokens: number;
}

const RULES: readonly (readonly [RegExp, CacheRule | undefined])[] = [
  // OpenAI caches prompts of 1,024 tokens and more, in 128-token steps (gpt-4o and later, o-series).
  [/^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt)/, { minTokens: 1024, stepTokens: 128 }],
  // Gemini 2.5 and later cache implicitly: 1,024 tokens for Flash, 4,096 for Pro.
  [/^gemini-(2\.5|[3-9])[\w.-]*-pro/, { minTokens: 4096, stepTokens: 128 }],
  [/^gemini-(2\.5|[3-9])/, { minTokens: 1024, stepTokens: 128 }],
];

/** The implicit-caching rule of a model, if it has one. */
export function implicitRule(model: string): CacheRule | undefined {
  return RULES.find(([re]) => re.test(model))?.[1];
}

/** Anthropic's smallest cacheable prefix for a model. */
export function anthropicMinTokens(model: string): number {
  if (/claude-(opus-4-[5-9]|opus-[5-9]|haiku-4)/.test(model)) return 4096;
  if (/claude-(sonnet-4-6|3-haiku|3-5-haiku)/.test(model)) return 2048;
  return 1024;
}

export interface CacheResult {
  readonly readTokens: number;
  readonly writeTokens: number;
}

export class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Implicit caching: the longest cached prefix of `text` (tokens), then remembers this request's prefixes. */
  implicit(model: string, text: string, rule: CacheRule): CacheResult {
    const step = rule.stepTokens * CHARS_PER_TOKEN;
    const first = rule.minTokens * CHARS_PER_TOKEN;
    if (text.length < first) return { readTokens: 0, writeTokens: 0 };
    const boundaries: number[] = [];
    for (let b = first; b <= text.length; b += step) boundaries.push(b);
    const keys = prefixKeys(text, boundaries).map((k) => `${model}\x1f${k}`);
    const t = this.now();
    let hit = 0;
    keys.forEach((k, i) => {
      const at = this.entries.get(k);
      if (at !== undefined && t - at <= this.ttlMs) hit = boundaries[i]!;
    });
    for (const k of keys) this.remember(k, t);
    return { readTokens: Math.floor(hit / CHARS_PER_TOKEN), writeTokens: 0 };
  }

  /** Explicit caching of the prefix up to a breakpoint: a read when cached, else a write. */
  explicit(model: string, text: string, breakpointChars: number, minTokens: number): CacheResult {
    const chars = Math.min(breakpointChars, text.length);
    const tokens = Math.floor(chars / CHARS_PER_TOKEN);
    if (chars === 0 || tokens < minTokens) return { readTokens: 0, writeTokens: 0 };
    const key = `${model}\x1f!${prefixKeys(text, [chars])[0]!}`;
    const t = this.now();
    const at = this.entries.get(key);
    this.remember(key, t);
    return at !== undefined && t - at <= this.ttlMs
      ? { readTokens: tokens, writeTokens: 0 }
      : { readTokens: 0, writeTokens: tokens };
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, t: number): void {
    this.entries.delete(key);
    this.entries.set(key, t);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

/** Fingerprints of text.slice(0, b) for each boundary b (ascending), in one pass. */
function prefixKeys(text: string, boundaries: readonly number[]): string[] {
  const out: string[] = [];
  let h1 = 0x811c9dc5;
  let h2 = 5381;
  let next = 0;
  for (let i = 0; i < text.length && next < boundaries.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = (Math.imul(h2, 33) + c) | 0;
    while (next < boundaries.length && i + 1 === boundaries[next]) {
      out.push(`${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${i + 1}`);
      next++;
    }
  }
  return out;
}
