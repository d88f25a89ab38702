import type { CallRecord, DraftFinding } from '../analysis.types.js';
import { modelOf, refs, round, tokens, usd } from '../findings/format.js';
import type { DetectorContext } from './detector.context.js';
import { tokensOf } from './token-share.js';

/**
 * prompt_bloat/history_growth: one conversation whose input grows turn by turn because every call
 * resends the whole history. The fix is a sliding window (keep the first user message and the last
 * few messages) with a short running summary of what falls out of it; the saving is the input the
 * window drops, less the summary that replaces it, at the price each call actually paid per input
 * token (so history already read from a cache saves little).
 */

/** A running summary costs about this share of the history it replaces. */
export const SUMMARY_SHARE = 0.1;

export function detectHistoryGrowth(ctx: DetectorContext): DraftFinding[] {
  const { calls } = ctx.run;
  const chains = ctx.chains;
  const conversations = new Map<number, CallRecord[]>();
  for (const c of calls) {
    const root = chains.root[c.index]!;
    const g = conversations.get(root);
    if (g) g.push(c);
    else conversations.set(root, [c]);
  }
  const keep = ctx.options.historyKeepMessages;
  const findings: DraftFinding[] = [];
  for (const turns of conversations.values()) {
    if (turns.length < ctx.options.historyMinTurns) continue;
    let increasing = 0;
    for (let i = 1; i < turns.length; i++) if (turns[i]!.inputTokens > turns[i - 1]!.inputTokens) increasing++;
    const first = turns[0]!;
    const last = turns[turns.length - 1]!;
    if (increasing < 0.75 * (turns.length - 1) || last.inputTokens < 2 * Math.max(first.inputTokens, 1)) continue;

    const saving = new Map<string, number>();
    let droppedTokens = 0;
    let total = 0;
    let waste = 0;
    const affected: CallRecord[] = [];
    for (const call of turns) {
      const m = call.messages;
      if (m.length <= keep + 1) continue;
      // Keep the first message (the task) and the last `keep`; drop the middle.
      let chars = 0;
      for (let i = 1; i < m.length - keep; i++) chars += m[i]!.text.length;
      const dropped = tokensOf(call, chars);
      const s = dropped * (1 - SUMMARY_SHARE) * ctx.inputRate(call);
      if (s <= 0) continue;
      saving.set(call.spanId, Math.min(s, call.costUSD));
      droppedTokens += dropped;
      total += s;
      waste += dropped * ctx.inputRate(call);
      affected.push(call);
    }
    if (total <= 0 || affected.length === 0) continue;
    const agent = first.agentName !== '' ? ` of agent ${first.agentName}` : '';
    findings.push({
      kind: 'prompt_bloat',
      subkind: 'history_growth',
      title: `A ${turns.length}-turn conversation${agent} resends its whole history every turn`,
      evidence:
        `Calls ${refs(turns)} (${modelOf(first)}) form one conversation whose input grows from ` +
        `${tokens(first.inputTokens)} to ${tokens(last.inputTokens)}. Keeping the first message and the last ${keep} ` +
        `messages would drop ${tokens(droppedTokens)} of old history across ${affected.length} calls.`,
      evidenceData: {
        turns: turns.length,
        inputTokens: turns.map((c) => c.inputTokens),
        keepMessages: keep,
        droppedTokens: Math.round(droppedTokens),
        summaryShare: SUMMARY_SHARE,
        wasteCostUSD: round(waste),
      },
      recommendation:
        `Send a sliding window (the first message plus the last ${keep} messages) with a short running summary ` +
        `of older turns instead of the full history — saves about ${usd(total)} per run.`,
      spanIds: turns.map((c) => c.spanId),
      savingBySpan: saving,
      wasteCostUSD: waste,
      confidence: 0.7,
      detectedBy: 'local',
      key: `prompt_bloat:history_growth:${first.spanId}`,
      models: [modelOf(first)],
    });
  }
  return findings;
}
