import type { CallRecord, RunData } from '../analysis.types.js';
import type { AnalysisOptions } from '../analysis.options.js';
import type { PriceBook } from '../pricing/price-book.js';
import { canonicalize, combine, Vocabulary, type CanonicalText } from '../text/canonical.js';
import { findChains, type Chains } from './conversation-chains.js';

/**
 * What every detector receives: the run, prices, options, and a shared cache of canonical texts
 * (a request's text is tokenised once per analysis, whichever detectors read it).
 */
export class DetectorContext {
  readonly vocab = new Vocabulary();
  private readonly promptCache = new Map<string, CanonicalText>();
  private readonly textCache = new Map<string, CanonicalText>();
  private chainsCache: Chains | undefined;

  constructor(
    readonly run: RunData,
    readonly prices: PriceBook,
    readonly options: AnalysisOptions,
  ) {}

  /** Conversations of the run (computed once). */
  get chains(): Chains {
    this.chainsCache ??= findChains(this.run.calls);
    return this.chainsCache;
  }

  /**
   * The canonical form of a call's request: its non-system messages — for a long conversation the
   * task (first message) and the latest two turns, which is what makes two requests the same ask.
   */
  prompt(call: CallRecord): CanonicalText {
    let c = this.promptCache.get(call.spanId);
    if (!c) {
      const m = call.messages;
      const parts = m.length > 3 ? [m[0]!, ...m.slice(-2)] : m;
      c = parts.length === 0 ? this.text('') : combine(parts.map((x) => this.text(x.text)));
      this.promptCache.set(call.spanId, c);
    }
    return c;
  }

  /** The canonical form of any text (system prompts, answers, context blocks), cached. */
  text(text: string): CanonicalText {
    let c = this.textCache.get(text);
    if (!c) {
      c = canonicalize(text, this.vocab);
      this.textCache.set(text, c);
    }
    return c;
  }

  /** The price of a call's tokens at its own model, or undefined when the call is unpriced. */
  priceOf(call: CallRecord) {
    return this.prices.priceOf(call.provider, call.priceModel);
  }

  /** USD per input token the call actually paid (cached tokens at their price), 0 if unknown. */
  inputRate(call: CallRecord): number {
    const price = this.priceOf(call);
    if (!price || call.inputTokens === 0) return 0;
    const inputCost = this.prices.cost(
      {
        inputTokens: call.inputTokens,
        outputTokens: 0,
        cacheReadTokens: call.cacheReadTokens,
        cacheWriteTokens: call.cacheWriteTokens,
      },
      price,
    );
    return inputCost / call.inputTokens;
  }
}
