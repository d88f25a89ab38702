import type { ModelPrice } from './price-book.js';
import { priceProvider } from './price-book.js';

/**
 * Provider prompt caching: the minimum cacheable prefix, how long a cached prefix lives, and the
 * hit ratio to expect. Prices and multipliers come from the price table (cache read and write per
 * million tokens); only these behavioural facts are constants. Sources: reference/waste-analysis.md
 * §1.4 (OpenAI prompt-caching guide and cookbook, Anthropic prompt-caching docs, Google context
 * caching docs; an independent OpenAI measurement, effloow lab, June 2026).
 */
export interface CachePolicy {
  /** Smallest prefix (tokens) the provider caches. */
  readonly minTokens: number;
  /** A cached prefix survives this long without use (ms). */
  readonly ttlMs: number;
  /**
   * The share of eligible calls (same prefix, within the TTL of the previous one) expected to hit.
   * Never 1: OpenAI's and Gemini's implicit caches are best effort (the measurement above saw 9 of
   * 14 calls hit on a 3.7K-token prefix and 0 of 15 on a 1.3K one); Anthropic's explicit
   * breakpoints hit reliably inside the TTL, but concurrent first calls all write.
   */
  readonly hitRatio: number;
  /** How to turn it on, for the recommendation. */
  readonly how: string;
}

const MINUTE = 60_000;

const OPENAI: CachePolicy = {
  minTokens: 1024,
  ttlMs: 5 * MINUTE,
  hitRatio: 0.5,
  how: 'OpenAI caches automatically: keep the static part byte-identical at the very start of the request (no timestamps or ids before it) and set prompt_cache_key per workflow',
};

const ANTHROPIC: CachePolicy = {
  minTokens: 1024,
  ttlMs: 5 * MINUTE,
  hitRatio: 0.9,
  how: 'add a cache_control breakpoint after the static prefix (5-minute cache; writes cost 1.25x, reads a fraction of the input price)',
};

const GOOGLE: CachePolicy = {
  minTokens: 2048,
  ttlMs: 5 * MINUTE,
  hitRatio: 0.5,
  how: "keep the static part first and identical so Gemini's implicit cache can hit (or create an explicit cache for heavy reuse)",
};

/** Minimum cacheable tokens by model where it differs from the provider's default. */
const MIN_TOKENS_BY_MODEL: readonly (readonly [RegExp, number])[] = [
  // Anthropic: 4,096 for Opus 4.5/4.6 and Haiku 4.5; 2,048 for Sonnet 4.6 and Haiku 3/3.5.
  [/claude-(opus-4-[5-9]|opus-[5-9]|haiku-4)/, 4096],
  [/claude-(sonnet-4-6|3-haiku|3-5-haiku)/, 2048],
  // Gemini: 1,024 for 2.5 Flash and 3 Flash, 4,096 for 2.5 Pro and 3 Pro.
  [/gemini-[\d.]+-flash/, 1024],
  [/gemini-[\d.]+-pro/, 4096],
];

export function cachePolicy(provider: string, model: string): CachePolicy | undefined {
  const pp = priceProvider(provider);
  const base =
    pp === 'openai' || pp === 'azure' ? OPENAI : pp === 'anthropic' ? ANTHROPIC : pp === 'google' ? GOOGLE : undefined;
  if (!base) return undefined;
  const special = MIN_TOKENS_BY_MODEL.find(([re]) => re.test(model));
  return special ? { ...base, minTokens: special[1] } : base;
}

/**
 * The saving (USD) of caching a static prefix of `prefixTokens` over calls starting at `startsMs`
 * (ascending), none of which reads from a cache today. A call whose previous one is older than the
 * TTL always misses (and writes); the others hit with the policy's hit ratio.
 */
export function prefixCacheSaving(
  prefixTokens: number,
  startsMs: readonly number[],
  price: ModelPrice,
  policy: CachePolicy,
): { savingUSD: number; eligibleCalls: number; perCallUSD: number[] } {
  const input = price.inputPerMTok / 1e6;
  const read = price.cacheReadPerMTok / 1e6;
  const write = Math.max(price.cacheWritePerMTok, price.inputPerMTok) / 1e6;
  const perCallUSD: number[] = [];
  let eligibleCalls = 0;
  startsMs.forEach((start, i) => {
    const prev = i > 0 ? startsMs[i - 1]! : undefined;
    const eligible = prev !== undefined && start - prev <= policy.ttlMs;
    if (eligible) eligibleCalls++;
    const h = eligible ? policy.hitRatio : 0;
    const withCache = prefixTokens * (h * read + (1 - h) * write);
    perCallUSD.push(prefixTokens * input - withCache);
  });
  return { savingUSD: perCallUSD.reduce((a, b) => a + b, 0), eligibleCalls, perCallUSD };
}
