import { isTruncated, type CallRecord, type DraftFinding } from '../analysis.types.js';
import { modelOf, refs, round, usd } from '../findings/format.js';
import type { DetectorContext } from './detector.context.js';

/**
 * retry_waste: a call that failed (error) or was cut off (finish_reason length / max_tokens),
 * followed by the same ask — the same request, or the same messages with other limits. The
 * attempts before the one that succeeded are the waste: a truncated answer is billed in full, a
 * failed call is billed for whatever the provider charged, and both cost latency.
 */

/** A retry comes within this long of the failed attempt. */
const RETRY_WINDOW_MS = 10 * 60_000;

function failed(c: CallRecord): 'error' | 'truncated' | undefined {
  if (c.isError) return 'error';
  if (isTruncated(c.finishReasons)) return 'truncated';
  return undefined;
}

/** The same ask whatever the limits: same agent, system prompt and messages (or fingerprint, without content). */
function askKey(c: CallRecord, messagesKey: number): string {
  if (!c.hasContent || messagesKey === 0) return `hash\x1f${c.promptHash}`;
  return `${c.operation}\x1f${c.systemHash}\x1f${messagesKey}`;
}

export function detectRetryWaste(ctx: DetectorContext): DraftFinding[] {
  const byAsk = new Map<string, CallRecord[]>();
  const keys = ctx.chains.messagesKey;
  for (const c of ctx.run.calls) {
    if (!c.hasContent && c.promptHash === '0') continue;
    const k = askKey(c, keys[c.index]!);
    const g = byAsk.get(k);
    if (g) g.push(c);
    else byAsk.set(k, [c]);
  }
  const findings: DraftFinding[] = [];
  for (const calls of byAsk.values()) {
    if (calls.length < 2) continue;
    // Walk attempts in order: a chain is failures followed by the next attempt within the window.
    let chain: CallRecord[] = [];
    const flush = (next: CallRecord | undefined) => {
      const failures = chain.filter((c) => failed(c) !== undefined);
      if (failures.length > 0 && next) findings.push(retryFinding(failures, next));
      chain = [];
    };
    for (const c of calls) {
      const prev = chain[chain.length - 1];
      if (prev && c.startMs - prev.startMs > RETRY_WINDOW_MS) chain = [];
      if (failed(c) !== undefined) {
        chain.push(c);
        continue;
      }
      flush(chain.length > 0 ? c : undefined);
    }
    // Failures with no later success are still retries of each other when there are two or more.
    if (chain.length >= 2) {
      const last = chain[chain.length - 1]!;
      chain = chain.slice(0, -1);
      flush(last);
    }
  }
  return findings;
}

function retryFinding(failures: readonly CallRecord[], next: CallRecord): DraftFinding {
  const all = [...failures, next];
  const waste = failures.reduce((s, c) => s + c.costUSD, 0);
  const truncated = failures.filter((c) => failed(c) === 'truncated');
  const errors = failures.filter((c) => failed(c) === 'error');
  const errorTypes = [...new Set(errors.map((c) => c.errorType).filter((t) => t !== ''))];
  const latencyMs = failures.reduce((s, c) => s + c.durationMs, 0);
  const parts: string[] = [];
  if (truncated.length > 0) parts.push(`${truncated.length} cut off at max_tokens`);
  if (errors.length > 0) parts.push(`${errors.length} failed${errorTypes.length ? ` (${errorTypes.join(', ')})` : ''}`);
  const maxOut = Math.max(...truncated.map((c) => c.maxTokens), 0);
  const recommendation =
    truncated.length > 0
      ? `Give the first attempt room to finish: raise max_tokens${maxOut ? ` above ${maxOut}` : ''} (the retry needed ${next.outputTokens} output tokens) ` +
        `or ask for a shorter answer — saves ${usd(waste)} per run.`
      : `Find out why the call fails before retrying the same request (rate limits: honour Retry-After and back off; ` +
        `bad input: fix it) — the failed attempts cost ${usd(waste)} and ${(latencyMs / 1000).toFixed(1)} s per run.`;
  return {
    kind: 'retry_waste',
    subkind: '',
    title: `${failures.length === 1 ? 'Call' : 'Calls'} ${refs(failures)} ${failures.length === 1 ? 'was' : 'were'} retried as ${refs([next])}`,
    evidence:
      `${refs(all)} send the same request to ${modelOf(next)}: ${parts.join(' and ')} before ${refs([next])} ` +
      `${failed(next) ? 'was tried again' : 'succeeded'}. The wasted attempts cost ${usd(waste)} and ${(latencyMs / 1000).toFixed(1)} s.`,
    evidenceData: {
      attempts: all.length,
      truncated: truncated.length,
      errors: errors.length,
      errorTypes,
      wasteCostUSD: round(waste),
      latencyMs: Math.round(latencyMs),
      maxTokens: maxOut,
      retryOutputTokens: next.outputTokens,
    },
    recommendation,
    spanIds: all.map((c) => c.spanId),
    savingBySpan: new Map(failures.map((c) => [c.spanId, c.costUSD])),
    wasteCostUSD: waste,
    confidence: 0.9,
    detectedBy: 'local',
    key: `retry_waste::${failures[0]!.spanId}`,
    models: [modelOf(next)],
  };
}
