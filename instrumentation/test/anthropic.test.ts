import * as anthropicModule from '@anthropic-ai/sdk';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicInstrumentation } from '../src/anthropic/instrumentation.js';
import { snapshotOf } from './support/span-snapshot.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing('kaizen');
new AnthropicInstrumentation({ captureMessageContent: true }).manuallyInstrument(anthropicModule);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

const client = () => new Anthropic({ baseURL: stub.url, apiKey: 'test', maxRetries: 0 });

async function onlySpan() {
  const spans = await tracing.spans();
  // @anthropic-ai/sdk 1.x makes call spans of its own; under ours they are suppressed.
  expect(spans.map((s) => s.name)).toEqual([spans[0]?.name]);
  return snapshotOf(spans[0]!);
}

const request = {
  model: 'claude-sonnet-5-5',
  max_tokens: 256,
  system: [{ type: 'text' as const, text: 'You review drafts.' }],
  messages: [{ role: 'user' as const, content: 'Review: the quick brown fox.' }],
  temperature: 0.5,
  top_k: 40,
};

describe('@anthropic-ai/sdk messages.create', () => {
  it('records a plain call: system instructions apart, input including cache reads and writes', async () => {
    const message = await client().messages.create(request);
    expect(message.content[0]).toEqual({ type: 'text', text: 'Hello from the stub.' });
    expect(await onlySpan()).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.input.messages": [
            {
              "parts": [
                {
                  "content": "Review: the quick brown fox.",
                  "type": "text",
                },
              ],
              "role": "user",
            },
          ],
          "gen_ai.operation.name": "chat",
          "gen_ai.output.messages": [
            {
              "finish_reason": "end_turn",
              "parts": [
                {
                  "content": "Hello from the stub.",
                  "type": "text",
                },
              ],
              "role": "assistant",
            },
          ],
          "gen_ai.provider.name": "anthropic",
          "gen_ai.request.max_tokens": 256,
          "gen_ai.request.model": "claude-sonnet-5-5",
          "gen_ai.request.temperature": 0.5,
          "gen_ai.request.top_k": 40,
          "gen_ai.response.finish_reasons": [
            "end_turn",
          ],
          "gen_ai.response.id": "msg_stub_1",
          "gen_ai.response.model": "claude-sonnet-5-5",
          "gen_ai.system_instructions": [
            {
              "content": "You review drafts.",
              "type": "text",
            },
          ],
          "gen_ai.usage.cache_creation.input_tokens": 8,
          "gen_ai.usage.cache_read.input_tokens": 12,
          "gen_ai.usage.input_tokens": 50,
          "gen_ai.usage.output_tokens": 17,
          "gen_ai.usage.reasoning.output_tokens": 4,
          "kaizen.fingerprint.version": "kaizen.v1",
          "kaizen.prompt.hash": "11403013752006752643",
          "kaizen.prompt.simhash": "1544978402",
          "kaizen.system.hash": "2788583572131499013",
          "server.address": "127.0.0.1",
          "server.port": "<port>",
        },
        "kind": "CLIENT",
        "name": "chat claude-sonnet-5-5",
        "status": "UNSET",
      }
    `);
  });

  it('reads a stream: message_start usage, message_delta output tokens and stop reason', async () => {
    const stream = await client().messages.create({ ...request, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(0)).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 12,
      'gen_ai.usage.cache_creation.input_tokens': 8,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.usage.reasoning.output_tokens': 4,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.response.time_to_first_chunk': '<seconds>',
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'text', content: 'Hello from the stub.' }], finish_reason: 'end_turn' },
      ],
    });
  });

  it('covers messages.stream() as one call', async () => {
    const stream = client().messages.stream(request);
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(17);
    const span = await onlySpan();
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(50);
  });

  it('ends the span when the consumer stops reading early', async () => {
    const stream = await client().messages.create({ ...request, stream: true });
    for await (const event of stream) {
      expect(event.type).toBe('message_start');
      break;
    }
    const span = await onlySpan();
    expect(span.attributes['kaizen.stream.abandoned']).toBe(true);
    // What message_start told is kept.
    expect(span.attributes['gen_ai.response.id']).toBe('msg_stub_1');
  });

  it('records tool use, plain and streamed, and tool results as the tool’s messages', async () => {
    const messages = [
      { role: 'user' as const, content: 'Weather in Paris? [tool]' },
      {
        role: 'assistant' as const,
        content: [{ type: 'tool_use' as const, id: 'toolu_0', name: 'get_weather', input: { city: 'Lyon' } }],
      },
      {
        role: 'user' as const,
        content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_0', content: '21°C' }],
      },
    ];
    const tools = [
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: {} } },
    ];
    await client().messages.create({ ...request, messages, tools });
    const stream = await client().messages.create({ ...request, messages, tools, stream: true });
    for await (const event of stream) void event;
    const [plain, streamed] = (await tracing.spans()).map(snapshotOf);
    expect(plain?.attributes['gen_ai.input.messages']).toMatchInlineSnapshot(`
      [
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
              "arguments": {
                "city": "Lyon",
              },
              "id": "toolu_0",
              "name": "get_weather",
              "type": "tool_call",
            },
          ],
          "role": "assistant",
        },
        {
          "parts": [
            {
              "id": "toolu_0",
              "response": "21°C",
              "type": "tool_call_response",
            },
          ],
          "role": "tool",
        },
      ]
    `);
    expect(plain?.attributes['gen_ai.output.messages']).toMatchInlineSnapshot(`
      [
        {
          "finish_reason": "tool_use",
          "parts": [
            {
              "content": "Let me check.",
              "type": "text",
            },
            {
              "arguments": {
                "city": "Paris",
              },
              "id": "toolu_stub_1",
              "name": "get_weather",
              "type": "tool_call",
            },
          ],
          "role": "assistant",
        },
      ]
    `);
    expect(streamed?.attributes['gen_ai.output.messages']).toEqual(plain?.attributes['gen_ai.output.messages']);
    expect(plain?.attributes['gen_ai.tool.definitions']).toEqual([
      { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    [429, 'RateLimitError'],
    [500, 'InternalServerError'],
  ])('records a %i as an error and hands the caller the SDK’s own error', async (status, name) => {
    const error: unknown = await client()
      .messages.create({ ...request, messages: [{ role: 'user', content: `hi [error:${status}]` }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as Error).constructor.name).toBe(name);
    const span = await onlySpan();
    expect(span.attributes['error.type']).toBe(name);
    expect(span.attributes['http.response.status_code']).toBe(status);
    expect(span.status.startsWith('ERROR')).toBe(true);
  });
});
