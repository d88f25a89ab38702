import { OpenAIInstrumentation as OpenInferenceOpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { metrics } from '@opentelemetry/api';
import * as openai7 from 'openai';
import * as openai4 from 'openai-v4';
import * as openai6 from 'openai-v6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

/**
 * One model call, one model-call span: this package loaded twice, or beside a peer instrumentation
 * of the same SDK, in either patch order. (A second span would count the call's tokens twice.)
 */

const tracing = setupTracing('kaizen');

// openai 4: this package twice (two instances, as two copies of the package would be).
new OpenAIInstrumentation().manuallyInstrument(openai4);
new OpenAIInstrumentation().manuallyInstrument(openai4);

// openai 7: OpenInference patched first, ours on top: ours suppresses the inner span.
new OpenInferenceOpenAIInstrumentation().manuallyInstrument(openai7 as never);
new OpenAIInstrumentation().manuallyInstrument(openai7);

// openai 6 (the OpenTelemetry contrib instrumentation stops before 7): ours first, contrib on top.
new OpenAIInstrumentation().manuallyInstrument(openai6);
const contrib = new ContribOpenAIInstrumentation();
contrib.setMeterProvider(metrics.getMeterProvider()); // as registerInstrumentations() does
contrib.getModuleDefinitions()[0]?.patch?.(openai6, '6.0.0');

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

type Client = {
  chat: {
    completions: {
      create(body: object): Promise<unknown>;
    };
  };
};
type ClientClass = new (options: object) => Client;

async function calls(OpenAIClass: unknown) {
  const client = new (OpenAIClass as ClientClass)({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
  const messages = [{ role: 'user', content: 'Hi' }];
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const stream = (await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  })) as AsyncIterable<unknown>;
  for await (const chunk of stream) void chunk;
  return (await tracing.spans()).map((s) => ({ name: s.name, scope: s.instrumentationScope.name }));
}

describe('one span per model call', () => {
  it('when this package is loaded twice', async () => {
    expect(await calls(openai4.OpenAI)).toEqual([
      { name: 'chat gpt-4o-mini', scope: '@kaizen/instrumentation/openai' },
      { name: 'chat gpt-4o-mini', scope: '@kaizen/instrumentation/openai' },
    ]);
  });

  it('beside OpenInference patched first (ours is the outer one)', async () => {
    expect(await calls(openai7.OpenAI)).toEqual([
      { name: 'chat gpt-4o-mini', scope: '@kaizen/instrumentation/openai' },
      { name: 'chat gpt-4o-mini', scope: '@kaizen/instrumentation/openai' },
    ]);
  });

  it('beside the OpenTelemetry contrib instrumentation patched last (it is the outer one)', async () => {
    expect(await calls(openai6.OpenAI)).toEqual([
      { name: 'chat gpt-4o-mini', scope: '@opentelemetry/instrumentation-openai' },
      { name: 'chat gpt-4o-mini', scope: '@opentelemetry/instrumentation-openai' },
    ]);
  });
});
