import * as anthropic0 from 'anthropic-v0';
import * as openai4 from 'openai-v4';
import * as openai6 from 'openai-v6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicInstrumentation } from '../src/anthropic/instrumentation.js';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

/** The older majors in the supported ranges: openai 4 and 6, @anthropic-ai/sdk 0.x. */

const tracing = setupTracing('kaizen');
const openai = new OpenAIInstrumentation({ streamUsage: 'always' });
openai.manuallyInstrument(openai4);
openai.manuallyInstrument(openai6);
new AnthropicInstrumentation().manuallyInstrument(anthropic0);

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

interface Chat {
  chat: { completions: { create(body: object): Promise<unknown> } };
  responses?: { create(body: object): Promise<unknown> };
}

async function drain(stream: unknown) {
  for await (const chunk of stream as AsyncIterable<unknown>) void chunk;
}

describe.each([
  ['openai 4', openai4.OpenAI as unknown],
  ['openai 6', openai6.OpenAI as unknown],
])('%s', (_name, OpenAIClass) => {
  it('records plain, streamed and abandoned chat calls with usage', async () => {
    const client = new (OpenAIClass as new (o: object) => Chat)({
      baseURL: stub.openaiBaseURL,
      apiKey: 'test',
      maxRetries: 0,
    });
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
    await client.chat.completions.create(body);
    await drain(await client.chat.completions.create({ ...body, stream: true }));
    const abandoned = (await client.chat.completions.create({ ...body, stream: true })) as AsyncIterable<unknown>;
    for await (const chunk of abandoned) {
      void chunk;
      break;
    }
    const spans = (await tracing.spans()).map((s) => s.attributes);
    expect(
      spans.map((a) => [a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens'], a['kaizen.stream.abandoned']]),
    ).toEqual([
      [42, 17, undefined],
      [42, 17, undefined],
      [undefined, undefined, true],
    ]);
  });
});

describe('@anthropic-ai/sdk 0.x', () => {
  it('records plain and streamed calls with the conventions’ input tokens', async () => {
    const client = new anthropic0.Anthropic({ baseURL: stub.url, apiKey: 'test', maxRetries: 0 });
    const body = {
      model: 'claude-3-5-haiku-latest',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: 'Hi' }],
    };
    await client.messages.create(body);
    await client.messages.stream(body).finalMessage();
    const spans = (await tracing.spans()).map((s) => s.attributes);
    expect(
      spans.map((a) => [a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens'], a['gen_ai.request.stream']]),
    ).toEqual([
      [50, 17, undefined],
      [50, 17, true],
    ]);
  });
});
