import { SUMMARY_SHARE } from '../../detectors/history-growth.detector.js';
import { cachePolicy, prefixCacheSaving } from '../../pricing/cache-economics.js';
import type { CorpusModelCall, TruthLabel } from '../corpus.types.js';
import { MESSAGE_OVERHEAD, tokensOfText } from '../trace-builder.js';
import { truthCost, truthPrice } from '../truth-prices.js';

/**
 * True savings of each kind of waste, from the corpus's exact token counts and list prices. Where a
 * saving is an expectation (prompt caching hits, a summary replacing old turns) the documented
 * policy is applied to the exact numbers; the detectors must estimate the same from spans alone.
 */

export function duplicateLabel(subkind: 'exact' | 'near', calls: readonly CorpusModelCall[], note: string): TruthLabel {
  const [, ...repeats] = calls;
  return {
    kind: 'redundant_call',
    subkind,
    spanIds: calls.map((c) => c.spanId),
    savingBySpan: Object.fromEntries(repeats.map((c) => [c.spanId, c.costUSD])),
    note,
  };
}

export function overkillLabel(calls: readonly CorpusModelCall[], cheaper: string, note: string): TruthLabel {
  return {
    kind: 'model_overkill',
    subkind: '',
    spanIds: calls.map((c) => c.spanId),
    savingBySpan: Object.fromEntries(
      calls.map((c) => [c.spanId, c.costUSD - truthCost(cheaper, c.inputTokens, c.outputTokens, c.cacheReadTokens)]),
    ),
    note,
  };
}

/** Prompt caching of a system prompt shared by `calls` (none reading a cache today). */
export function prefixLabel(calls: readonly CorpusModelCall[], note: string): TruthLabel {
  const first = calls[0]!;
  const p = truthPrice(first.model);
  const policy = cachePolicy(first.provider, first.model);
  if (!policy) throw new RangeError(`no cache policy for ${first.provider}`);
  const prefixTokens = tokensOfText(first.system) + MESSAGE_OVERHEAD;
  const price = {
    provider: '',
    model: first.model,
    inputPerMTok: p.input,
    outputPerMTok: p.output,
    cacheReadPerMTok: p.cacheRead,
    cacheWritePerMTok: p.cacheWrite,
    tierThreshold: 0,
    tierInputPerMTok: 0,
    tierOutputPerMTok: 0,
    source: 'library' as const,
  };
  const r = prefixCacheSaving(
    prefixTokens,
    calls.map((c) => c.startMs),
    price,
    policy,
  );
  const positive = r.perCallUSD.reduce((s, v) => s + Math.max(v, 0), 0);
  return {
    kind: 'prompt_bloat',
    subkind: 'uncached_prefix',
    spanIds: calls.map((c) => c.spanId),
    savingBySpan: Object.fromEntries(
      calls.flatMap((c, i) => (r.perCallUSD[i]! > 0 ? [[c.spanId, (r.perCallUSD[i]! * r.savingUSD) / positive]] : [])),
    ),
    note,
  };
}

/** A conversation resending its history: a window keeping the first and the last `keep` messages. */
export function historyLabel(turns: readonly CorpusModelCall[], keep: number, note: string): TruthLabel {
  const saving: Record<string, number> = {};
  for (const c of turns) {
    const m = c.messages;
    if (m.length <= keep + 1) continue;
    let dropped = 0;
    for (let i = 1; i < m.length - keep; i++) dropped += tokensOfText(m[i]!.content) + MESSAGE_OVERHEAD;
    saving[c.spanId] = (dropped * (1 - SUMMARY_SHARE) * truthPrice(c.model).input) / 1e6;
  }
  return {
    kind: 'prompt_bloat',
    subkind: 'history_growth',
    spanIds: turns.map((c) => c.spanId),
    savingBySpan: saving,
    note,
  };
}

/** Context blocks the answer does not use, by call: the blocks' text. */
export function unusedLabel(
  calls: readonly { call: CorpusModelCall; unused: readonly string[] }[],
  note: string,
): TruthLabel {
  return {
    kind: 'prompt_bloat',
    subkind: 'unused_context',
    spanIds: calls.map((c) => c.call.spanId),
    savingBySpan: Object.fromEntries(
      calls.map(({ call, unused }) => [
        call.spanId,
        (unused.reduce((s, t) => s + tokensOfText(t), 0) * truthPrice(call.model).input) / 1e6,
      ]),
    ),
    note,
  };
}

export function examplesLabel(
  calls: readonly CorpusModelCall[],
  examplesText: string,
  count: number,
  keep: number,
  note: string,
): TruthLabel {
  const tokens = tokensOfText(examplesText);
  return {
    kind: 'prompt_bloat',
    subkind: 'oversized_examples',
    spanIds: calls.map((c) => c.spanId),
    savingBySpan: Object.fromEntries(
      calls.map((c) => [c.spanId, (tokens * ((count - keep) / count) * truthPrice(c.model).input) / 1e6]),
    ),
    note,
  };
}

export function retryLabel(failed: readonly CorpusModelCall[], retry: CorpusModelCall, note: string): TruthLabel {
  return {
    kind: 'retry_waste',
    subkind: '',
    spanIds: [...failed.map((c) => c.spanId), retry.spanId],
    savingBySpan: Object.fromEntries(failed.map((c) => [c.spanId, c.costUSD])),
    note,
  };
}

export function loopLabel(
  toolSpanIds: readonly string[],
  wasted: readonly CorpusModelCall[],
  note: string,
): TruthLabel {
  return {
    kind: 'agent_loop',
    subkind: '',
    spanIds: [...toolSpanIds, ...wasted.map((c) => c.spanId)],
    savingBySpan: Object.fromEntries(wasted.map((c) => [c.spanId, c.costUSD])),
    note,
  };
}
