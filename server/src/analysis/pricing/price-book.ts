/**
 * Prices as the store holds them (`model_prices`, from @pydantic/genai-prices, and the user's
 * overrides): what a call would cost at another model's prices, the cache multipliers, and the
 * cheaper model of the same provider a simple task could use. No price is written in this file.
 */

export interface ModelPrice {
  /** genai-prices provider id (openai, anthropic, google …); '*' for an override of any provider. */
  readonly provider: string;
  readonly model: string;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cacheReadPerMTok: number;
  readonly cacheWritePerMTok: number;
  readonly tierThreshold: number;
  readonly tierInputPerMTok: number;
  readonly tierOutputPerMTok: number;
  readonly source: 'library' | 'override';
}

/** The tokens of one call, as priced. */
export interface TokenUse {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

/** gen_ai.provider.name (as genai_calls normalises it) → genai-prices provider id, as the view maps it. */
export function priceProvider(provider: string): string {
  if (provider.startsWith('gcp.')) return 'google';
  if (provider === 'aws.bedrock') return 'aws';
  if (provider.startsWith('azure.')) return 'azure';
  if (provider === 'mistral_ai') return 'mistral';
  if (provider === 'x_ai') return 'x-ai';
  if (provider === 'ibm.watsonx.ai') return '';
  return provider;
}

/** Models that are not general text chat models, never proposed as a cheaper substitute. */
const NOT_CHAT =
  /(tts|audio|realtime|transcribe|image|embedding|vision|search|computer|codex|live|omni|ft:|instruct|moderation|whisper|dall|davinci|babbage|curie|^ada|deep-research|:|safeguard|gemma|oss)/;

/** Models already in their family's small tier: never called overkill. */
const SMALL_TIER = /(^|-)(mini|nano|haiku|lite|luna|8b|small|tiny)(-|$)/;

/**
 * How model families name their cheaper tiers (names only; the prices come from the table).
 * Each rule proposes candidate names, best first; the first one the table knows and that is at
 * least twice cheaper wins.
 */
function siblingNames(model: string): string[] {
  const out: string[] = [];
  const m = model;
  // Anthropic: opus/sonnet → haiku of the same version.
  if (/opus|sonnet/.test(m)) out.push(m.replace(/opus|sonnet/, 'haiku'));
  // Google: pro → flash → flash-lite (with and without -preview).
  if (/-pro(-preview)?$/.test(m)) {
    const base = m.replace(/-pro(-preview)?$/, '');
    out.push(`${base}-flash`, `${base}-flash-preview`, `${base}-flash-lite`, `${base}-flash-lite-preview`);
  } else if (/-flash(-preview)?$/.test(m)) {
    const base = m.replace(/-flash(-preview)?$/, '');
    out.push(`${base}-flash-lite`, `${base}-flash-lite-preview`);
  }
  // OpenAI: -pro → base; base → -mini → -nano; sol → terra → luna.
  if (/^(gpt|o\d|chatgpt)/.test(m)) {
    const base = m.replace(/-(pro|mini|nano)$/, '');
    if (m.endsWith('-pro')) out.push(base, `${base}-mini`);
    else if (m.endsWith('-mini')) out.push(`${base}-nano`);
    else if (!m.endsWith('-nano')) out.push(`${base}-mini`, `${base}-nano`);
    if (m.endsWith('-sol')) out.push(m.replace(/-sol$/, '-terra'), m.replace(/-sol$/, '-luna'));
    if (m.endsWith('-terra')) out.push(m.replace(/-terra$/, '-luna'));
  }
  return out;
}

/** The version number in a model name (claude-haiku-4-5 → 4.5, claude-3-5-haiku → 3.5). */
function versionOf(model: string): number {
  const m = /(\d+)(?:[-.](\d))?/.exec(model);
  return m ? Number(m[1]) + Number(m[2] ?? 0) / 10 : 0;
}

export class PriceBook {
  private readonly byKey = new Map<string, ModelPrice>();
  private readonly byModel = new Map<string, ModelPrice>();
  private readonly byProvider = new Map<string, ModelPrice[]>();

  constructor(prices: readonly ModelPrice[]) {
    for (const p of prices) {
      const key = `${p.provider}/${p.model}`;
      // Overrides come first in the input and win; the library's first rule for a name wins.
      if (!this.byKey.has(key)) this.byKey.set(key, p);
      if (!this.byModel.has(p.model)) this.byModel.set(p.model, p);
      const list = this.byProvider.get(p.provider) ?? [];
      list.push(p);
      this.byProvider.set(p.provider, list);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The price of a call: by its provider and priced model, else by the model alone. */
  priceOf(provider: string, priceModel: string): ModelPrice | undefined {
    if (priceModel === '') return undefined;
    return this.byKey.get(`${priceProvider(provider)}/${priceModel}`) ?? this.byModel.get(priceModel);
  }

  /** What the tokens cost at a price (USD), as the genai_calls view computes it. */
  cost(use: TokenUse, price: ModelPrice): number {
    const tier = price.tierThreshold > 0 && use.inputTokens > price.tierThreshold;
    const input = tier ? price.tierInputPerMTok : price.inputPerMTok;
    const output = tier ? price.tierOutputPerMTok : price.outputPerMTok;
    const uncached = Math.max(use.inputTokens - use.cacheReadTokens - use.cacheWriteTokens, 0);
    return (
      (uncached * input +
        use.cacheReadTokens * price.cacheReadPerMTok +
        use.cacheWriteTokens * price.cacheWritePerMTok +
        use.outputTokens * output) /
      1e6
    );
  }

  /**
   * A cheaper model of the same provider for a simple task: the family's next tier down that the
   * table knows and that costs at most half as much for this call's tokens.
   */
  cheaperModel(provider: string, current: ModelPrice, use: TokenUse): ModelPrice | undefined {
    if (SMALL_TIER.test(current.model)) return undefined;
    const pp = current.provider === '*' ? priceProvider(provider) : current.provider;
    const models = (this.byProvider.get(pp) ?? []).filter(
      (p) => !NOT_CHAT.test(p.model) && p.inputPerMTok > 0 && p.outputPerMTok > 0,
    );
    const known = new Map(models.map((p) => [p.model, p]));
    const now = this.cost(use, current);
    if (now <= 0) return undefined;
    const cheapEnough = (p: ModelPrice | undefined): p is ModelPrice => !!p && this.cost(use, p) <= now / 2;
    for (const name of siblingNames(current.model)) {
      const p = known.get(name);
      if (cheapEnough(p)) return p;
    }
    // Anthropic: the newest haiku when the same version has none.
    if (/opus|sonnet/.test(current.model)) {
      const haikus = models
        .filter((p) => p.model.includes('haiku'))
        .sort((a, b) => versionOf(b.model) - versionOf(a.model));
      const best = haikus.find((p) => cheapEnough(p));
      if (best) return best;
    }
    return undefined;
  }
}
