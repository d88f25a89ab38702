import * as genaiModule from '@google/genai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GoogleGenAIInstrumentation } from '../src/google-genai/instrumentation.js';
import { snapshotOf } from './support/span-snapshot.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing('kaizen');
const instrumentation = new GoogleGenAIInstrumentation({ captureMessageContent: true });

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

function client(options: { vertexai?: boolean } = {}) {
  const ai = new GoogleGenAI({ apiKey: 'test', ...options, httpOptions: { baseUrl: stub.url } });
  instrumentation.instrumentClient(ai);
  return ai;
}

async function onlySpan() {
  const spans = await tracing.spans();
  expect(spans).toHaveLength(1);
  return snapshotOf(spans[0]!);
}

const params = {
  model: 'gemini-2.5-flash',
  contents: [{ role: 'user', parts: [{ text: 'Why is the sky blue?' }] }],
  config: { systemInstruction: 'You are terse.', temperature: 0.1, seed: 3, maxOutputTokens: 99 },
};

describe('@google/genai models', () => {
  it('records generateContent: output = candidates + thoughts', async () => {
    const response = await client().models.generateContent(params);
    expect(response.text).toBe('Hello from the stub.');
    expect(await onlySpan()).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "Why is the sky blue?",
                  "type": "text",
                },
              ],
              "role": "user",
            },
          ],
          "gen_ai.operation.name": "generate_content",
          "gen_ai.output.messages": [
            {
              "finish_reason": "STOP",
              "parts": [
                {
                  "content": "Hello from the stub.",
                  "type": "text",
                },
              ],
              "role": "assistant",
            },
          ],
          "gen_ai.provider.name": "gcp.gemini",
          "gen_ai.request.max_tokens": 99,
          "gen_ai.request.model": "gemini-2.5-flash",
          "gen_ai.request.seed": 3,
          "gen_ai.request.temperature": 0.1,
          "gen_ai.response.finish_reasons": [
            "STOP",
          ],
          "gen_ai.response.id": "gemini-stub-1",
          "gen_ai.response.model": "gemini-2.5-flash-001",
          "gen_ai.system_instructions": [
            {
              "content": "You are terse.",
              "type": "text",
            },
          ],
          "gen_ai.usage.cache_read.input_tokens": 12,
          "gen_ai.usage.input_tokens": 42,
          "gen_ai.usage.output_tokens": 17,
          "gen_ai.usage.reasoning.output_tokens": 6,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "15761163376316554294",
          "kaizen.prompt.simhash": "188210118",
          "kaizen.system.hash": "9571201764527168919",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "generate_content gemini-2.5-flash",
        "status": "UNSET",
      }
    `);
  });

  it('reads generateContentStream: the last running usage total, never a sum', async () => {
    const stream = await client().models.generateContentStream(params);
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe('Hello from the stub.');
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.usage.reasoning.output_tokens': 6,
      'gen_ai.usage.cache_read.input_tokens': 12,
      'gen_ai.response.time_to_first_chunk': '<seconds>',
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'text', content: 'Hello from the stub.' }], finish_reason: 'STOP' },
      ],
    });
  });

  it('ends the span when the consumer breaks out early', async () => {
    const stream = await client().models.generateContentStream(params);
    for await (const chunk of stream) {
      expect(chunk.text).toBe('Hello from the ');
      break;
    }
    const span = await onlySpan();
    expect(span.attributes['kaizen.stream.abandoned']).toBe(true);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(9);
  });

  it('records a function call and chats (which call models)', async () => {
    const chat = client().chats.create({ model: 'gemini-2.5-flash', history: [] });
    const response = await chat.sendMessage({ message: 'Weather in Paris? [tool]' });
    expect(response.functionCalls?.[0]?.name).toBe('get_weather');
    const span = await onlySpan();
    expect(span.attributes['gen_ai.output.messages']).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', name: 'get_weather', arguments: { city: 'Paris' } }],
        finish_reason: 'STOP',
      },
    ]);
  });

  it('records embedContent', async () => {
    await client().models.embedContent({
      model: 'gemini-embedding-001',
      contents: 'alpha',
      config: { outputDimensionality: 4 },
    });
    const span = await onlySpan();
    expect(span.name).toBe('embeddings gemini-embedding-001');
    expect(span.attributes['gen_ai.embeddings.dimension.count']).toBe(4);
  });

  it('names Vertex AI as the provider for a Vertex AI client', async () => {
    await client({ vertexai: true }).models.generateContent(params);
    const span = await onlySpan();
    expect(span.attributes['gen_ai.provider.name']).toBe('gcp.vertex_ai');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(17);
  });

  it.each([429, 500])('records a %i as an error and hands the caller the SDK’s own error', async (status) => {
    const error: unknown = await client()
      .models.generateContent({ ...params, contents: `hi [error:${status}]` })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(genaiModule.ApiError);
    const span = await onlySpan();
    expect(span.attributes['error.type']).toBe('ApiError');
    expect(span.attributes['http.response.status_code']).toBe(status);
  });

  it('wraps the GoogleGenAI constructor of a module object: new clients are instrumented', async () => {
    const exports: Record<string, unknown> = { ...genaiModule };
    instrumentation.manuallyInstrument(exports);
    const Patched = exports['GoogleGenAI'] as typeof GoogleGenAI;
    expect(Patched).not.toBe(GoogleGenAI);
    const ai = new Patched({ apiKey: 'test', httpOptions: { baseUrl: stub.url } });
    expect(ai).toBeInstanceOf(GoogleGenAI);
    await ai.models.generateContent(params);
    expect((await onlySpan()).name).toBe('generate_content gemini-2.5-flash');
  });
});

describe('a @google/genai stream nobody reads', () => {
  it('ends its span as abandoned once the stream is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ai = client();
    await (async () => {
      await ai.models.generateContentStream(params);
    })();
    let spans = await tracing.spans();
    for (let i = 0; i < 50 && spans.length === 0; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
      spans = await tracing.spans();
    }
    expect(spans).toHaveLength(1);
    expect(spans[0]?.attributes['kaizen.stream.abandoned']).toBe(true);
  });
});
