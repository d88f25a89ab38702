import type { MatchLogic, ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices';

/**
 * Turns @pydantic/genai-prices' match logic into the regular expressions ClickHouse's REGEXP_TREE
 * dictionary matches (Vectorscan/RE2 syntax: no look-arounds, no back-references). Keys are lower
 * case: `provider/model` for model rules, `model` for provider rules. A library rule of the form
 * "A and not X" (a negative look-ahead) becomes the pattern A with X as a separate exclusion.
 */

export interface RuleRegex {
  /** Matches the lower-case model name from its start (anchor it yourself). */
  readonly pattern: string;
  /** A model matching this (anchored) regex skips the rule; '' when none. */
  readonly exclude: string;
}

export class UnsupportedMatchError extends Error {
  override readonly name = 'UnsupportedMatchError';
}

const META = /[.*+?^${}()|[\]\\]/g;

export function escapeRegex(literal: string): string {
  return literal.replace(META, '\\$&');
}

/** Lower-cases a regex's literal characters (keys are lower case), leaving escapes like \D alone. */
export function lowerRegex(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      out += c + re[i + 1]!;
      i++;
    } else {
      out += c.toLowerCase();
    }
  }
  return out;
}

/** Index of the ')' closing the group opened at `open`, honouring escapes and [classes]. */
function closingParen(re: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const LOOKAROUND = /\(\?<?[=!]/;

function fromRegex(re: string): RuleRegex {
  if (LOOKAROUND.test(re)) {
    // Only a leading negative look-ahead is supported: ^(?!X)rest  →  rest, excluding ^X.
    const close = re.startsWith('^(?!') ? closingParen(re, 1) : -1;
    const inner = close < 0 ? '' : re.slice(4, close);
    const rest = close < 0 ? '' : re.slice(close + 1);
    if (close < 0 || LOOKAROUND.test(inner) || LOOKAROUND.test(rest)) {
      throw new UnsupportedMatchError(`Unsupported regex (look-around): ${re}`);
    }
    return { pattern: rest === '' ? '' : lowerRegex(rest), exclude: `^(?:${lowerRegex(inner)})` };
  }
  if (/\\[1-9]/.test(re)) throw new UnsupportedMatchError(`Unsupported regex (back-reference): ${re}`);
  return { pattern: re.startsWith('^') ? lowerRegex(re.slice(1)) : `.*(?:${lowerRegex(re)})`, exclude: '' };
}

/**
 * One rule per alternative when an alternative carries an exclusion (an exclusion applies to a
 * whole rule); otherwise a single rule whose pattern is the alternation.
 */
export function matchToRegexes(m: MatchLogic): RuleRegex[] {
  if ('or' in m) {
    const parts = m.or.flatMap(matchToRegexes);
    if (parts.every((x) => x.exclude === '')) {
      return [{ pattern: `(?:${parts.map((x) => x.pattern).join('|')})`, exclude: '' }];
    }
    return parts;
  }
  if ('and' in m) {
    const parts = m.and.flatMap(matchToRegexes);
    const positive = parts.filter((x) => x.pattern !== '');
    const excludes = parts.filter((x) => x.exclude !== '').map((x) => x.exclude);
    if (positive.length !== 1) throw new UnsupportedMatchError('"and" needs exactly one positive condition');
    return [{ pattern: positive[0]!.pattern, exclude: excludes.length === 0 ? '' : `(?:${excludes.join('|')})` }];
  }
  if ('equals' in m) return [{ pattern: `${escapeRegex(m.equals.toLowerCase())}$`, exclude: '' }];
  if ('starts_with' in m) return [{ pattern: escapeRegex(m.starts_with.toLowerCase()), exclude: '' }];
  if ('ends_with' in m) return [{ pattern: `.*${escapeRegex(m.ends_with.toLowerCase())}$`, exclude: '' }];
  if ('contains' in m) return [{ pattern: `.*${escapeRegex(m.contains.toLowerCase())}`, exclude: '' }];
  if ('regex' in m) return [fromRegex(m.regex)];
  throw new UnsupportedMatchError(`Unknown match logic: ${JSON.stringify(m)}`);
}

/** The single rule a match logic becomes; throws when it needs several (see matchToRegexes). */
export function matchToRegex(m: MatchLogic): RuleRegex {
  const rules = matchToRegexes(m);
  if (rules.length !== 1) throw new UnsupportedMatchError('This match logic needs several rules');
  return rules[0]!;
}

export interface TokenPrices {
  /** USD per call, charged whatever the tokens (requests_kcount / 1000). */
  readonly perRequest: number;
  /** Reasoning tokens' price when it differs from output's (output_reasoning_mtok). */
  readonly reasoning: number;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly tierThreshold: number;
  readonly tierInput: number;
  readonly tierOutput: number;
  readonly tierCacheRead: number;
  readonly tierCacheWrite: number;
}

type PriceValue = ModelPrice[string];

function base(v: PriceValue): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object') return v.base;
  return undefined;
}

function tier(v: PriceValue): { start: number; price: number } | undefined {
  if (v && typeof v === 'object' && v.tiers.length > 0) {
    const sorted = [...v.tiers].sort((a, b) => a.start - b.start);
    return sorted[0];
  }
  return undefined;
}

/** The model's price now: the newest start_date price in force; time-of-day prices use the default. */
export function currentPrice(model: ModelInfo, now: Date): ModelPrice {
  if (!Array.isArray(model.prices)) return model.prices;
  for (let i = model.prices.length - 1; i >= 0; i--) {
    const c = model.prices[i]!;
    if (!c.constraint) return c.prices;
    if (c.constraint.type === 'start_date' && now >= new Date(c.constraint.start_date)) return c.prices;
  }
  return model.prices[0]!.prices;
}

/**
 * Token prices per million (0 where the library has none: free models, and models priced by other
 * units such as audio hours); cache prices fall back to the input price.
 */
export function tokenPrices(price: ModelPrice): TokenPrices {
  const input = base(price['input_mtok']);
  const output = base(price['output_mtok']);
  const i = input ?? 0;
  const cacheRead = base(price['cache_read_mtok']) ?? i;
  const cacheWrite = base(price['cache_write_mtok']) ?? i;
  const tiers = (['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok'] as const).map((k) =>
    tier(price[k]),
  );
  const threshold = Math.min(...tiers.filter((t) => t !== undefined).map((t) => t.start));
  const at = (k: number, fallback: number) => tiers[k]?.price ?? fallback;
  return {
    perRequest: (base(price['requests_kcount']) ?? 0) / 1000,
    reasoning: base(price['output_reasoning_mtok']) ?? output ?? 0,
    input: i,
    output: output ?? 0,
    cacheRead,
    cacheWrite,
    tierThreshold: Number.isFinite(threshold) ? threshold : 0,
    tierInput: at(0, i),
    tierOutput: at(1, output ?? 0),
    tierCacheRead: at(2, tiers[0] && price['cache_read_mtok'] === undefined ? at(0, i) : cacheRead),
    tierCacheWrite: at(3, tiers[0] && price['cache_write_mtok'] === undefined ? at(0, i) : cacheWrite),
  };
}

export interface PriceRuleRow {
  readonly Kind: 'model' | 'provider';
  readonly Provider: string;
  readonly Model: string;
  readonly Name: string;
  readonly Ordinal: number;
  readonly MatchRegex: string;
  readonly ExcludeRegex: string;
  readonly InputPerMTok: number;
  readonly OutputPerMTok: number;
  readonly CacheReadPerMTok: number;
  readonly CacheWritePerMTok: number;
  readonly TierThreshold: number;
  readonly TierInputPerMTok: number;
  readonly TierOutputPerMTok: number;
  readonly TierCacheReadPerMTok: number;
  readonly TierCacheWritePerMTok: number;
  readonly ReasoningPerMTok: number;
  readonly PerRequestUSD: number;
  readonly ContextWindow: number;
}

/** Every price column at zero: a provider row, or an override that removes one. */
export const NO_PRICES = {
  InputPerMTok: 0,
  OutputPerMTok: 0,
  CacheReadPerMTok: 0,
  CacheWritePerMTok: 0,
  TierThreshold: 0,
  TierInputPerMTok: 0,
  TierOutputPerMTok: 0,
  TierCacheReadPerMTok: 0,
  TierCacheWritePerMTok: 0,
  ReasoningPerMTok: 0,
  PerRequestUSD: 0,
} as const;

export interface BuildResult {
  readonly rows: PriceRuleRow[];
  /** Models whose match logic cannot be expressed for ClickHouse, with the reason. */
  readonly skipped: { provider: string; model: string; reason: string }[];
}

/**
 * One row per (provider, model) in the library's order, followed by the models of the provider's
 * fallback providers (Azure serves OpenAI's models, say), and one 'provider' row per provider.
 */
export function buildLibraryPriceRows(providers: readonly Provider[], now: Date = new Date()): BuildResult {
  const rows: PriceRuleRow[] = [];
  const skipped: BuildResult['skipped'] = [];
  const byId = new Map(providers.map((p) => [p.id, p]));
  let ordinal = 0;
  for (const provider of providers) {
    const prefix = `^${escapeRegex(provider.id.toLowerCase())}/`;
    const chain = [provider, ...(provider.fallback_model_providers ?? []).map((id) => byId.get(id)).filter((p) => !!p)];
    for (const source of chain) {
      for (const model of source.models) {
        const prices = tokenPrices(currentPrice(model, now));
        let rules: RuleRegex[];
        try {
          rules = matchToRegexes(model.match);
        } catch (e) {
          skipped.push({ provider: provider.id, model: model.id, reason: (e as Error).message });
          continue;
        }
        for (const rx of rules)
          rows.push({
            Kind: 'model',
            Provider: provider.id,
            Model: model.id,
            Name: model.name ?? model.id,
            Ordinal: ordinal++,
            MatchRegex: `${prefix}(?:${rx.pattern})`,
            ExcludeRegex: rx.exclude,
            InputPerMTok: prices.input,
            OutputPerMTok: prices.output,
            CacheReadPerMTok: prices.cacheRead,
            CacheWritePerMTok: prices.cacheWrite,
            TierThreshold: prices.tierThreshold,
            TierInputPerMTok: prices.tierInput,
            TierOutputPerMTok: prices.tierOutput,
            TierCacheReadPerMTok: prices.tierCacheRead,
            TierCacheWritePerMTok: prices.tierCacheWrite,
            ReasoningPerMTok: prices.reasoning,
            PerRequestUSD: prices.perRequest,
            ContextWindow: model.context_window ?? 0,
          });
      }
    }
    if (provider.model_match) {
      try {
        const rx = matchToRegex(provider.model_match);
        rows.push({
          Kind: 'provider',
          Provider: provider.id,
          Model: '',
          Name: provider.name,
          Ordinal: ordinal++,
          MatchRegex: `^(?:${rx.pattern})`,
          ExcludeRegex: rx.exclude,
          ...NO_PRICES,
          ContextWindow: 0,
        });
      } catch (e) {
        skipped.push({ provider: provider.id, model: '', reason: (e as Error).message });
      }
    }
  }
  return { rows, skipped };
}

/**
 * The rule for a user's price: an exact model name also matches its dated and `-latest` variants
 * (gpt-4o → gpt-4o-2024-08-06); a pattern is a regex over the model name. Provider '*' matches any.
 */
export function overrideMatchRegex(provider: string, model: string, isPattern: boolean): string {
  const prov = provider === '*' ? '[^/]*' : escapeRegex(provider.toLowerCase());
  if (isPattern) {
    const rx = fromRegex(model.startsWith('^') ? model : `^${model}`);
    if (rx.exclude !== '') throw new UnsupportedMatchError('Look-arounds are not supported in price patterns');
    return `^${prov}/(?:${rx.pattern})`;
  }
  return `^${prov}/${escapeRegex(model.toLowerCase())}(?:[-@:]\\d{4}-?\\d{2}-?\\d{2}|-latest)?$`;
}
