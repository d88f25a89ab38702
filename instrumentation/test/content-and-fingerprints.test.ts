import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicInstrumentation } from '../src/anthropic/instrumentation.js';
import { TRUNCATION_MARK } from '../src/core/content.js';
import {
  computeFingerprints,
  FINGERPRINT_VERSION,
  parseMessagesJson,
  parseSystemInstructions,
} from '../src/fingerprint/index.js';
import { GoogleGenAIInstrumentation } from '../src/google-genai/instrumentation.js';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

/**
 * Fingerprints are recorded whether or not content is, and they are what ClickHouse's genai_calls
 * view recomputes from the recorded content: computeFingerprints over the recorded messages and
 * request parameters gives the recorded kaizen.* values.
 */

const tracing = setupTracing('kaizen');
const openai = new OpenAIInstrumentation({ captureMessageContent: true });
const anthropic = new AnthropicInstrumentation({ captureMessageContent: true });
const genai = new GoogleGenAIInstrumentation({ captureMessageContent: true });

// A second pipeline without KaizenSpanProcessor: its spans get the same attributes, inline.
const inlineExporter = new InMemorySpanExporter();
const inlineProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: inlineExporter })] });
const inlineOpenAI = new OpenAIInstrumentation({ captureMessageContent: true });
inlineOpenAI.setTracerProvider(inlineProvider);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
  await inlineProvider.shutdown();
});
beforeEach(() => {
  tracing.reset();
  inlineExporter.reset();
  for (const i of [openai, anthropic, genai]) i.setConfig({ captureMessageContent: true });
});

function openaiClient(instrumentation = openai) {
  const client = new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
  instrumentation.instrumentClient(client);
  return client;
}

const numberAttr = (a: ReadableSpan['attributes'], key: string) => {
  const v = a[key];
  return typeof v === 'number' ? v : undefined;
};

/** What the genai_calls view computes from a span's recorded content. */
function recomputed(span: ReadableSpan) {
  const a = span.attributes;
  const system = a['gen_ai.system_instructions'];
  const outputType = a['gen_ai.output.type'];
  const input = a['gen_ai.input.messages'];
  const fp = computeFingerprints({
    model: String(a['gen_ai.request.model']),
    operation: String(a['gen_ai.operation.name']),
    temperature: numberAttr(a, 'gen_ai.request.temperature'),
    topP: numberAttr(a, 'gen_ai.request.top_p'),
    topK: numberAttr(a, 'gen_ai.request.top_k'),
    maxTokens: numberAttr(a, 'gen_ai.request.max_tokens'),
    seed: numberAttr(a, 'gen_ai.request.seed'),
    frequencyPenalty: numberAttr(a, 'gen_ai.request.frequency_penalty'),
    presencePenalty: numberAttr(a, 'gen_ai.request.presence_penalty'),
    outputType: typeof outputType === 'string' ? outputType : undefined,
    systemInstructions: typeof system === 'string' ? parseSystemInstructions(system) : undefined,
    inputMessages: parseMessagesJson(typeof input === 'string' ? input : ''),
  });
  return {
    'kaizen.prompt.hash': fp.promptHash.toString(),
    'kaizen.prompt.simhash': fp.promptSimHash.toString(),
    'kaizen.system.hash': fp.systemHash.toString(),
  };
}

function recorded(span: ReadableSpan) {
  const a = span.attributes;
  return {
    'kaizen.prompt.hash': a['kaizen.prompt.hash'],
    'kaizen.prompt.simhash': a['kaizen.prompt.simhash'],
    'kaizen.system.hash': a['kaizen.system.hash'],
  };
}

const chatRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'developer' as const, content: 'Answer in French.' },
    { role: 'user' as const, content: [{ type: 'text' as const, text: 'Translate:  good   morning' }] },
  ],
  temperature: 0.7,
  top_p: 0.9,
  max_tokens: 50,
  frequency_penalty: 0.5,
  presence_penalty: -0.25,
  seed: 11,
};

describe('fingerprints', () => {
  it('equal what the view recomputes from the recorded content, for every SDK', async () => {
    await openaiClient().chat.completions.create(chatRequest);
    await openaiClient().responses.create({ model: 'gpt-5', instructions: 'Be brief.', input: 'Hi there' });
    const claude = new Anthropic({ baseURL: stub.url, apiKey: 'test', maxRetries: 0 });
    anthropic.instrumentClient(claude);
    await claude.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      system: 'You review.',
      messages: [{ role: 'user', content: 'Review this' }],
    });
    const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: stub.url } });
    genai.instrumentClient(ai);
    await ai.models.generateContent({
      model: 'models/gemini-2.5-pro',
      contents: 'Why?',
      config: { systemInstruction: { parts: [{ text: 'Terse.' }] }, topK: 3, responseMimeType: 'application/json' },
    });
    const spans = await tracing.spans();
    expect(spans).toHaveLength(4);
    for (const span of spans) {
      expect(span.attributes['kaizen.fingerprint.version']).toBe(FINGERPRINT_VERSION);
      expect(recorded(span)).toEqual(recomputed(span));
      expect(span.attributes['kaizen.prompt.hash']).not.toBe('0');
    }
    expect(spans[3]?.attributes['gen_ai.request.model']).toBe('gemini-2.5-pro');
  });

  it('are recorded when content is not, with the same values', async () => {
    await openaiClient().chat.completions.create(chatRequest);
    openai.setConfig({ captureMessageContent: false });
    await openaiClient().chat.completions.create({
      ...chatRequest,
      tools: [{ type: 'function', function: { name: 'lookup', description: 'secret', parameters: {} } }],
    });
    const [withContent, without] = await tracing.spans();
    expect(without?.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(without?.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(without?.attributes['gen_ai.system_instructions']).toBeUndefined();
    // Tool names only, without descriptions or schemas.
    expect(without?.attributes['gen_ai.tool.definitions']).toBe('[{"type":"function","name":"lookup"}]');
    expect(recorded(without!)).toEqual(recorded(withContent!));
  });

  it('are the same computed inline (any SDK pipeline) as deferred to the export (KaizenSpanProcessor)', async () => {
    await openaiClient().chat.completions.create(chatRequest);
    await openaiClient(inlineOpenAI).chat.completions.create(chatRequest);
    const [deferred] = await tracing.spans();
    const [inline] = inlineExporter.getFinishedSpans();
    expect(inline).toBeDefined();
    expect(inline?.attributes).toEqual(deferred?.attributes);
  });

  it('tell prompts that differ only in whitespace apart from different ones', async () => {
    const ask = (text: string) =>
      openaiClient().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
    await ask('What is  the capital\nof France?');
    await ask('What is the capital of France?');
    await ask('What is the capital of Spain?');
    const [a, b, c] = (await tracing.spans()).map((s) => s.attributes['kaizen.prompt.hash']);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});

describe('content truncation', () => {
  it('keeps each content attribute under the limit, valid JSON, marked, with fingerprints of the whole prompt', async () => {
    const long = `Summarise: ${'lorem ipsum dolor sit amet '.repeat(400)}`;
    const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: long }] };
    await openaiClient().chat.completions.create(request);
    openai.setConfig({ captureMessageContent: true, maxContentLength: 500 });
    await openaiClient().chat.completions.create(request);
    const [full, cut] = await tracing.spans();
    const input = String(cut?.attributes['gen_ai.input.messages']);
    expect(input.length).toBeLessThanOrEqual(500);
    const parsed = JSON.parse(input) as { parts: { content: string }[] }[];
    expect(parsed[0]?.parts[0]?.content.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(cut?.attributes['kaizen.content.truncated']).toBe(true);
    expect(full?.attributes['kaizen.content.truncated']).toBeUndefined();
    expect(recorded(cut!)).toEqual(recorded(full!));
  });
});
