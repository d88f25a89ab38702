import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrap } from '../src/wrap.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

/** wrap(client): for bundled code, where no module can be patched. Nothing here patches a module. */

const tracing = setupTracing('kaizen');

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});

describe('wrap(client)', () => {
  it('instruments each SDK’s client, once however often it is wrapped, and returns the same object', async () => {
    const openai = new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
    expect(wrap(wrap(openai))).toBe(openai);
    const anthropic = wrap(new Anthropic({ baseURL: stub.url, apiKey: 'test', maxRetries: 0 }));
    const genai = wrap(new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: stub.url } }));
    const legacy = wrap(new GoogleGenerativeAI('test'));
    const model = legacy.getGenerativeModel({ model: 'gemini-1.5-flash' }, { baseUrl: stub.url });

    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    await anthropic.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await genai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    await model.generateContent('Hi');
    await model.startChat().sendMessage('Hi');

    const spans = await tracing.spans();
    expect(spans.map((s) => [s.instrumentationScope.name, s.name])).toEqual([
      ['@kaizen/instrumentation/openai', 'chat gpt-4o-mini'],
      ['@kaizen/instrumentation/anthropic', 'chat claude-sonnet-5-5'],
      ['@kaizen/instrumentation/google-genai', 'generate_content gemini-2.5-flash'],
      ['@kaizen/instrumentation/google-generative-ai', 'generate_content gemini-1.5-flash'],
      ['@kaizen/instrumentation/google-generative-ai', 'generate_content gemini-1.5-flash'],
    ]);
    // Without register(), content capture follows the environment (off by default); fingerprints do not.
    for (const span of spans) {
      expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(span.attributes['kaizen.prompt.hash']).toMatch(/^\d+$/);
    }
  });

  it('leaves anything else as it is', () => {
    const other = { hello: 'world' };
    expect(wrap(other)).toBe(other);
    expect(wrap(null)).toBe(null);
  });
});
