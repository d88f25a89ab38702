import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

const sortMail = [
  { role: 'system' as const, content: 'You sort mail.' },
  { role: 'user' as const, content: 'Sort: invoice #42 overdue' },
];

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('openai chat.completions.create', () => {
  it('records a plain call with the conventions’ attributes, content and fingerprints', async () => {
    const completion = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: sortMail,
      temperature: 0.2,
      max_completion_tokens: 64,
      seed: 7,
      stop: ['END'],
      response_format: { type: 'json_object' },
    });
    expect(completion.choices[0]?.message.content).toBe('Hello from the stub.');
    expect(await onlySpan()).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "You sort mail.",
                  "type": "text",
                },
              ],
              "role": "system",
            },
            {
              "parts": [
                {
                  "content": "Sort: invoice #42 overdue",
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
                  "content": "Hello from the stub.",
                  "type": "text",
                },
              ],
              "role": "assistant",
            },
          ],
          "gen_ai.output.type": "json",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.max_tokens": 64,
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.request.seed": 7,
          "gen_ai.request.stop_sequences": [
            "END",
          ],
          "gen_ai.request.temperature": 0.2,
          "gen_ai.response.finish_reasons": [
            "stop",
          ],
          "gen_ai.response.id": "chatcmpl-stub-1",
          "gen_ai.response.model": "gpt-4o-mini-2026-01-01",
          "gen_ai.usage.cache_read.input_tokens": 12,
          "gen_ai.usage.input_tokens": 42,
          "gen_ai.usage.output_tokens": 17,
          "gen_ai.usage.reasoning.output_tokens": 5,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "14619037636371017276",
          "kaizen.prompt.simhash": "220550530",
          "kaizen.system.hash": "16807658561758417427",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "chat gpt-4o-mini",
        "status": "UNSET",
      }
    `);
  });

  it('reads streamed usage from the final chunk with empty choices, and the time to first chunk', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: sortMail,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    // The caller asked for the usage chunk: it reaches the caller.
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(42);
    expect(await onlySpan()).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "You sort mail.",
                  "type": "text",
                },
              ],
              "role": "system",
            },
            {
              "parts": [
                {
                  "content": "Sort: invoice #42 overdue",
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
                  "content": "Hello from the stub.",
                  "type": "text",
                },
              ],
              "role": "assistant",
            },
          ],
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.request.stream": true,
          "gen_ai.response.finish_reasons": [
            "stop",
          ],
          "gen_ai.response.id": "chatcmpl-stub-1",
          "gen_ai.response.model": "gpt-4o-mini-2026-01-01",
          "gen_ai.response.time_to_first_chunk": "<seconds>",
          "gen_ai.usage.cache_read.input_tokens": 12,
          "gen_ai.usage.input_tokens": 42,
          "gen_ai.usage.output_tokens": 17,
          "gen_ai.usage.reasoning.output_tokens": 5,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "6715538603887253791",
          "kaizen.prompt.simhash": "220550530",
          "kaizen.system.hash": "16807658561758417427",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "chat gpt-4o-mini",
        "status": "UNSET",
      }
    `);
  });

  it('asks for usage the caller did not ask for, and hides it from the caller', async () => {
    const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: sortMail, stream: true });
    const chunks = await collect(stream);
    expect(stub.requests.at(-1)?.body['stream_options']).toEqual({ include_usage: true });
    expect(chunks.every((c) => c.choices.length > 0 && !('usage' in c))).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the stub.');
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(42);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(17);
  });

  it('ends the span when the consumer breaks out of the stream early', async () => {
    const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: sortMail, stream: true });
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      break;
    }
    const span = await onlySpan();
    expect(span.attributes['kaizen.stream.abandoned']).toBe(true);
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBe('<seconds>');
    expect(span.status).toBe('UNSET');
  });

  it('observes tee() branches as one call', async () => {
    const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: sortMail, stream: true });
    const [left, right] = stream.tee();
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a.length).toBe(b.length);
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(17);
    expect(span.attributes['kaizen.stream.abandoned']).toBeUndefined();
  });

  it('records tool definitions and tool calls, plain and streamed', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Weather in a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const messages = [
      { role: 'user' as const, content: 'Weather in Paris? [tool]' },
      {
        role: 'assistant' as const,
        content: null,
        tool_calls: [
          { id: 'call_0', type: 'function' as const, function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        ],
      },
      { role: 'tool' as const, tool_call_id: 'call_0', content: '{"temp":21}' },
    ];
    const plain = await client().chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    expect(plain.choices[0]?.message.tool_calls?.[0]?.id).toBe('call_stub_1');
    const stream = await client().chat.completions.create({ model: 'gpt-4o-mini', messages, tools, stream: true });
    await collect(stream);
    const [first, second] = (await tracing.spans()).map(snapshotOf);
    expect(first).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "Weather in Paris? [tool]",
                  "type": "text",
                },
              ],
              "role": "user",
            },
            {
              "parts": [
                {
                  "arguments": "{"city":"Lyon"}",
                  "id": "call_0",
                  "name": "get_weather",
                  "type": "tool_call",
                },
              ],
              "role": "assistant",
            },
            {
              "parts": [
                {
                  "id": "call_0",
                  "response": "{"temp":21}",
                  "type": "tool_call_response",
                },
              ],
              "role": "tool",
            },
          ],
          "gen_ai.operation.name": "chat",
          "gen_ai.output.messages": [
            {
              "finish_reason": "tool_calls",
              "parts": [
                {
                  "arguments": "{"city":"Paris"}",
                  "id": "call_stub_1",
                  "name": "get_weather",
                  "type": "tool_call",
                },
              ],
              "role": "assistant",
            },
          ],
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.response.finish_reasons": [
            "tool_calls",
          ],
          "gen_ai.response.id": "chatcmpl-stub-1",
          "gen_ai.response.model": "gpt-4o-mini-2026-01-01",
          "gen_ai.tool.definitions": [
            {
              "description": "Weather in a city",
              "name": "get_weather",
              "parameters": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
              "type": "function",
            },
          ],
          "gen_ai.usage.cache_read.input_tokens": 12,
          "gen_ai.usage.input_tokens": 42,
          "gen_ai.usage.output_tokens": 17,
          "gen_ai.usage.reasoning.output_tokens": 5,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "13576548905275812175",
          "kaizen.prompt.simhash": "2902277837",
          "kaizen.system.hash": "0",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "chat gpt-4o-mini",
        "status": "UNSET",
      }
    `);
    expect(second?.attributes['gen_ai.output.messages']).toEqual(first?.attributes['gen_ai.output.messages']);
    expect(second?.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
  });

  it.each([
    [429, 'RateLimitError'],
    [500, 'InternalServerError'],
  ])('records a %i as an error and hands the caller the SDK’s own error', async (status, name) => {
    const call = client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `hi [error:${status}]` }],
    });
    const error: unknown = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).constructor.name).toBe(name);
    expect((error as { status: number }).status).toBe(status);
    const span = await onlySpan();
    expect(span.status).toBe(`ERROR: ${(error as Error).message}`);
    expect(span.attributes['error.type']).toBe(name);
    expect(span.attributes['http.response.status_code']).toBe(status);
    expect(span.attributes['server.address']).toBe('127.0.0.1');
  });

  it('keeps withResponse() and asResponse() working', async () => {
    const { data, response } = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: sortMail })
      .withResponse();
    expect(data.id).toBe('chatcmpl-stub-1');
    expect(response.status).toBe(200);
    const raw = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: sortMail }).asResponse();
    // The body was not parsed by the instrumentation: the caller can still read it.
    expect(((await raw.json()) as { id: string }).id).toBe('chatcmpl-stub-1');
    const spans = (await tracing.spans()).map(snapshotOf);
    expect(spans.map((s) => s.attributes['gen_ai.response.id'])).toEqual(['chatcmpl-stub-1', undefined]);
    expect(spans.every((s) => s.status === 'UNSET')).toBe(true);
  });

  it('covers the SDK’s stream() helper as one call', async () => {
    const runner = client().chat.completions.stream({ model: 'gpt-4o-mini', messages: sortMail });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Hello from the stub.');
    const span = await onlySpan();
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(17);
  });
});

describe('a stream nobody reads', () => {
  it('ends its span as abandoned once the stream is garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await (async () => {
      // The stream is dropped unread when this function returns.
      await client().chat.completions.create({ model: 'gpt-4o-mini', messages: sortMail, stream: true });
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
