import { createHash } from 'node:crypto';
import { messages } from '@kaizen/clickhouse/testing';

/**
 * A small, deterministic week of two LLM workflows, described independently of how it is stored,
 * so the same data can go in as contrib-exporter rows or through the real OTLP exporter.
 *
 *  - mailer/sort-mail: 3 calls per run (gpt-4.1-mini, gpt-4.1, claude-sonnet-4-0). Release 1.1.0
 *    sends every call to gpt-4.1 with 4× the input: a cost-per-run regression.
 *  - support/answer-ticket: 3 calls per run with prompt-cache reads; one run has a failed call,
 *    one calls a model no price matches (acme-llm-1).
 */

export interface SeedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: 'internal' | 'client';
  readonly startMs: number;
  readonly durationMs: number;
  readonly service: string;
  readonly version: string;
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly error: boolean;
}

export interface SeedRun {
  readonly traceId: string;
  readonly service: string;
  readonly workflow: string;
  readonly version: string;
  readonly startMs: number;
  readonly callSpanIds: readonly string[];
}

export interface SeedData {
  readonly spans: readonly SeedSpan[];
  readonly runs: readonly SeedRun[];
}

const hex = (seed: string, bytes: number) =>
  createHash('sha256')
    .update(seed)
    .digest('hex')
    .slice(0, bytes * 2);

export const SEED_RUNS = 24;
export const REGRESSION_AT = 12; // runs from this index on are release 1.1.0

interface CallSpec {
  readonly provider: string;
  readonly model: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly error?: boolean;
  readonly durationMs: number;
}

function callsOf(i: number, service: string, regressed: boolean): CallSpec[] {
  if (service === 'mailer') {
    const scale = regressed ? 4 : 1;
    return [
      {
        provider: 'openai',
        model: regressed ? 'gpt-4.1' : 'gpt-4.1-mini',
        input: 800 * scale,
        output: 40,
        durationMs: 400,
      },
      { provider: 'openai', model: 'gpt-4.1', input: 1200 * scale, output: 200, durationMs: 1500 },
      {
        provider: regressed ? 'openai' : 'anthropic',
        model: regressed ? 'gpt-4.1' : 'claude-sonnet-4-0',
        input: 600 * scale,
        output: 120,
        durationMs: 2200,
      },
    ];
  }
  return [
    { provider: 'anthropic', model: 'claude-sonnet-4-0', input: 5000, output: 300, cacheRead: 4096, durationMs: 3100 },
    {
      provider: i === 7 ? 'acme' : 'openai',
      model: i === 7 ? 'acme-llm-1' : 'gpt-4.1-mini',
      input: 900,
      output: 60,
      durationMs: 600,
    },
    {
      provider: 'anthropic',
      model: 'claude-sonnet-4-0',
      input: 5200,
      output: 250,
      cacheRead: 4096,
      error: i === 5,
      durationMs: 2800,
    },
  ];
}

/** Runs every 50 minutes, the last one about an hour before `nowMs`. */
export function buildSeed(nowMs: number, prefix = 'seed'): SeedData {
  const spans: SeedSpan[] = [];
  const runs: SeedRun[] = [];
  for (let i = 0; i < SEED_RUNS; i++) {
    const service = i % 2 === 0 ? 'mailer' : 'support';
    const workflow = service === 'mailer' ? 'sort-mail' : 'answer-ticket';
    const regressed = i >= REGRESSION_AT && service === 'mailer';
    const version = i >= REGRESSION_AT ? '1.1.0' : '1.0.0';
    const traceId = hex(`${prefix}-trace-${i}`, 16);
    const rootId = hex(`${prefix}-root-${i}`, 8);
    const startMs = nowMs - (SEED_RUNS - i) * 50 * 60_000 - 10 * 60_000;
    const calls = callsOf(i, service, regressed);
    let t = startMs + 5;
    const callSpanIds: string[] = [];
    for (const [k, c] of calls.entries()) {
      const spanId = hex(`${prefix}-call-${i}-${k}`, 8);
      callSpanIds.push(spanId);
      spans.push({
        traceId,
        spanId,
        parentSpanId: rootId,
        name: `chat ${c.model}`,
        kind: 'client',
        startMs: t,
        durationMs: c.durationMs,
        service,
        version,
        error: c.error === true,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': c.provider,
          'gen_ai.request.model': c.model,
          'gen_ai.response.model': c.model,
          'gen_ai.usage.input_tokens': c.input,
          'gen_ai.usage.output_tokens': c.output,
          ...(c.cacheRead ? { 'gen_ai.usage.cache_read.input_tokens': c.cacheRead } : {}),
          ...(c.error ? { 'error.type': 'overloaded_error' } : { 'gen_ai.response.finish_reasons': '["stop"]' }),
          'gen_ai.input.messages': messages(['system', `You help with ${workflow}.`], ['user', `Request ${i}.${k}`]),
          'kaizen.workflow.name': workflow,
          'kaizen.agent.name': service === 'mailer' ? 'sorter' : 'helper',
        },
      });
      t += c.durationMs + 10;
    }
    spans.push({
      traceId,
      spanId: rootId,
      parentSpanId: '',
      name: `invoke_workflow ${workflow}`,
      kind: 'internal',
      startMs,
      durationMs: t - startMs + 5,
      service,
      version,
      error: false,
      attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'kaizen.workflow.name': workflow },
    });
    runs.push({ traceId, service, workflow, version, startMs, callSpanIds });
  }
  return { spans, runs };
}
