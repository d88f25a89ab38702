import type { CallRecord, DraftFinding } from '../analysis.types.js';
import { modelOf, refs, round, tokens, usd } from '../findings/format.js';
import type { DetectorContext } from './detector.context.js';
import { fewShotExamples } from './prompt-structure.js';
import { tokensOf } from './token-share.js';

/**
 * prompt_bloat/oversized_examples: a few-shot block with more examples than the task needs, sent
 * with every call of a call site — in the system prompt or first message ("Example 1:",
 * `<example>`, Input:/Output: pairs) or as leading user/assistant message pairs every call shares.
 * The saving is the input the extra examples take, keeping a few.
 */

function leadingPairs(calls: readonly CallRecord[]): { pairs: number; chars: number } {
  if (calls.length < 2) return { pairs: 0, chars: 0 };
  const first = calls[0]!.messages;
  let common = first.length - 1; // the last message is the real input
  for (const c of calls) {
    const m = c.messages;
    let i = 0;
    while (i < common && i < m.length - 1 && m[i]!.role === first[i]!.role && m[i]!.text === first[i]!.text) i++;
    common = i;
  }
  let pairs = 0;
  let chars = 0;
  for (let i = 0; i + 1 < common; i += 2) {
    if (first[i]!.role !== 'user' || first[i + 1]!.role !== 'assistant') break;
    pairs++;
    chars += first[i]!.text.length + first[i + 1]!.text.length;
  }
  return { pairs, chars };
}

export function detectOversizedExamples(ctx: DetectorContext): DraftFinding[] {
  const sites = new Map<string, CallRecord[]>();
  for (const c of ctx.run.calls) {
    if (!c.hasContent || c.isError) continue;
    const key = `${c.agentName}\x1f${c.systemHash}\x1f${modelOf(c)}`;
    const g = sites.get(key);
    if (g) g.push(c);
    else sites.set(key, [c]);
  }
  const { examplesMax, examplesKeep } = ctx.options;
  const findings: DraftFinding[] = [];
  for (const calls of sites.values()) {
    const first = calls[0]!;
    const inText = fewShotExamples(`${first.systemRaw}\n${first.messages[0]?.text ?? ''}`);
    const asMessages = leadingPairs(calls);
    const examples = inText.count >= asMessages.pairs ? inText : { count: asMessages.pairs, chars: asMessages.chars };
    if (examples.count <= examplesMax) continue;
    const dropShare = (examples.count - examplesKeep) / examples.count;
    const saving = new Map<string, number>();
    let total = 0;
    let exampleTokens = 0;
    for (const c of calls) {
      const t = tokensOf(c, examples.chars);
      const s = Math.min(t * dropShare * ctx.inputRate(c), c.costUSD);
      if (s <= 0) continue;
      saving.set(c.spanId, s);
      total += s;
      exampleTokens = Math.max(exampleTokens, t);
    }
    if (total <= 0) continue;
    findings.push({
      kind: 'prompt_bloat',
      subkind: 'oversized_examples',
      title: `Calls ${refs(calls)} carry ${examples.count} few-shot examples (${tokens(exampleTokens)})`,
      evidence:
        `Every call of this step (${modelOf(first)}) sends ${examples.count} examples taking about ${tokens(exampleTokens)}; ` +
        `${examplesKeep} well-chosen examples usually carry the format.`,
      evidenceData: {
        examples: examples.count,
        keep: examplesKeep,
        exampleTokens: Math.round(exampleTokens),
        calls: calls.length,
        savingUSD: round(total),
      },
      recommendation:
        `Keep ${examplesKeep} representative examples (or move them into a cached prefix) and check the output ` +
        `format on a sample — saves about ${usd(total)} per run.`,
      spanIds: calls.map((c) => c.spanId),
      savingBySpan: saving,
      wasteCostUSD: total / dropShare,
      confidence: 0.6,
      detectedBy: 'local',
      key: `prompt_bloat:oversized_examples:${first.spanId}`,
      models: [modelOf(first)],
    });
  }
  return findings;
}
