import * as openaiModule from 'openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import { snapshotOf } from './support/span-snapshot.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing('kaizen');
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true, streamUsage: 'always' });
instrumentation.manuallyInstrument(openaiModule);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

const client = () => new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });

async function onlySpan() {
  const spans = await tracing.spans();
  expect(spans).toHaveLength(1);
  return snapshotOf(spans[0]!);
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('openai responses.create', () => {
  it('records instructions as system instructions, reasoning and usage', async () => {
    const response = await client().responses.create({
      model: 'gpt-5-mini',
      instructions: 'Answer tersely.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is 2+2?' }] }],
      max_output_tokens: 100,
      text: { format: { type: 'json_object' } },
    });
    expect(response.output_text).toBe('Hello from the stub.');
    expect(await onlySpan()).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "What is 2+2?",
                  "type": "text",
                },
              ],
              "role": "user",
            },
          ],
          "gen_ai.operation.name": "chat",
          "gen_ai.output.messages": [
            {
              "finish_reason": "stop",
              "parts": [
                {
                  "content": "Thinking briefly.",
                  "type": "reasoning",
                },
                {
                  "content": "Hello from the stub.",
                  "type": "text",
                },
              ],
              "role": "assistant",
            },
          ],
          "gen_ai.output.type": "json",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.max_tokens": 100,
          "gen_ai.request.model": "gpt-5-mini",
          "gen_ai.response.finish_reasons": [
            "stop",
          ],
          "gen_ai.response.id": "resp_stub_1",
          "gen_ai.response.model": "gpt-5-mini-2026-01-01",
          "gen_ai.system_instructions": [
            {
              "content": "Answer tersely.",
              "type": "text",
            },
          ],
          "gen_ai.usage.cache_read.input_tokens": 12,
          "gen_ai.usage.input_tokens": 42,
          "gen_ai.usage.output_tokens": 17,
          "gen_ai.usage.reasoning.output_tokens": 5,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "14276997450666153593",
          "kaizen.prompt.simhash": "2234606325",
          "kaizen.system.hash": "2721881448714093753",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "chat gpt-5-mini",
        "status": "UNSET",
      }
    `);
  });

  it('reads a stream’s response.completed event', async () => {
    const stream = await client().responses.create({ model: 'gpt-5-mini', input: 'What is 2+2?', stream: true });
    const events = await collect(stream);
    expect(events.at(-1)?.type).toBe('response.completed');
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'gen_ai.response.id': 'resp_stub_1',
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.cache_read.input_tokens': 12,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': '<seconds>',
      'gen_ai.request.stream': true,
    });
  });

  it('records a function call', async () => {
    await client().responses.create({ model: 'gpt-5-mini', input: 'Weather? [tool]' });
    const span = await onlySpan();
    expect(span.attributes['gen_ai.output.messages']).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_stub_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finish_reason: 'tool_call',
      },
    ]);
  });
});

describe('openai embeddings.create', () => {
  it('records an embeddings call with its input fingerprinted', async () => {
    const result = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      dimensions: 4,
    });
    expect(result.data).toHaveLength(2);
    expect(await onlySpan()).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.embeddings.dimension.count": 4,
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "alpha",
                  "type": "text",
                },
                {
                  "content": "beta",
                  "type": "text",
                },
              ],
              "role": "user",
            },
          ],
          "gen_ai.operation.name": "embeddings",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "text-embedding-3-small",
          "gen_ai.response.model": "text-embedding-3-small",
          "gen_ai.usage.input_tokens": 8,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "10008086481168684356",
          "kaizen.prompt.simhash": "1163994772",
          "kaizen.system.hash": "0",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "embeddings text-embedding-3-small",
        "status": "UNSET",
      }
    `);
  });
});
