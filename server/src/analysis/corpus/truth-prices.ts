/**
 * List prices (USD per million tokens) of the models the corpus uses, copied from the providers'
 * pages as @pydantic/genai-prices 0.1.8 records them (reference/waste-analysis.md §4). The corpus
 * computes its true savings with these — independently of the price table the engine reads, so the
 * benchmark also catches a pricing mismatch.
 */
export interface TruthPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  /** Cache write price; equals input where writes cost nothing extra. */
  readonly cacheWrite: number;
}

export const TRUTH_PRICES: Readonly<Record<string, TruthPrice>> = {
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1, cacheWrite: 0.4 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0.1 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 2.5 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite: 0.15 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0.3 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cacheRead: 0.01, cacheWrite: 0.1 },
};

export function truthPrice(model: string): TruthPrice {
  const p = TRUTH_PRICES[model];
  if (!p) throw new RangeError(`No corpus price for ${model}`);
  return p;
}

/** USD for a call's tokens at list price. */
export function truthCost(model: string, input: number, output: number, cacheRead = 0): number {
  const p = truthPrice(model);
  return ((input - cacheRead) * p.input + cacheRead * p.cacheRead + output * p.output) / 1e6;
}
