import type { CallRecord, DraftFinding } from '../analysis.types.js';
import { modelOf, refs, round, tokens, usd } from '../findings/format.js';
import { cachePolicy, prefixCacheSaving } from '../pricing/cache-economics.js';
import type { DetectorContext } from './detector.context.js';
import { commonPrefixChars, requestChars, tokensOf } from './token-share.js';

/**
 * prompt_bloat/uncached_prefix: calls to one model that start with the same static text (system
 * prompt, plus whatever the requests share at their start) at or above the provider's minimum
 * cacheable size, none of them reading from the provider's prompt cache. The saving applies the
 * model's cache read/write prices from the price table and a realistic hit ratio (never 100 %):
 * only calls within the cache's lifetime of the previous one can hit.
 */
export function detectUncachedPrefix(ctx: DetectorContext): DraftFinding[] {
  const groups = new Map<string, CallRecord[]>();
  for (const c of ctx.run.calls) {
    if (!c.hasContent || c.isError || c.operation === 'embeddings' || c.priceModel === '') continue;
    const key = `${c.provider}\x1f${c.priceModel}\x1f${c.systemHash}`;
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  const findings: DraftFinding[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    // Calls that already read from a cache are being cached: nothing to recommend for them.
    const uncached = group.filter((c) => c.cacheReadTokens === 0);
    if (uncached.length < 2 || uncached.length < group.length / 2) continue;
    const first = uncached[0]!;
    const price = ctx.priceOf(first);
    const policy = cachePolicy(first.provider, first.priceModel);
    if (!price || !policy || price.cacheReadPerMTok >= price.inputPerMTok) continue;

    const sharedPrompt = commonPrefixChars(uncached.map((c) => c.promptText));
    const prefixChars = first.systemRaw.length + sharedPrompt;
    const prefixTokens =
      uncached.reduce((s, c) => s + tokensOf(c, c.systemRaw.length + sharedPrompt), 0) / uncached.length;
    if (prefixTokens < policy.minTokens) continue;

    const starts = uncached.map((c) => c.startMs);
    const result = prefixCacheSaving(prefixTokens, starts, price, policy);
    if (result.savingUSD <= 0 || result.eligibleCalls === 0) continue;
    const positive = result.perCallUSD.reduce((s, v) => s + Math.max(v, 0), 0);
    const saving = new Map<string, number>();
    uncached.forEach((c, i) => {
      const v = result.perCallUSD[i]!;
      if (v > 0) saving.set(c.spanId, (v * result.savingUSD) / positive);
    });
    const prefixCost = (uncached.length * prefixTokens * price.inputPerMTok) / 1e6;
    const model = modelOf(first);
    const share = prefixChars / Math.max(requestChars(first), 1);
    findings.push({
      kind: 'prompt_bloat',
      subkind: 'uncached_prefix',
      title: `Calls ${refs(uncached)} resend a ${tokens(prefixTokens)} prefix without prompt caching`,
      evidence:
        `${uncached.length} calls to ${model} start with the same ${tokens(prefixTokens)} ` +
        `(${Math.round(share * 100)} % of each request) and none reads from the prompt cache. ` +
        `${result.eligibleCalls} of them come within ${policy.ttlMs / 60_000} minutes of the previous one; at a ` +
        `${Math.round(policy.hitRatio * 100)} % hit ratio and ${model}'s cache prices the prefix would cost ` +
        `${usd(prefixCost - result.savingUSD)} instead of ${usd(prefixCost)}.`,
      evidenceData: {
        prefixTokens: Math.round(prefixTokens),
        prefixChars,
        calls: uncached.length,
        eligibleCalls: result.eligibleCalls,
        minCacheableTokens: policy.minTokens,
        hitRatio: policy.hitRatio,
        ttlMinutes: policy.ttlMs / 60_000,
        prices: {
          inputPerMTok: price.inputPerMTok,
          cacheReadPerMTok: price.cacheReadPerMTok,
          cacheWritePerMTok: price.cacheWritePerMTok,
        },
        prefixCostUSD: round(prefixCost),
      },
      recommendation: `Enable prompt caching for the static prefix: ${policy.how} — saves about ${usd(result.savingUSD)} per run.`,
      spanIds: uncached.map((c) => c.spanId),
      savingBySpan: saving,
      wasteCostUSD: prefixCost,
      confidence: 0.8,
      detectedBy: 'local',
      key: `prompt_bloat:uncached_prefix:${first.spanId}`,
      models: [model],
    });
  }
  return findings;
}
