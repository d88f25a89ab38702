import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockLlm, type MockLlmServer } from '../../src/demo/mock-llm/index.js';

/**
 * The demo's mock LLM server through the real SDKs: plain and streamed answers with usage, tool
 * calls, prompt caching, embeddings, output limits, deterministic answers, injected failures and
 * the providers' own error shapes for bad requests.
 */

let mock: MockLlmServer;
let flaky: MockLlmServer;
beforeAll(async () => {
  mock = await startMockLlm({ seed: 7, latencyMs: 1 });
  flaky = await startMockLlm({ seed: 7, latencyMs: 0, failureRate: 1 });
});
afterAll(async () => {
  await mock.close();
  await flaky.close();
});

const openai = () => new OpenAI({ baseURL: mock.openaiBaseURL, apiKey: 'demo', maxRetries: 0 });
const anthropic = (m = mock) => new Anthropic({ baseURL: m.url, apiKey: 'demo', maxRetries: 0 });
const genai = (m = mock) => new GoogleGenAI({ apiKey: 'demo', httpOptions: { baseUrl: m.url } });

const LONG_POLICY = `You are the support assistant of Acme. ${'Follow the refund policy, the tone guide and the escalation rules. '.repeat(80)}`;

describe('OpenAI protocol', () => {
  it('answers a chat completion with realistic usage, the same way every time', async () => {
    const ask = () =>
      openai().chat.completions.create({
        model: 'gpt-4.1',
        messages: [
          { role: 'system', content: 'Classify the email. Answer with one of: billing, bug, other.' },
          { role: 'user', content: 'I was charged twice on my billing statement this month.' },
        ],
      });
    const [a, b] = [await ask(), await ask()];
    expect(a.choices[0]!.message.content).toBe('billing');
    expect(a.choices[0]!.finish_reason).toBe('stop');
    expect(a.usage!.prompt_tokens).toBeGreaterThan(20);
    expect(a.usage!.completion_tokens).toBe(2);
    expect(a.usage!.total_tokens).toBe(a.usage!.prompt_tokens + a.usage!.completion_tokens);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(a.id).not.toBe(b.id);
  });

  it('streams chunks that join into the answer, then a usage chunk when asked for', async () => {
    const stream = await openai().chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Write a short note about the customer call in about 60 words.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    const words = text.split(/\s+/).length;
    expect(words).toBeGreaterThan(45);
    expect(words).toBeLessThan(90);
    expect(finish).toBe('stop');
    expect(usage!.completion_tokens).toBe(Math.ceil(text.length / 4));
  });

  it('cuts the answer at max_tokens with finish_reason length; a retry with room gets it whole', async () => {
    const ask = (max: number) =>
      openai().chat.completions.create({
        model: 'gpt-4.1-mini',
        max_tokens: max,
        messages: [{ role: 'user', content: 'Write the CRM note for this case in about 200 words.' }],
      });
    const cut = await ask(50);
    const whole = await ask(2000);
    expect(cut.choices[0]!.finish_reason).toBe('length');
    expect(cut.usage!.completion_tokens).toBe(50);
    expect(whole.choices[0]!.finish_reason).toBe('stop');
    expect(whole.choices[0]!.message.content!.startsWith(cut.choices[0]!.message.content!)).toBe(true);
  });

  it('calls an offered tool with arguments from the text, and answers once the tool has spoken', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'lookup_order',
          parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
        },
      },
    ];
    const user = { role: 'user' as const, content: 'Where is my order A-10293?' };
    const first = await openai().chat.completions.create({ model: 'gpt-4.1', tools, messages: [user] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('lookup_order');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ order_id: 'A-10293' });
    const then = (result: string) =>
      openai().chat.completions.create({
        model: 'gpt-4.1',
        tools,
        messages: [user, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: result }],
      });
    expect((await then('{"status":"shipped"}')).choices[0]!.finish_reason).toBe('stop');
    // A result that says to look again makes the model call the same tool again.
    expect((await then('{"status":"pending, check again later"}')).choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('reads a long static prefix from the prompt cache the second time', async () => {
    const ask = (q: string) =>
      openai().chat.completions.create({
        model: 'gpt-4.1-mini',
        messages: [
          { role: 'system', content: LONG_POLICY },
          { role: 'user', content: q },
        ],
      });
    const first = await ask('Can I get a refund?');
    const second = await ask('How long does shipping take?');
    expect(first.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    expect(second.usage!.prompt_tokens_details!.cached_tokens).toBeGreaterThanOrEqual(1024);
    expect(second.usage!.prompt_tokens_details!.cached_tokens! % 128).toBe(0);
  });

  it('answers the Responses API plain and streamed, and marks a cut-off answer incomplete', async () => {
    const params = {
      model: 'gpt-5-mini',
      instructions: 'You help the support team.',
      input: 'Summarise the refund policy in about 40 words.',
    };
    const plain = await openai().responses.create(params);
    const streamed = await openai().responses.stream(params).finalResponse();
    expect(plain.status).toBe('completed');
    expect(plain.output_text.split(/\s+/).length).toBeGreaterThan(30);
    expect(streamed.output_text).toBe(plain.output_text);
    expect(plain.usage!.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(streamed.usage!.output_tokens).toBe(plain.usage!.output_tokens);
    const cut = await openai().responses.create({ ...params, max_output_tokens: 16 });
    expect(cut.status).toBe('incomplete');
    expect(cut.incomplete_details?.reason).toBe('max_output_tokens');
  });

  it('returns embeddings as the SDK asks for them (base64 by default), with usage', async () => {
    const r = await openai().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['refund policy', 'shipping'],
    });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]!.embedding).toHaveLength(1536);
    expect(r.usage.prompt_tokens).toBe(Math.ceil(13 / 4) + Math.ceil(8 / 4));
    const norm = Math.sqrt(r.data[0]!.embedding.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 4);
  });

  it('refuses bad requests with OpenAI error shapes', async () => {
    const bad = (body: Record<string, unknown>) =>
      openai().chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    await expect(bad({ model: 'gpt-4.1', messages: [] })).rejects.toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', param: 'messages' },
    });
    await expect(bad({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status: 400,
      error: { param: 'model' },
    });
    await expect(bad({ model: 'gpt-4.1', messages: [{ role: 'wizard', content: 'hi' }] })).rejects.toMatchObject({
      status: 400,
    });
    const raw = await fetch(`${mock.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    const broken = await fetch(`${mock.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo' },
      body: '{"model":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('injects rate limits with Retry-After', async () => {
    const client = new OpenAI({ baseURL: flaky.openaiBaseURL, apiKey: 'demo', maxRetries: 0 });
    const failure = await client.chat.completions
      .create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    const status = (failure as InstanceType<typeof OpenAI.APIError>).status;
    expect([429, 500]).toContain(status);
    expect((failure as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1');
    expect(flaky.stats().injectedFailures).toBeGreaterThan(0);
  });
});

describe('Anthropic protocol', () => {
  it('answers plain and streamed messages with the same text and usage', async () => {
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: 'You draft replies to customers.',
      messages: [{ role: 'user' as const, content: 'Draft a reply: my parcel arrived damaged.' }],
    };
    const plain = await anthropic().messages.create(params);
    const streamed = await anthropic().messages.stream(params).finalMessage();
    const text = (m: Anthropic.Message) => m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    expect(text(plain)).toMatch(/^Hello,/);
    expect(text(streamed)).toBe(text(plain));
    expect(plain.stop_reason).toBe('end_turn');
    expect(streamed.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(streamed.usage.input_tokens).toBe(plain.usage.input_tokens);
  });

  it('writes then reads the prefix up to a cache_control breakpoint, reported apart from input_tokens', async () => {
    const ask = (q: string) =>
      anthropic().messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        system: [{ type: 'text', text: LONG_POLICY, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: q }],
      });
    const first = await ask('Is this covered by warranty?');
    const second = await ask('Can I change my address?');
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.input_tokens).toBeLessThan(50);
  });

  it('stops at max_tokens and uses tools through tool_use blocks', async () => {
    const cut = await anthropic().messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'Draft a reply about the refund in about 150 words.' }],
    });
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(10);
    const tool = await anthropic()
      .messages.stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        tools: [
          {
            name: 'lookup_order',
            input_schema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
          },
        ],
        messages: [{ role: 'user', content: 'Order B-4410 has not arrived.' }],
      })
      .finalMessage();
    expect(tool.stop_reason).toBe('tool_use');
    expect(tool.content[0]).toMatchObject({ type: 'tool_use', name: 'lookup_order', input: { order_id: 'B-4410' } });
  });

  it('refuses bad requests with Anthropic error shapes, and injects overloads', async () => {
    const missing = await anthropic()
      .messages.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] } as never)
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missing as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const failed = await anthropic(flaky)
      .messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect([429, 529]).toContain((failed as InstanceType<typeof Anthropic.APIError>).status);
  });
});

describe('Gemini protocol', () => {
  it('answers generateContent and streamGenerateContent (@google/genai) with thoughts and usage', async () => {
    const params = {
      model: 'gemini-2.5-flash',
      contents: 'Review this draft reply. Answer with one of: APPROVE, REVISE.',
    };
    const plain = await genai().models.generateContent(params);
    expect(['APPROVE', 'REVISE']).toContain(plain.text);
    expect(plain.usageMetadata!.thoughtsTokenCount).toBeGreaterThan(0);
    expect(plain.usageMetadata!.candidatesTokenCount).toBeGreaterThan(0);
    let text = '';
    let usage;
    for await (const chunk of await genai().models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Explain our shipping options to the customer in about 80 words.',
      config: { thinkingConfig: { thinkingBudget: 0 } },
    })) {
      text += chunk.text ?? '';
      usage = chunk.usageMetadata;
    }
    expect(text.split(/\s+/).length).toBeGreaterThan(60);
    expect(usage?.thoughtsTokenCount).toBeUndefined();
    expect(usage?.candidatesTokenCount).toBe(Math.ceil(text.length / 4));
  });

  it('answers the older @google/generative-ai SDK, plain and streamed, and embeds', async () => {
    const model = new GoogleGenerativeAI('demo').getGenerativeModel(
      { model: 'gemini-2.5-pro', systemInstruction: 'You are a helpful support assistant.' },
      { baseUrl: mock.url },
    );
    const plain = await model.generateContent('How do I reset my password? Answer in one sentence.');
    const streamed = await model.generateContentStream('How do I reset my password? Answer in one sentence.');
    expect((await streamed.response).text()).toBe(plain.response.text());
    expect(plain.response.usageMetadata!.promptTokenCount).toBeGreaterThan(5);
    const embedding = await genai().models.embedContent({ model: 'gemini-embedding-001', contents: 'refund' });
    expect(embedding.embeddings![0]!.values).toHaveLength(3072);
  });

  it('refuses bad requests with Gemini error shapes', async () => {
    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'demo' },
      body: JSON.stringify({ contents: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    const noKey = await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      body: '{}',
    });
    expect(noKey.status).toBe(403);
    const failed = await genai(flaky)
      .models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })
      .catch((e: unknown) => e);
    expect(String(failed)).toMatch(/429|503/);
  });
});
