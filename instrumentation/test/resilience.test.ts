import { diag, DiagLogLevel, trace, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import * as openaiModule from 'openai';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatStreamReader } from '../src/openai/chat.js';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

/** Forced internal failures never reach the application's call: it runs, and gets its own result. */

const tracing = setupTracing('kaizen');
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true, streamUsage: 'always' });
instrumentation.manuallyInstrument(openaiModule);

const logged: string[] = [];
diag.setLogger(
  {
    error: (...args: unknown[]) => logged.push(args.map(String).join(' ')),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  },
  DiagLogLevel.ERROR,
);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => {
  tracing.reset();
  logged.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  instrumentation.setTracerProvider(trace.getTracerProvider());
});

const client = () => new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

function brokenTracer(broken: 'startSpan' | 'span'): TracerProvider {
  const failing = (): never => {
    throw new Error('tracer broke');
  };
  const span = new Proxy({} as Span, {
    get: (_t, key) => (key === 'isRecording' ? () => true : key === 'spanContext' ? failing : failing),
  });
  const tracer = {
    startSpan: broken === 'startSpan' ? failing : () => span,
    startActiveSpan: failing,
  } as unknown as Tracer;
  return { getTracer: () => tracer };
}

describe('internal failures', () => {
  it('a tracer that throws on startSpan: the call is unaffected', async () => {
    instrumentation.setTracerProvider(brokenTracer('startSpan'));
    const completion = await client().chat.completions.create(request);
    expect(completion.choices[0]?.message.content).toBe('Hello from the stub.');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged.some((m) => m.includes('could not record a model call'))).toBe(true);
  });

  it('a span whose every method throws: the call, and its stream, still reach the caller whole', async () => {
    instrumentation.setTracerProvider(brokenTracer('span'));
    const completion = await client().chat.completions.create(request);
    expect(completion.choices[0]?.message.content).toBe('Hello from the stub.');
    const stream = await client().chat.completions.create({ ...request, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the stub.');
  });

  it('a failing request mapper: the call runs uninstrumented with the caller’s own arguments', async () => {
    vi.spyOn(OpenAIInstrumentation.prototype as unknown as { _prepare: () => unknown }, '_prepare').mockImplementation(
      () => {
        throw new Error('mapper broke');
      },
    );
    const completion = await client().chat.completions.create(request);
    expect(completion.id).toBe('chatcmpl-stub-1');
    expect(stub.requests.at(-1)?.body['stream_options']).toBeUndefined();
    expect(await tracing.spans()).toHaveLength(0);
  });

  it('a failing response reader: the caller gets the SDK’s result, the span still ends', async () => {
    vi.spyOn(OpenAIInstrumentation.prototype as unknown as { _onValue: () => unknown }, '_onValue').mockImplementation(
      () => {
        throw new Error('reader broke');
      },
    );
    const completion = await client().chat.completions.create(request);
    expect(completion).toBeInstanceOf(Object);
    expect(completion.choices[0]?.message.content).toBe('Hello from the stub.');
    expect(await tracing.spans()).toHaveLength(1);
    expect(logged.some((m) => m.includes('could not read a model response'))).toBe(true);
  });

  it('a failing stream chunk reader: every chunk still reaches the caller, the span still ends', async () => {
    vi.spyOn(ChatStreamReader.prototype, 'chunk').mockImplementation(() => {
      throw new Error('chunk reader broke');
    });
    const stream = await client().chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    // The role chunk, two text chunks, the finish chunk and the usage chunk the caller asked for.
    expect(chunks).toHaveLength(5);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(59);
    const [span] = await tracing.spans();
    expect(span?.ended).toBe(true);
    expect(logged.some((m) => m.includes('could not read a stream chunk'))).toBe(true);
  });

  it('hands back the very promise type the SDK made, and its errors unchanged', async () => {
    const promise = client().chat.completions.create(request);
    expect(promise).toBeInstanceOf(openaiModule.APIPromise);
    const failed = client().chat.completions.create({
      ...request,
      messages: [{ role: 'user', content: '[error:500]' }],
    });
    await expect(failed).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await promise;
  });
});
