import type { CallRecord, DraftFinding } from '../analysis.types.js';
import { modelOf, refs, round, tokens, usd } from '../findings/format.js';
import { combine, type CanonicalText } from '../text/canonical.js';
import { contains } from '../text/sorted-set.js';
import type { DetectorContext } from './detector.context.js';
import { contextBlocks } from './prompt-structure.js';
import { tokensOf } from './token-share.js';

/**
 * prompt_bloat/unused_context: retrieved context blocks (documents, sources, tool results) that
 * the answer never uses. A block counts as used when the answer cites it ("[3]", "Document 3") or
 * repeats words found only in that block (not in the question, not in other blocks). Blocks too
 * small or too generic to tell are assumed used. A lexical signal, so the confidence is moderate
 * and the judge is asked to confirm.
 */

const MIN_DISTINCT = 5;
const MIN_ANSWER_TOKENS = 8;

interface Block {
  readonly text: string;
  readonly label: string;
  readonly canon: CanonicalText;
}

/** The request split into context blocks and the rest (instructions, question), as texts. */
function blocksOf(call: CallRecord): { blocks: { text: string; label: string }[]; rest: string[] } {
  const blocks: { text: string; label: string }[] = [];
  const rest = [call.systemRaw];
  for (const m of call.messages) {
    if (m.role === 'tool') {
      blocks.push({ text: m.text, label: `tool ${blocks.length + 1}` });
      continue;
    }
    const found = contextBlocks(m.text);
    if (found.length === 0) {
      rest.push(m.text);
      continue;
    }
    let cursor = 0;
    for (const b of found) {
      rest.push(m.text.slice(cursor, b.start));
      blocks.push({ text: m.text.slice(b.start, b.end), label: b.label });
      cursor = b.end;
    }
    rest.push(m.text.slice(cursor));
  }
  return { blocks, rest };
}

function cites(answer: string, label: string): boolean {
  if (label === '' || label.startsWith('tool ')) return false;
  const l = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\[${l}\\]|\\b(?:document|doc|source|passage|chunk|context|snippet)\\s*#?\\s*${l}\\b`, 'i').test(
    answer,
  );
}

export function detectUnusedContext(ctx: DetectorContext): DraftFinding[] {
  const sites = new Map<
    string,
    { calls: CallRecord[]; unused: Map<string, number>; blocks: number; unusedBlocks: number }
  >();
  for (const call of ctx.run.calls) {
    if (!call.hasContent || call.isError || call.outputText === '') continue;
    const { blocks: raw, rest } = blocksOf(call);
    if (raw.length < 2) continue;
    const answer = ctx.text(call.outputText);
    if (answer.set.length < MIN_ANSWER_TOKENS) continue;
    // Each part is canonicalised once per analysis (conversations repeat their earlier messages).
    const restCanon = combine(rest.map((t) => ctx.text(t)));
    const blocks: Block[] = raw.map((b) => ({ ...b, canon: ctx.text(b.text) }));
    let unusedChars = 0;
    let unusedCount = 0;
    blocks.forEach((b, i) => {
      if (cites(call.outputText, b.label)) return;
      const distinct = [...b.canon.set].filter(
        (id) => !contains(restCanon.set, id) && !blocks.some((o, j) => j !== i && contains(o.canon.set, id)),
      );
      if (distinct.length < MIN_DISTINCT) return;
      const echoed = distinct.filter((id) => contains(answer.set, id));
      // A name or number found only in this block and repeated by the answer is a use on its own.
      if (echoed.length >= 2 || echoed.some((id) => contains(b.canon.critical, id))) return;
      unusedChars += b.text.length;
      unusedCount++;
    });
    const unusedTokens = tokensOf(call, unusedChars);
    if (unusedCount === 0 || unusedTokens < ctx.options.unusedBlockMinTokens) continue;
    if (unusedTokens < ctx.options.unusedMinShare * call.inputTokens) continue;
    const key = `${call.agentName}\x1f${call.systemHash}\x1f${modelOf(call)}`;
    let site = sites.get(key);
    if (!site) {
      site = { calls: [], unused: new Map(), blocks: 0, unusedBlocks: 0 };
      sites.set(key, site);
    }
    site.calls.push(call);
    site.unused.set(call.spanId, unusedTokens);
    site.blocks += blocks.length;
    site.unusedBlocks += unusedCount;
  }

  const findings: DraftFinding[] = [];
  for (const site of sites.values()) {
    const saving = new Map<string, number>();
    let total = 0;
    let unusedTokens = 0;
    for (const c of site.calls) {
      const t = site.unused.get(c.spanId) ?? 0;
      const s = Math.min(t * ctx.inputRate(c), c.costUSD);
      if (s <= 0) continue;
      saving.set(c.spanId, s);
      total += s;
      unusedTokens += t;
    }
    if (total <= 0) continue;
    const first = site.calls[0]!;
    const input = site.calls.reduce((s, c) => s + c.inputTokens, 0);
    findings.push({
      kind: 'prompt_bloat',
      subkind: 'unused_context',
      title: `Calls ${refs(site.calls)} send context blocks the answers never use`,
      evidence:
        `${site.unusedBlocks} of ${site.blocks} context blocks in ${refs(site.calls)} (${modelOf(first)}) are neither cited ` +
        `nor echoed by the answer: ${tokens(unusedTokens)} of ${tokens(input)} of input.`,
      evidenceData: {
        blocks: site.blocks,
        unusedBlocks: site.unusedBlocks,
        unusedTokens: Math.round(unusedTokens),
        inputTokens: input,
        savingUSD: round(total),
      },
      recommendation:
        `Retrieve fewer, more relevant blocks (a reranker or a relevance cut-off) or trim them before the call — ` +
        `saves about ${usd(total)} per run.`,
      spanIds: site.calls.map((c) => c.spanId),
      savingBySpan: saving,
      wasteCostUSD: total,
      confidence: 0.5,
      detectedBy: 'local',
      key: `prompt_bloat:unused_context:${first.spanId}`,
      models: [modelOf(first)],
    });
  }
  return findings;
}
