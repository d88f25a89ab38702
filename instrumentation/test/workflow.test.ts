import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAIInstrumentation } from '../src/openai/instrumentation.js';
import {
  configureWorkflows,
  endWorkflow,
  startWorkflow,
  withAgent,
  withAttributes,
  withTool,
  withWorkflow,
} from '../src/workflow/workflow.js';
import { snapshotOf } from './support/span-snapshot.js';
import { startStubServer, type StubServer } from './support/stub-server.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing('kaizen');
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
configureWorkflows({ captureMessageContent: true });

let stub: StubServer;
let client: OpenAI;
beforeAll(async () => {
  stub = await startStubServer();
  client = new OpenAI({ baseURL: stub.openaiBaseURL, apiKey: 'test', maxRetries: 0 });
  instrumentation.instrumentClient(client);
});
afterAll(async () => {
  await stub.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

const ask = (text: string) =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });

const promptOf = (span: ReadableSpan) =>
  (JSON.parse(String(span.attributes['gen_ai.input.messages'])) as { parts: { content: string }[] }[])[0]?.parts[0]
    ?.content;

const byId = (spans: ReadableSpan[]) => new Map(spans.map((s) => [s.spanContext().spanId, s]));

describe('workflows, agents and tools', () => {
  it('nest as invoke_workflow → invoke_agent → execute_tool, and model calls carry their names and attribution', async () => {
    const result = await withWorkflow(
      'triage',
      () =>
        withAgent(
          'classifier',
          async () => {
            const weather = await withTool('get_weather', () => Promise.resolve({ temp: 21 }), {
              callId: 'call_1',
              arguments: { city: 'Paris' },
            });
            await ask(`Classify with ${weather.temp}`);
            return 'done';
          },
          { id: 'agent-7' },
        ),
      { userId: 'u-1', sessionId: 's-1', feature: 'inbox' },
    );
    expect(result).toBe('done');
    const spans = await tracing.spans();
    const named = (name: string) => spans.find((s) => s.name === name);
    const [tool, call, agent, workflow] = [
      named('execute_tool get_weather'),
      named('chat gpt-4o-mini'),
      named('invoke_agent classifier'),
      named('invoke_workflow triage'),
    ];
    expect(spans).toHaveLength(4);
    expect(call?.parentSpanContext?.spanId).toBe(agent?.spanContext().spanId);
    expect(tool?.parentSpanContext?.spanId).toBe(agent?.spanContext().spanId);
    expect(agent?.parentSpanContext?.spanId).toBe(workflow?.spanContext().spanId);
    expect(snapshotOf(workflow!)).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.operation.name": "invoke_workflow",
          "gen_ai.workflow.name": "triage",
          "kaizen.feature": "inbox",
          "kaizen.workflow.name": "triage",
          "session.id": "s-1",
          "user.id": "u-1",
        },
        "kind": "INTERNAL",
        "name": "invoke_workflow triage",
        "status": "UNSET",
      }
    `);
    expect(snapshotOf(agent!)).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.agent.id": "agent-7",
          "gen_ai.agent.name": "classifier",
          "gen_ai.operation.name": "invoke_agent",
          "kaizen.agent.name": "classifier",
          "kaizen.feature": "inbox",
          "kaizen.workflow.name": "triage",
          "session.id": "s-1",
          "user.id": "u-1",
        },
        "kind": "INTERNAL",
        "name": "invoke_agent classifier",
        "status": "UNSET",
      }
    `);
    expect(snapshotOf(tool!)).toMatchInlineSnapshot(`
      {
        "attributes": {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.call.arguments": {
            "city": "Paris",
          },
          "gen_ai.tool.call.id": "call_1",
          "gen_ai.tool.call.result": {
            "temp": 21,
          },
          "gen_ai.tool.name": "get_weather",
          "gen_ai.tool.type": "function",
          "kaizen.agent.name": "classifier",
          "kaizen.feature": "inbox",
          "kaizen.workflow.name": "triage",
          "session.id": "s-1",
          "user.id": "u-1",
        },
        "kind": "INTERNAL",
        "name": "execute_tool get_weather",
        "status": "UNSET",
      }
    `);
    expect(call?.attributes).toMatchObject({
      'kaizen.workflow.name': 'triage',
      'kaizen.agent.name': 'classifier',
      'user.id': 'u-1',
      'session.id': 's-1',
      'kaizen.feature': 'inbox',
    });
  });

  it('mark a failed workflow and hand its error back untouched', async () => {
    const boom = new TypeError('boom');
    await expect(withWorkflow('failing', () => Promise.reject(boom))).rejects.toBe(boom);
    expect(() =>
      withWorkflow('failing-sync', () => {
        throw boom;
      }),
    ).toThrow(boom);
    const spans = (await tracing.spans()).map(snapshotOf);
    expect(spans.map((s) => [s.name, s.status, s.attributes['error.type']])).toEqual([
      ['invoke_workflow failing', 'ERROR: boom', 'TypeError'],
      ['invoke_workflow failing-sync', 'ERROR: boom', 'TypeError'],
    ]);
  });

  it('time every span on one clock: a tool span ends before the model call that follows it starts', async () => {
    const before = Date.now();
    await withWorkflow('ordered', async () => {
      for (let i = 0; i < 20; i++) {
        withTool('lookup', () => i);
        await ask(`turn ${i}`);
      }
    });
    const after = Date.now();
    const ns = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
    const spans = (await tracing.spans()).sort((a, b) => (ns(a.startTime) < ns(b.startTime) ? -1 : 1));
    expect(spans.map((s) => s.name.split(' ')[0])).toEqual([
      'invoke_workflow',
      ...Array.from({ length: 20 }, () => ['execute_tool', 'chat']).flat(),
    ]);
    for (let i = 1; i + 1 < spans.length; i += 2) {
      expect(ns(spans[i]!.endTime)).toBeLessThanOrEqual(ns(spans[i + 1]!.startTime)); // tool ends, then the call
      expect(ns(spans[i]!.startTime)).toBeLessThan(ns(spans[i + 1]!.startTime));
    }
    for (const s of spans) {
      const ms = Number(ns(s.startTime) / 1_000_000n);
      expect(ms).toBeGreaterThanOrEqual(before - 1); // wall-clock time, not a drifting monotonic clock
      expect(ms).toBeLessThanOrEqual(after + 1);
    }
  });

  it('attribute calls without a span of their own (withAttributes)', async () => {
    await withAttributes({ userId: 'u-2', feature: 'search' }, () => ask('plain'));
    const [call] = await tracing.spans();
    expect(call?.attributes['user.id']).toBe('u-2');
    expect(call?.attributes['kaizen.feature']).toBe('search');
    expect(call?.parentSpanContext).toBeUndefined();
  });
});

describe('fifty interleaved concurrent workflows', () => {
  /** Each workflow makes two calls, with awaits and timers interleaving them with the others. */
  async function check(run: (i: number, body: () => Promise<void>) => Promise<void>) {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        run(i, async () => {
          await sleep(i % 7);
          await ask(`workflow ${i} first`);
          await sleep((i * 3) % 5);
          await ask(`workflow ${i} second`);
        }),
      ),
    );
    await ask('after all of them');
    const spans = await tracing.spans();
    const spansById = byId(spans);
    const calls = spans.filter((s) => s.name.startsWith('chat '));
    expect(calls).toHaveLength(101);
    for (const call of calls) {
      const prompt = promptOf(call) ?? '';
      const i = /workflow (\d+)/.exec(prompt)?.[1];
      if (i === undefined) {
        expect(prompt).toBe('after all of them');
        expect(call.attributes['kaizen.workflow.name']).toBeUndefined();
        expect(call.parentSpanContext).toBeUndefined();
        continue;
      }
      expect(call.attributes['kaizen.workflow.name']).toBe(`wf-${i}`);
      expect(call.attributes['user.id']).toBe(`user-${i}`);
      const parent = spansById.get(call.parentSpanContext?.spanId ?? '');
      expect(parent?.name).toBe(`invoke_workflow wf-${i}`);
      expect(parent?.spanContext().traceId).toBe(call.spanContext().traceId);
    }
    const workflows = spans.filter((s) => s.name.startsWith('invoke_workflow'));
    expect(workflows).toHaveLength(50);
    expect(new Set(workflows.map((w) => w.spanContext().traceId)).size).toBe(50);
  }

  it('keep their calls apart with withWorkflow', async () => {
    await check((i, body) => withWorkflow(`wf-${i}`, body, { userId: `user-${i}` }));
  });

  it('keep their calls apart with startWorkflow / endWorkflow', async () => {
    await check(async (i, body) => {
      const handle = startWorkflow(`wf-${i}`, { userId: `user-${i}` });
      try {
        await body();
      } finally {
        endWorkflow(handle);
      }
    });
  });
});
