import { calcPrice } from '@pydantic/genai-prices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { p, sql } from '../src/query/sql.js';
import { T } from '../src/schema/tables.js';
import type { GenaiCallRow } from '../src/schema/rows.js';
import { hexId, messages, openTempStore, spanRow, type OtelTraceRow, type TempStore } from './support/index.js';

/**
 * Spans written the way each dialect's instrumentation writes them (attribute names and value
 * formats as the contrib exporter stores them) produce the right genai_calls row.
 */

let store: TempStore;

beforeAll(async () => {
  store = await openTempStore();
});
afterAll(async () => {
  await store.close();
});

async function insertSpans(...rows: OtelTraceRow[]): Promise<void> {
  await store.storage.insert(T.otelTraces, rows);
}

async function callsOf(traceId: string): Promise<GenaiCallRow[]> {
  return store.storage.query<GenaiCallRow>(
    sql`SELECT * FROM ${store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)} ORDER BY Timestamp, SpanId`,
  );
}

const pick = (r: GenaiCallRow) => ({
  Dialect: r.Dialect,
  Provider: r.Provider,
  Operation: r.Operation,
  RequestModel: r.RequestModel,
  ResponseModel: r.ResponseModel,
  PriceModel: r.PriceModel,
  InputTokens: r.InputTokens,
  OutputTokens: r.OutputTokens,
  CacheReadTokens: r.CacheReadTokens,
  CacheWriteTokens: r.CacheWriteTokens,
  ReasoningTokens: r.ReasoningTokens,
  CostSource: r.CostSource,
});

describe('semantic conventions >= 1.37 (gen_ai.provider.name, JSON content attributes)', () => {
  it('normalises an OpenAI chat call with cached and reasoning tokens', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanName: 'chat gpt-4o',
        ScopeName: '@kaizen/instrumentation-openai',
        ResourceAttributes: {
          'service.name': 'mailer',
          'service.version': '1.4.2',
          'deployment.environment.name': 'prod',
        },
        ServiceName: 'mailer',
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.request.temperature': '0.2',
          'gen_ai.request.max_tokens': '512',
          'gen_ai.response.id': 'chatcmpl-1',
          'gen_ai.response.finish_reasons': '["stop"]',
          'gen_ai.usage.input_tokens': '1200',
          'gen_ai.usage.output_tokens': '300',
          'gen_ai.usage.cache_read.input_tokens': '1024',
          'gen_ai.usage.reasoning.output_tokens': '0',
          'gen_ai.input.messages': messages(['system', 'You are a mail sorter.'], ['user', 'Sort this mail.']),
          'gen_ai.output.messages': JSON.stringify([
            { role: 'assistant', parts: [{ type: 'text', content: 'Billing.' }], finish_reason: 'stop' },
          ]),
          'server.address': 'api.openai.com',
          'server.port': '443',
          'kaizen.workflow.name': 'sort-mail',
          'gen_ai.request.stream': 'true',
          'gen_ai.response.time_to_first_chunk': '0.25',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(pick(row!)).toEqual({
      Dialect: 'semconv',
      Provider: 'openai',
      Operation: 'chat',
      RequestModel: 'gpt-4o',
      ResponseModel: 'gpt-4o-2024-08-06',
      PriceModel: 'gpt-4o',
      InputTokens: '1200',
      OutputTokens: '300',
      CacheReadTokens: '1024',
      CacheWriteTokens: '0',
      ReasoningTokens: '0',
      CostSource: 'library',
    });
    // gpt-4o: $2.50 input, $1.25 cached input, $10 output per million tokens.
    expect(row!.CostUSD).toBeCloseTo((176 * 2.5 + 1024 * 1.25 + 300 * 10) / 1e6, 12);
    expect(row).toMatchObject({
      ServiceName: 'mailer',
      ServiceVersion: '1.4.2',
      Environment: 'prod',
      WorkflowName: 'sort-mail',
      FinishReasons: ['stop'],
      Temperature: 0.2,
      MaxTokens: 512,
      ResponseId: 'chatcmpl-1',
      ServerAddress: 'api.openai.com',
      IsStream: 1,
      TimeToFirstTokenNs: '250000000',
      IsError: 0,
    });
    expect(JSON.parse(row!.InputMessages)).toHaveLength(2);
    expect(row!.PromptHash).not.toBe('0');
    expect(row!.PromptSimHash).not.toBe('0');
    expect(row!.SystemHash).not.toBe('0');
  });

  it('adds nothing to Anthropic input that already includes cache tokens, and prices cache writes', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanName: 'chat claude-sonnet-4-5',
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
          'gen_ai.usage.input_tokens': '5000',
          'gen_ai.usage.cache_read.input_tokens': '3000',
          'gen_ai.usage.cache_creation.input_tokens': '1000',
          'gen_ai.usage.output_tokens': '400',
          'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You review drafts.' }]),
          'gen_ai.input.messages': messages(['user', 'Review this draft.']),
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(pick(row!)).toMatchObject({
      Provider: 'anthropic',
      InputTokens: '5000',
      CacheReadTokens: '3000',
      CacheWriteTokens: '1000',
    });
    expect(row!.PriceModel).toBe('claude-sonnet-4-5');
    // Sonnet 4.5: $3 input, $0.30 cache read, $3.75 cache write (5 min), $15 output.
    expect(row!.CostUSD).toBeCloseTo((1000 * 3 + 3000 * 0.3 + 1000 * 3.75 + 400 * 15) / 1e6, 12);
    expect(row!.SystemInstructions).toContain('You review drafts.');
  });

  it("adds cache tokens to Anthropic's raw input count (openlit copies the API's numbers)", async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        ScopeName: '@openlit/instrumentation-anthropic',
        SpanName: 'chat claude-sonnet-4-5',
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.usage.input_tokens': '1000',
          'gen_ai.usage.cache_read.input_tokens': '3000',
          'gen_ai.usage.cache_creation.input_tokens': '1000',
          'gen_ai.usage.output_tokens': '400',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(row!.InputTokens).toBe('5000');
    expect(row!.CostUSD).toBeCloseTo((1000 * 3 + 3000 * 0.3 + 1000 * 3.75 + 400 * 15) / 1e6, 12);
  });

  it('counts Gemini thoughts inside output and prices cached input at the cache-read price', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanName: 'generate_content gemini-2.5-flash',
        SpanAttributes: {
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.provider.name': 'gcp.gemini',
          'gen_ai.request.model': 'gemini-2.5-flash',
          'gen_ai.usage.input_tokens': '10000',
          'gen_ai.usage.cache_read.input_tokens': '4000',
          'gen_ai.usage.output_tokens': '500',
          'gen_ai.usage.reasoning.output_tokens': '200',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(pick(row!)).toMatchObject({
      Provider: 'gcp.gemini',
      Operation: 'generate_content',
      PriceModel: 'gemini-2.5-flash',
      OutputTokens: '500',
      ReasoningTokens: '200',
    });
    // gemini-2.5-flash: $0.30 input, $0.03 cached input, $2.50 output.
    expect(row!.CostUSD).toBeCloseTo((6000 * 0.3 + 4000 * 0.03 + 500 * 2.5) / 1e6, 12);
  });

  it('switches the whole request to the long-context tier above the threshold', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanAttributes: {
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.provider.name': 'gcp.vertex_ai',
          'gen_ai.request.model': 'gemini-2.5-pro',
          'gen_ai.usage.input_tokens': '250000',
          'gen_ai.usage.output_tokens': '1000',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(row!.PriceModel).toBe('gemini-2.5-pro');
    // gemini-2.5-pro above 200k input tokens: $2.50 input, $15 output (instead of $1.25 / $10).
    expect(row!.CostUSD).toBeCloseTo((250000 * 2.5 + 1000 * 15) / 1e6, 12);
  });
});

describe('semantic conventions 1.26-1.36 (gen_ai.system, content as log events)', () => {
  it('reads usage from the span and content from otel_logs events', async () => {
    const traceId = hexId(16);
    const spanId = hexId(8);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanId: spanId,
        SpanName: 'chat gpt-4o-mini',
        ScopeName: '@opentelemetry/instrumentation-openai',
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': '100',
          'gen_ai.usage.output_tokens': '20',
          'gen_ai.response.finish_reasons': '["stop"]',
        },
      }),
    );
    const log = (eventName: string, body: string) => ({
      Timestamp: `${Math.floor(Date.now() / 1000)}.000000001`,
      TraceId: traceId,
      SpanId: spanId,
      TraceFlags: 1,
      SeverityText: 'INFO',
      SeverityNumber: 9,
      ServiceName: 'test-service',
      Body: body,
      ResourceSchemaUrl: '',
      ResourceAttributes: { 'service.name': 'test-service' },
      ScopeSchemaUrl: '',
      ScopeName: '@opentelemetry/instrumentation-openai',
      ScopeVersion: '0.22.0',
      ScopeAttributes: {},
      LogAttributes: { 'event.name': eventName, 'gen_ai.system': 'openai' },
      EventName: eventName,
    });
    await store.storage.insert(T.otelLogs, [
      log('gen_ai.system.message', '{"content":"Be brief."}'),
      log('gen_ai.user.message', '{"content":"What is 2+2?"}'),
      log('gen_ai.choice', '{"index":0,"finish_reason":"stop","message":{"content":"4"}}'),
    ]);
    const [row] = await callsOf(traceId);
    expect(pick(row!)).toMatchObject({
      Dialect: 'semconv_legacy',
      Provider: 'openai',
      PriceModel: 'gpt-4o-mini',
      InputTokens: '100',
      OutputTokens: '20',
    });
    expect(row!.CostUSD).toBeCloseTo((100 * 0.15 + 20 * 0.6) / 1e6, 12);
    const content = await store.storage.query<{ EventName: string; InputMessages: string; OutputMessages: string }>(
      sql`SELECT EventName, InputMessages, OutputMessages FROM ${store.storage.table(T.genaiLogMessages)}
          WHERE TraceId = ${p.string(traceId)} AND SpanId = ${p.string(spanId)} ORDER BY EventName`,
    );
    expect(
      content.map((c) => [c.EventName, JSON.parse(c.InputMessages || '[]'), JSON.parse(c.OutputMessages || '[]')]),
    ).toEqual([
      ['gen_ai.choice', [], [{ role: 'assistant', parts: [{ type: 'text', content: '4' }] }]],
      ['gen_ai.system.message', [{ role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] }], []],
      ['gen_ai.user.message', [{ role: 'user', parts: [{ type: 'text', content: 'What is 2+2?' }] }], []],
    ]);
  });

  it('accepts the 1.26 usage names prompt_tokens/completion_tokens', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanName: 'chat gpt-4o',
        SpanAttributes: {
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.prompt_tokens': '10',
          'gen_ai.usage.completion_tokens': '5',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(pick(row!)).toMatchObject({ Operation: 'chat', InputTokens: '10', OutputTokens: '5', PriceModel: 'gpt-4o' });
  });
});

describe('OpenLLMetry (Traceloop)', () => {
  it('reads gen_ai.prompt.N / gen_ai.completion.N and llm.request.type', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanName: 'openai.chat',
        ScopeName: '@traceloop/instrumentation-openai',
        SpanAttributes: {
          'llm.request.type': 'chat',
          'gen_ai.system': 'OpenAI',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.prompt_tokens': '2000',
          'gen_ai.usage.completion_tokens': '50',
          'gen_ai.usage.cache_read_input_tokens': '1024',
          'llm.usage.total_tokens': '2050',
          'gen_ai.prompt.0.role': 'system',
          'gen_ai.prompt.0.content': 'You classify tickets.',
          'gen_ai.prompt.1.role': 'user',
          'gen_ai.prompt.1.content': 'My invoice is wrong.',
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.content': 'billing',
          'gen_ai.completion.0.finish_reason': 'stop',
          'traceloop.workflow.name': 'triage',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(pick(row!)).toMatchObject({
      Dialect: 'openllmetry',
      Provider: 'openai',
      Operation: 'chat',
      PriceModel: 'gpt-4o-mini',
      InputTokens: '2000',
      OutputTokens: '50',
      CacheReadTokens: '1024',
    });
    expect(row!.WorkflowName).toBe('triage');
    expect(row!.FinishReasons).toEqual(['stop']);
    expect(JSON.parse(row!.InputMessages)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You classify tickets.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'My invoice is wrong.' }] },
    ]);
    expect(JSON.parse(row!.OutputMessages)[0]).toMatchObject({
      role: 'assistant',
      parts: [{ type: 'text', content: 'billing' }],
    });
    expect(row!.CostUSD).toBeCloseTo((976 * 0.15 + 1024 * 0.075 + 50 * 0.6) / 1e6, 12);
  });
});

describe('OpenInference (Arize)', () => {
  it('reads llm.* attributes and skips CHAIN spans', async () => {
    const traceId = hexId(16);
    const chainId = hexId(8);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanId: chainId,
        SpanName: 'RunnableSequence',
        SpanKind: 'Internal',
        SpanAttributes: { 'openinference.span.kind': 'CHAIN', 'input.value': 'hello', 'llm.token_count.prompt': '999' },
      }),
      spanRow({
        TraceId: traceId,
        ParentSpanId: chainId,
        SpanName: 'ChatOpenAI',
        ScopeName: '@arizeai/openinference-instrumentation-openai',
        SpanAttributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'openai',
          'llm.system': 'openai',
          'llm.model_name': 'gpt-4o-mini-2024-07-18',
          'llm.token_count.prompt': '300',
          'llm.token_count.completion': '40',
          'llm.token_count.total': '340',
          'llm.invocation_parameters': '{"temperature":0.5,"max_tokens":100}',
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Summarise the thread.',
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': 'A summary.',
          'input.value': '{"messages":[{"role":"user","content":"Summarise the thread."}]}',
          'input.mime_type': 'application/json',
        },
      }),
    );
    const rows = await callsOf(traceId);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(pick(row)).toMatchObject({
      Dialect: 'openinference',
      Provider: 'openai',
      Operation: 'chat',
      RequestModel: 'gpt-4o-mini-2024-07-18',
      PriceModel: 'gpt-4o-mini',
      InputTokens: '300',
      OutputTokens: '40',
    });
    expect(row.Temperature).toBe(0.5);
    expect(row.MaxTokens).toBe(100);
    expect(JSON.parse(row.InputMessages)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Summarise the thread.' }] },
    ]);
    expect(JSON.parse(row.OutputMessages)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'A summary.' }] },
    ]);
  });
});

describe('Vercel AI SDK', () => {
  it('v6: counts the doGenerate span, not the ai.generateText wrapper that carries the same usage', async () => {
    const traceId = hexId(16);
    const outer = hexId(8);
    const usage = { 'ai.usage.promptTokens': '700', 'ai.usage.completionTokens': '70' };
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanId: outer,
        SpanName: 'ai.generateText',
        SpanKind: 'Internal',
        ScopeName: 'ai',
        SpanAttributes: {
          'ai.model.id': 'gpt-4o',
          'ai.model.provider': 'openai.chat',
          ...usage,
          'ai.telemetry.functionId': 'draft-reply',
        },
      }),
      spanRow({
        TraceId: traceId,
        ParentSpanId: outer,
        SpanName: 'ai.generateText.doGenerate',
        ScopeName: 'ai',
        SpanAttributes: {
          'ai.model.id': 'gpt-4o',
          'ai.model.provider': 'openai.chat',
          'gen_ai.system': 'openai.chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': '700',
          'gen_ai.usage.output_tokens': '70',
          ...usage,
          'ai.settings.temperature': '0.7',
          'ai.prompt.messages': JSON.stringify([
            { role: 'system', content: 'You draft replies.' },
            { role: 'user', content: [{ type: 'text', text: 'Reply to Anna.' }] },
          ]),
          'ai.response.text': 'Dear Anna,',
          'ai.response.finishReason': 'stop',
          'ai.telemetry.functionId': 'draft-reply',
        },
      }),
    );
    const rows = await callsOf(traceId);
    expect(rows).toHaveLength(1);
    expect(pick(rows[0]!)).toMatchObject({
      Dialect: 'vercel_ai',
      Provider: 'openai',
      PriceModel: 'gpt-4o',
      InputTokens: '700',
      OutputTokens: '70',
    });
    expect(rows[0]!.WorkflowName).toBe('draft-reply');
    expect(rows[0]!.Temperature).toBe(0.7);
    expect(JSON.parse(rows[0]!.InputMessages)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You draft replies.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Reply to Anna.' }] },
    ]);
    expect(JSON.parse(rows[0]!.OutputMessages)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Dear Anna,' }] },
    ]);
  });

  it('v7: counts the chat span, not the invoke_agent root that carries summed usage', async () => {
    const traceId = hexId(16);
    const root = hexId(8);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanId: root,
        SpanName: 'invoke_agent gpt-4o',
        SpanKind: 'Internal',
        ScopeName: 'gen_ai',
        SpanAttributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': '3000',
          'gen_ai.usage.output_tokens': '300',
        },
      }),
      ...[1, 2].map(() =>
        spanRow({
          TraceId: traceId,
          ParentSpanId: root,
          SpanName: 'chat gpt-4o',
          ScopeName: 'gen_ai',
          SpanAttributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': '1500',
            'gen_ai.usage.output_tokens': '150',
          },
        }),
      ),
    );
    const rows = await callsOf(traceId);
    expect(rows).toHaveLength(2);
    const total = rows.reduce((s, r) => s + Number(r.InputTokens), 0);
    expect(total).toBe(3000);
  });
});

describe('calls that are not priced by the library', () => {
  it('marks an unknown model unpriced instead of pricing it at zero silently', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'acme-finetune-7',
          'gen_ai.usage.input_tokens': '100',
          'gen_ai.usage.output_tokens': '10',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(row).toMatchObject({ CostSource: 'unpriced', CostUSD: 0, PriceModel: '' });
  });

  it('lets a caller-reported cost win over the price table', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': '100',
          'gen_ai.usage.output_tokens': '10',
          'gen_ai.usage.cost': '0.125',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(row).toMatchObject({ CostSource: 'reported', CostUSD: 0.125 });
  });

  it('infers the provider from the model when a span names none', async () => {
    const traceId = hexId(16);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'claude-3-5-haiku-20241022',
          'gen_ai.usage.input_tokens': '1000',
          'gen_ai.usage.output_tokens': '100',
        },
      }),
    );
    const [row] = await callsOf(traceId);
    expect(row!.Provider).toBe('');
    expect(row!.PriceModel).toBe(
      calcPrice({ input_tokens: 1 }, 'claude-3-5-haiku-20241022', { providerId: 'anthropic' })!.model.id,
    );
    expect(row!.CostSource).toBe('library');
  });
});

describe('agent, workflow and tool spans', () => {
  it('do not become calls, so summed usage is never counted twice', async () => {
    const traceId = hexId(16);
    const wf = hexId(8);
    const agent = hexId(8);
    await insertSpans(
      spanRow({
        TraceId: traceId,
        SpanId: wf,
        SpanName: 'invoke_workflow email-crew',
        SpanKind: 'Internal',
        SpanAttributes: {
          'gen_ai.operation.name': 'invoke_workflow',
          'kaizen.workflow.name': 'email-crew',
          'gen_ai.usage.input_tokens': '900',
        },
      }),
      spanRow({
        TraceId: traceId,
        SpanId: agent,
        ParentSpanId: wf,
        SpanName: 'invoke_agent router',
        SpanKind: 'Internal',
        SpanAttributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': 'router',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': '900',
          'gen_ai.usage.output_tokens': '90',
        },
      }),
      spanRow({
        TraceId: traceId,
        ParentSpanId: agent,
        SpanName: 'execute_tool lookup',
        SpanKind: 'Internal',
        SpanAttributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'lookup',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
        },
      }),
      spanRow({
        TraceId: traceId,
        ParentSpanId: agent,
        SpanName: 'chat gpt-4o',
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': '900',
          'gen_ai.usage.output_tokens': '90',
          'kaizen.workflow.name': 'email-crew',
          'kaizen.agent.name': 'router',
        },
      }),
    );
    const rows = await callsOf(traceId);
    expect(rows.map((r) => [r.Operation, r.InputTokens, r.AgentName])).toEqual([['chat', '900', 'router']]);
    const runs = await store.storage.query<{
      WorkflowName: string;
      Calls: string;
      InputTokens: string;
      CostUSD: number;
    }>(
      sql`SELECT max(WorkflowName) AS WorkflowName, sum(Calls) AS Calls, sum(InputTokens) AS InputTokens, sum(CostUSD) AS CostUSD
          FROM ${store.storage.table(T.workflowRuns)} WHERE TraceId = ${p.string(traceId)} GROUP BY TraceId`,
    );
    expect(runs).toEqual([{ WorkflowName: 'email-crew', Calls: '1', InputTokens: '900', CostUSD: rows[0]!.CostUSD }]);
  });
});
