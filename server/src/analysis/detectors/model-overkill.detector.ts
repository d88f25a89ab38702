import type { CallRecord, DraftFinding } from '../analysis.types.js';
import { modelOf, refs, round, usd } from '../findings/format.js';
import type { ModelPrice } from '../pricing/price-book.js';
import type { DetectorContext } from './detector.context.js';
import { taskShape, type TaskShape } from './task-shape.js';

/**
 * Model overkill: a simple task (classification, extraction, translation, yes/no, formatting, a
 * short answer; no tools) sent to a model whose family has a tier at least twice cheaper in the
 * price table. One finding per call site (agent, system prompt, model) of the run. The saving is
 * the price difference for the same tokens; it is stated as a candidate to verify with an
 * evaluation on a sample — routers often fail to beat simple baselines (RouterBench,
 * LLMRouterBench) — and the judge, when there is one, is asked whether the task is simple.
 */

const SHAPE_WORDS: Record<TaskShape, string> = {
  classification: 'classification',
  extraction: 'extraction',
  translation: 'translation',
  yes_no: 'a yes/no question',
  formatting: 'reformatting',
  short_answer: 'a short answer',
};

interface Site {
  readonly calls: CallRecord[];
  readonly shapes: Map<TaskShape, number>;
  readonly price: ModelPrice;
  explicit: boolean;
}

export function detectModelOverkill(ctx: DetectorContext): DraftFinding[] {
  const sites = new Map<string, Site>();
  for (const call of ctx.run.calls) {
    const reading = taskShape(call, ctx.options.shortOutputTokens);
    if (!reading) continue;
    const price = ctx.priceOf(call);
    if (!price || call.costUSD <= 0) continue;
    const key = `${call.agentName}\x1f${call.systemHash}\x1f${price.provider}/${price.model}`;
    let site = sites.get(key);
    if (!site) {
      site = { calls: [], shapes: new Map(), price, explicit: false };
      sites.set(key, site);
    }
    site.calls.push(call);
    site.shapes.set(reading.shape, (site.shapes.get(reading.shape) ?? 0) + 1);
    if (reading.strength === 'explicit') site.explicit = true;
  }

  const findings: DraftFinding[] = [];
  for (const site of sites.values()) {
    const use = site.calls.reduce(
      (u, c) => ({
        inputTokens: u.inputTokens + c.inputTokens,
        outputTokens: u.outputTokens + c.outputTokens,
        cacheReadTokens: u.cacheReadTokens + c.cacheReadTokens,
        cacheWriteTokens: u.cacheWriteTokens + c.cacheWriteTokens,
      }),
      { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    );
    const first = site.calls[0]!;
    const cheaper = ctx.prices.cheaperModel(first.provider, site.price, use);
    if (!cheaper) continue;
    const saving = new Map<string, number>();
    let total = 0;
    let waste = 0;
    for (const c of site.calls) {
      const tokens = {
        inputTokens: c.inputTokens,
        outputTokens: c.outputTokens,
        cacheReadTokens: c.cacheReadTokens,
        cacheWriteTokens: c.cacheWriteTokens,
      };
      const now = ctx.prices.cost(tokens, site.price);
      if (now <= 0) continue;
      const ratio = ctx.prices.cost(tokens, cheaper) / now;
      const s = c.costUSD * (1 - ratio);
      saving.set(c.spanId, s);
      total += s;
      waste += c.costUSD;
    }
    if (total <= 0) continue;
    const shape = [...site.shapes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const model = modelOf(first);
    const agent = first.agentName !== '' ? ` (agent ${first.agentName})` : '';
    const factor = waste / Math.max(waste - total, 1e-12);
    findings.push({
      kind: 'model_overkill',
      subkind: '',
      title: `Calls ${refs(site.calls)} use ${model} for ${SHAPE_WORDS[shape]}`,
      evidence:
        `${site.calls.length} call(s)${agent} do ${SHAPE_WORDS[shape]} with ${model}: ` +
        `${Math.round(use.outputTokens / site.calls.length)} output tokens on average, no tools. ` +
        `${cheaper.model} costs ${factor.toFixed(1)}x less for the same tokens (${usd(waste)} → ${usd(waste - total)}).`,
      evidenceData: {
        shape,
        shapes: Object.fromEntries(site.shapes),
        model: site.price.model,
        cheaperModel: cheaper.model,
        prices: {
          current: { inputPerMTok: site.price.inputPerMTok, outputPerMTok: site.price.outputPerMTok },
          cheaper: { inputPerMTok: cheaper.inputPerMTok, outputPerMTok: cheaper.outputPerMTok },
        },
        inputTokens: use.inputTokens,
        outputTokens: use.outputTokens,
        costUSD: round(waste),
        costWithCheaperUSD: round(waste - total),
      },
      recommendation:
        `Candidate: try ${cheaper.model} for this step — saves ${usd(total)} per run. Verify first with an evaluation ` +
        `on a sample of real inputs (compare answers with ${model}); routers and cascades often fail to beat simple baselines.`,
      spanIds: site.calls.map((c) => c.spanId),
      savingBySpan: saving,
      wasteCostUSD: waste,
      confidence: site.explicit ? 0.6 : 0.45,
      detectedBy: 'local',
      key: `model_overkill::${first.spanId}`,
      models: [model],
    });
  }
  return findings;
}
