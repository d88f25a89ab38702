import type { CallRecord, DraftFinding, ToolRecord } from '../analysis.types.js';
import { modelOf, refs, round, snippet, usd } from '../findings/format.js';
import type { DetectorContext } from './detector.context.js';

/**
 * agent_loop: an agent repeating itself without new information.
 * - Tool loop: the same tool with the same arguments returning the same result again and again
 *   (a poll whose result changes is progress, not a loop). Each repeat beyond the first is a wasted
 *   iteration: the model call that read the repeated result is the waste.
 * - Model loop: consecutive turns of one conversation that produce the same answer (the same tool
 *   call requested again) — the turns after the first are wasted.
 */

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The first call starting at or after `ms` in a list sorted by start (binary search). */
function firstFrom(calls: readonly CallRecord[], ms: number): CallRecord | undefined {
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (calls[mid]!.startMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return calls[lo];
}

/** The first model call that starts after a tool span under the same parent (else the next one). */
function callAfter(
  tool: ToolRecord,
  calls: readonly CallRecord[],
  byParent: ReadonlyMap<string, CallRecord[]>,
): CallRecord | undefined {
  return firstFrom(byParent.get(tool.parentSpanId) ?? [], tool.startMs) ?? firstFrom(calls, tool.startMs);
}

function toolLoops(ctx: DetectorContext): DraftFinding[] {
  const groups = new Map<string, ToolRecord[]>();
  for (const t of ctx.run.tools) {
    if (t.isError) continue;
    const key = `${t.name}\x1f${norm(t.arguments)}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  const byParent = new Map<string, CallRecord[]>();
  for (const c of ctx.run.calls) {
    const list = byParent.get(c.parentSpanId);
    if (list) list.push(c);
    else byParent.set(c.parentSpanId, [c]);
  }
  const findings: DraftFinding[] = [];
  for (const tools of groups.values()) {
    // Runs of the same result: progress (a new result) resets the count.
    const sameResult: ToolRecord[] = [];
    let result = '';
    for (const t of tools) {
      const r = norm(t.result);
      if (sameResult.length > 0 && r !== result) sameResult.length = 0;
      result = r;
      sameResult.push(t);
    }
    if (sameResult.length < ctx.options.loopMinRepeats) continue;
    const repeats = sameResult.slice(1);
    const wasted = [
      ...new Set(repeats.map((t) => callAfter(t, ctx.run.calls, byParent)).filter((c): c is CallRecord => !!c)),
    ];
    const waste = wasted.reduce((s, c) => s + c.costUSD, 0);
    const first = sameResult[0]!;
    findings.push({
      kind: 'agent_loop',
      subkind: '',
      title: `Tool ${first.name} was called ${sameResult.length} times with the same arguments and result`,
      evidence:
        `The agent called ${first.name}(${snippet(first.arguments, 60)}) ${sameResult.length} times and got the same ` +
        `result each time ("${snippet(first.result, 60)}"); the ${wasted.length} model call(s) that read the repeats ` +
        `(${refs(wasted)}) learned nothing new and cost ${usd(waste)}.`,
      evidenceData: {
        tool: first.name,
        repeats: sameResult.length,
        toolSpanIds: sameResult.map((t) => t.spanId),
        wastedCalls: wasted.map((c) => c.spanId),
        wasteCostUSD: round(waste),
      },
      recommendation:
        `Stop the loop when a tool returns what it returned before: keep a set of (tool, arguments) already ` +
        `answered and return the cached result with a note, and cap the agent's iterations — saves ${usd(waste)} per run.`,
      spanIds: [...sameResult.map((t) => t.spanId), ...wasted.map((c) => c.spanId)],
      savingBySpan: new Map(wasted.map((c) => [c.spanId, c.costUSD])),
      wasteCostUSD: waste,
      confidence: 0.85,
      detectedBy: 'local',
      key: `agent_loop::${first.spanId}`,
      models: [...new Set(wasted.map(modelOf))],
    });
  }
  return findings;
}

function modelLoops(ctx: DetectorContext, covered: ReadonlySet<string>): DraftFinding[] {
  const { calls } = ctx.run;
  const chains = ctx.chains;
  const children = new Map<number, CallRecord[]>();
  for (const c of calls) {
    const parent = chains.parent[c.index]!;
    if (parent < 0) continue;
    const list = children.get(parent);
    if (list) list.push(c);
    else children.set(parent, [c]);
  }
  const findings: DraftFinding[] = [];
  const seen = new Set<number>();
  for (const start of calls) {
    if (seen.has(start.index) || start.outputText === '' || start.isError) continue;
    // Follow the conversation while each turn repeats the previous answer.
    const answer = norm(start.outputText);
    const run: CallRecord[] = [start];
    let cur: CallRecord | undefined = start;
    while (cur) {
      cur = children.get(cur.index)?.find((c) => norm(c.outputText) === answer);
      if (cur) run.push(cur);
    }
    for (const c of run) seen.add(c.index);
    // A loop already reported through its tool calls is the same loop.
    if (run.length < ctx.options.loopMinRepeats || run.some((c) => covered.has(c.spanId))) continue;
    const wasted = run.slice(1);
    const waste = wasted.reduce((s, c) => s + c.costUSD, 0);
    findings.push({
      kind: 'agent_loop',
      subkind: '',
      title: `Calls ${refs(run)} give the same answer turn after turn`,
      evidence:
        `${run.length} consecutive turns of one conversation (${modelOf(start)}) produce the same output ` +
        `("${snippet(start.outputText, 60)}"); the ${wasted.length} repeat(s) cost ${usd(waste)}.`,
      evidenceData: { repeats: run.length, wasteCostUSD: round(waste) },
      recommendation:
        `Detect a repeated action (same output as the previous turn) and break out — feed back what already ` +
        `happened or stop — and cap iterations; saves ${usd(waste)} per run.`,
      spanIds: run.map((c) => c.spanId),
      savingBySpan: new Map(wasted.map((c) => [c.spanId, c.costUSD])),
      wasteCostUSD: waste,
      confidence: 0.75,
      detectedBy: 'local',
      key: `agent_loop::${start.spanId}`,
      models: [modelOf(start)],
    });
  }
  return findings;
}

export function detectAgentLoops(ctx: DetectorContext): DraftFinding[] {
  const tools = toolLoops(ctx);
  const covered = new Set(tools.flatMap((f) => [...f.savingBySpan.keys()]));
  return [...tools, ...modelLoops(ctx, covered)];
}
