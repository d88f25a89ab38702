import { computeFingerprints } from '@kaizen/instrumentation/fingerprint';
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../../src/analysis/analysis.options.js';
import type { CallRecord, RunData, ToolRecord } from '../../../src/analysis/analysis.types.js';
import { DetectorContext } from '../../../src/analysis/detectors/index.js';
import { PriceBook, type ModelPrice } from '../../../src/analysis/pricing/price-book.js';

/**
 * Call records for detector tests, built the way run-data.builder builds them (fingerprints from
 * the same definition), with prices as @pydantic/genai-prices lists them for the models used.
 */

const price = (
  provider: string,
  model: string,
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite = input,
): ModelPrice => ({
  provider,
  model,
  inputPerMTok: input,
  outputPerMTok: output,
  cacheReadPerMTok: cacheRead,
  cacheWritePerMTok: cacheWrite,
  tierThreshold: 0,
  tierInputPerMTok: input,
  tierOutputPerMTok: output,
  source: 'library',
});

export const TEST_PRICES: ModelPrice[] = [
  price('openai', 'gpt-4.1', 2, 8, 0.5),
  price('openai', 'gpt-4.1-mini', 0.4, 1.6, 0.1),
  price('openai', 'gpt-4.1-nano', 0.1, 0.4, 0.025),
  price('openai', 'gpt-4o-mini', 0.15, 0.6, 0.075),
  price('anthropic', 'claude-sonnet-4-5', 3, 15, 0.3, 3.75),
  price('anthropic', 'claude-haiku-4-5', 1, 5, 0.1, 1.25),
  price('google', 'gemini-2.5-pro', 1.25, 10, 0.125),
  price('google', 'gemini-2.5-flash', 0.3, 2.5, 0.03),
  price('google', 'gemini-2.5-flash-lite', 0.1, 0.4, 0.01),
];

export const testPrices = () => new PriceBook(TEST_PRICES);

const PROVIDER_OF: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', google: 'gcp.gemini' };

export interface CallInput {
  model?: string;
  system?: string;
  messages?: [role: string, text: string][];
  user?: string;
  output?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  temperature?: number | null;
  maxTokens?: number;
  finish?: string;
  error?: string;
  agent?: string;
  at?: number;
  toolCount?: number;
  outputType?: string;
  promptHash?: string;
}

let seq = 0;

/** One call; tokens default to about four characters per token. */
export function call(input: CallInput): Omit<CallRecord, 'index'> {
  const model = input.model ?? 'gpt-4.1';
  const p = TEST_PRICES.find((x) => x.model === model)!;
  const messages = input.messages ?? [['user', input.user ?? 'hello']];
  const system = input.system ?? '';
  const inputMessages = messages.map(([role, content]) => ({ role, parts: [{ type: 'text', content }] }));
  const fp = computeFingerprints({
    model,
    operation: 'chat',
    temperature: input.temperature ?? undefined,
    maxTokens: input.maxTokens,
    systemInstructions: system === '' ? [] : [{ type: 'text', content: system }],
    inputMessages,
  });
  const chars = system.length + messages.reduce((s, [, t]) => s + t.length, 0);
  const inputTokens = input.inputTokens ?? Math.ceil(chars / 4);
  const outputTokens = input.outputTokens ?? (input.error ? 0 : Math.ceil((input.output ?? 'ok').length / 4));
  const cacheRead = input.cacheReadTokens ?? 0;
  const cost = input.error
    ? 0
    : ((inputTokens - cacheRead) * p.inputPerMTok + cacheRead * p.cacheReadPerMTok + outputTokens * p.outputPerMTok) /
      1e6;
  seq++;
  return {
    traceId: 'trace',
    spanId: `span${String(seq).padStart(4, '0')}`,
    parentSpanId: `agent-${input.agent ?? 'main'}`,
    startMs: input.at ?? 1_000_000 + seq * 1000,
    durationMs: 500,
    serviceName: 'svc',
    workflowName: 'wf',
    agentName: input.agent ?? 'main',
    conversationId: '',
    provider: PROVIDER_OF[p.provider]!,
    operation: 'chat',
    requestModel: model,
    responseModel: model,
    priceModel: model,
    inputTokens,
    outputTokens,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUSD: cost,
    costSource: 'library',
    isError: input.error !== undefined,
    errorType: input.error ?? '',
    finishReasons: input.error ? [] : [input.finish ?? 'stop'],
    temperature: input.temperature ?? null,
    maxTokens: input.maxTokens ?? 0,
    toolCount: input.toolCount ?? 0,
    outputType: input.outputType ?? '',
    promptHash: input.promptHash ?? fp.promptHash.toString(),
    promptSimHash: fp.promptSimHash,
    systemHash: fp.systemHash.toString(),
    systemText: system.replace(/\s+/g, ' ').trim(),
    systemRaw: system,
    messages: messages.map(([role, text]) => ({ role, text })),
    promptText: messages.map(([role, text]) => `${role}: ${text}`).join(' '),
    outputText: input.error ? '' : (input.output ?? 'ok'),
    hasContent: true,
  };
}

export function tool(name: string, args: string, result: string, at: number, agent = 'main'): ToolRecord {
  seq++;
  return {
    spanId: `tool${String(seq).padStart(4, '0')}`,
    parentSpanId: `agent-${agent}`,
    startMs: at,
    name,
    arguments: args,
    result,
    isError: false,
  };
}

export function run(calls: Omit<CallRecord, 'index'>[], tools: ToolRecord[] = []): RunData {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  return {
    traceId: 'trace',
    serviceName: 'svc',
    workflowName: 'wf',
    startMs: sorted[0]?.startMs ?? 0,
    calls: sorted.map((c, index) => ({ ...c, index })),
    tools,
  };
}

export function context(data: RunData, options: Partial<AnalysisOptions> = {}): DetectorContext {
  return new DetectorContext(data, testPrices(), { ...DEFAULT_ANALYSIS_OPTIONS, ...options });
}
