import * as generativeAI from '@google/generative-ai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GoogleGenerativeAIInstrumentation } from '../src/google-generative-ai/instrumentation.js';
import { snapshotOf } from './support/span-snapshot.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing('kaizen');
new GoogleGenerativeAIInstrumentation({ captureMessageContent: true }).manuallyInstrument(generativeAI);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

function model(name = 'gemini-2.5-flash') {
  return new GoogleGenerativeAI('test').getGenerativeModel(
    {
      model: name,
      systemInstruction: 'You are terse.',
      generationConfig: { temperature: 0.3, topK: 20, maxOutputTokens: 128, responseMimeType: 'application/json' },
    },
    { baseUrl: stub.url },
  );
}

async function onlySpan() {
  const spans = await tracing.spans();
  expect(spans).toHaveLength(1);
  return snapshotOf(spans[0]!);
}

describe('@google/generative-ai', () => {
  it('records generateContent: output = candidates + thoughts, input includes cached content', async () => {
    const result = await model().generateContent('Why is the sky blue?');
    expect(result.response.text()).toBe('Hello from the stub.');
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
          "gen_ai.output.type": "json",
          "gen_ai.provider.name": "gcp.gemini",
          "gen_ai.request.max_tokens": 128,
          "gen_ai.request.model": "gemini-2.5-flash",
          "gen_ai.request.temperature": 0.3,
          "gen_ai.request.top_k": 20,
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
          "kaizen.prompt.hash": "16424864802401441226",
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
    const result = await model().generateContentStream('Why is the sky blue?');
    let text = '';
    for await (const chunk of result.stream) text += chunk.text();
    expect(text).toBe('Hello from the stub.');
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.usage.reasoning.output_tokens': 6,
      'gen_ai.usage.cache_read.input_tokens': 12,
      'gen_ai.request.stream': true,
      'gen_ai.response.time_to_first_chunk': '<seconds>',
      'gen_ai.response.finish_reasons': ['STOP'],
    });
  });

  it('ends a stream’s span even when the consumer breaks out early', async () => {
    const result = await model().generateContentStream('Why is the sky blue?');
    for await (const chunk of result.stream) {
      expect(chunk.text()).toBe('Hello from the ');
      break;
    }
    // The SDK still downloads the rest into `response`; the span ends with it.
    await result.response;
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(17);
  });

  it('records embedContent', async () => {
    const result = await model('text-embedding-004').embedContent('alpha');
    expect(result.embedding.values).toHaveLength(4);
    const span = await onlySpan();
    expect(span.name).toBe('embeddings text-embedding-004');
    expect(span.attributes['gen_ai.input.messages']).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'alpha' }] },
    ]);
  });

  it('records chat sendMessage with the history it sends, and sendMessageStream', async () => {
    const chat = model().startChat({
      history: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello.' }] },
      ],
    });
    await chat.sendMessage('Weather in Paris? [tool]');
    const streamed = await chat.sendMessageStream('And now?');
    await streamed.response;
    const [first, second] = (await tracing.spans()).map(snapshotOf);
    expect(first?.attributes['gen_ai.input.messages']).toMatchInlineSnapshot(`
      [
        {
          "parts": [
            {
              "content": "Hi",
              "type": "text",
            },
          ],
          "role": "user",
        },
        {
          "parts": [
            {
              "content": "Hello.",
              "type": "text",
            },
          ],
          "role": "assistant",
        },
        {
          "parts": [
            {
              "content": "Weather in Paris? [tool]",
              "type": "text",
            },
          ],
          "role": "user",
        },
      ]
    `);
    expect(first?.attributes['gen_ai.output.messages']).toMatchInlineSnapshot(`
      [
        {
          "finish_reason": "STOP",
          "parts": [
            {
              "arguments": {
                "city": "Paris",
              },
              "name": "get_weather",
              "type": "tool_call",
            },
          ],
          "role": "assistant",
        },
      ]
    `);
    expect(first?.attributes['gen_ai.system_instructions']).toEqual([{ type: 'text', content: 'You are terse.' }]);
    expect(second?.attributes['gen_ai.request.stream']).toBe(true);
    expect((second?.attributes['gen_ai.input.messages'] as unknown[]).length).toBe(5);
  });

  it.each([429, 500])('records a %i as an error and hands the caller the SDK’s own error', async (status) => {
    const error: unknown = await model()
      .generateContent(`hi [error:${status}]`)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(generativeAI.GoogleGenerativeAIFetchError);
    const span = await onlySpan();
    expect(span.attributes['error.type']).toBe('GoogleGenerativeAIFetchError');
    expect(span.attributes['http.response.status_code']).toBe(status);
  });
});
