import {
  computeFingerprints,
  messageText,
  parseMessagesJson,
  parseSystemInstructions,
  promptText,
  systemText,
  type Json,
} from '@kaizen/instrumentation/fingerprint';
import type { CallRecord, MessageText, ToolRecord } from './analysis.types.js';
import type { CallRow, LogMessageRow, ToolSpanRow } from './analysis.repository.js';

/**
 * Turns the rows the repository reads into the records the detectors work on: numbers parsed,
 * messages as text, and — for calls whose content arrived as log events (semantic conventions
 * 1.28–1.36) — the content joined from genai_log_messages and the fingerprints computed in
 * JavaScript with the same definition the genai_calls view uses.
 */

const SYSTEM_ROLES = new Set(['system', 'developer']);

/** DateTime64 text ("2026-01-02 03:04:05.123456789") → milliseconds since the epoch. */
export function parseChTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text);
  if (!m) return Number.NaN;
  const base = Date.parse(`${m[1]}T${m[2]}Z`);
  const frac = m[3] ? Number(`0.${m[3]}`) * 1000 : 0;
  return base + frac;
}

function asArray(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

function roleOf(m: Json): string {
  return typeof m === 'object' && m !== null && !Array.isArray(m) && typeof m['role'] === 'string' ? m['role'] : '';
}

function toMessages(input: Json): MessageText[] {
  return asArray(input)
    .filter((m) => !SYSTEM_ROLES.has(roleOf(m)))
    .map((m) => ({ role: roleOf(m), text: messageText(m) }));
}

function rawSystem(system: Json, input: Json): string {
  const parts: string[] = [];
  if (typeof system === 'string') {
    if (system !== '') parts.push(system);
  } else {
    for (const p of asArray(system)) parts.push(messageText({ parts: [p] }));
  }
  for (const m of asArray(input)) if (SYSTEM_ROLES.has(roleOf(m))) parts.push(messageText(m));
  return parts.join('\n');
}

function outputText(output: Json): string {
  return asArray(output)
    .map((m) => messageText(m))
    .join('\n');
}

/** Joins log-event content of one span (rows in time order) into message arrays. */
function joinLogContent(rows: readonly LogMessageRow[]): { input: Json[]; output: Json[]; system: Json } {
  const input: Json[] = [];
  const output: Json[] = [];
  let system: Json = [];
  for (const r of rows) {
    input.push(...asArray(parseMessagesJson(r.InputMessages)));
    output.push(...asArray(parseMessagesJson(r.OutputMessages)));
    if (r.SystemInstructions !== '') system = parseSystemInstructions(r.SystemInstructions);
  }
  return { input, output, system };
}

export function buildCallRecords(
  rows: readonly CallRow[],
  logMessages: ReadonlyMap<string, readonly LogMessageRow[]> = new Map(),
): CallRecord[] {
  const records = rows.map((r) => {
    let input = parseMessagesJson(r.InputMessages);
    let output = parseMessagesJson(r.OutputMessages);
    let system: Json = parseSystemInstructions(r.SystemInstructions);
    let promptHash = r.PromptHash;
    let promptSimHash = BigInt(r.PromptSimHash || '0');
    let systemHash = r.SystemHash;
    const fromLogs = logMessages.get(r.SpanId);
    if (r.InputMessages === '' && fromLogs && fromLogs.length > 0) {
      const joined = joinLogContent(fromLogs);
      input = joined.input;
      if (r.OutputMessages === '') output = joined.output;
      if (r.SystemInstructions === '') system = joined.system;
      if (promptHash === '0') {
        const fp = computeFingerprints({
          model: r.RequestModel !== '' ? r.RequestModel : r.ResponseModel,
          operation: r.Operation,
          temperature: r.Temperature ?? undefined,
          topP: r.TopP ?? undefined,
          maxTokens: r.MaxTokens,
          outputType: r.OutputType,
          systemInstructions: system,
          inputMessages: input,
        });
        promptHash = fp.promptHash.toString();
        promptSimHash = fp.promptSimHash;
        systemHash = fp.systemHash.toString();
      }
    }
    const messages = toMessages(input);
    const sys = systemText(system, input);
    return {
      index: 0,
      traceId: r.TraceId,
      spanId: r.SpanId,
      parentSpanId: r.ParentSpanId,
      startMs: parseChTime(r.Timestamp),
      durationMs: Number(r.DurationNs) / 1e6,
      serviceName: r.ServiceName,
      workflowName: r.WorkflowName,
      agentName: r.AgentName,
      conversationId: r.ConversationId !== '' ? r.ConversationId : r.SessionId,
      provider: r.Provider,
      operation: r.Operation,
      requestModel: r.RequestModel,
      responseModel: r.ResponseModel,
      priceModel: r.PriceModel,
      inputTokens: Number(r.InputTokens),
      outputTokens: Number(r.OutputTokens),
      cacheReadTokens: Number(r.CacheReadTokens),
      cacheWriteTokens: Number(r.CacheWriteTokens),
      reasoningTokens: Number(r.ReasoningTokens),
      costUSD: r.CostUSD,
      costSource: r.CostSource,
      isError: r.IsError === 1,
      errorType: r.ErrorType,
      finishReasons: r.FinishReasons,
      temperature: r.Temperature,
      maxTokens: r.MaxTokens,
      toolCount: r.ToolCount,
      outputType: r.OutputType,
      promptHash,
      promptSimHash,
      systemHash,
      systemText: sys,
      systemRaw: rawSystem(system, input),
      messages,
      promptText: promptText(input),
      outputText: outputText(output),
      hasContent: messages.length > 0 || sys !== '',
    } satisfies CallRecord;
  });
  records.sort((a, b) => a.startMs - b.startMs || (a.spanId < b.spanId ? -1 : 1));
  return records.map((r, index) => ({ ...r, index }));
}

export function buildToolRecords(rows: readonly ToolSpanRow[]): ToolRecord[] {
  return rows
    .map((r) => ({
      spanId: r.SpanId,
      parentSpanId: r.ParentSpanId,
      startMs: parseChTime(r.Timestamp),
      name: r.ToolName,
      arguments: r.Arguments,
      result: r.Result,
      isError: r.IsError === 1,
    }))
    .sort((a, b) => a.startMs - b.startMs);
}
