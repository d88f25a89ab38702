/**
 * Fuzz: more than 10,000 random and mutated payloads (protobuf and JSON, plain and gzip) against the
 * running collector. No crash, every answer 200/400/413/415, and every row the collector accepts is
 * one ClickHouse takes (nothing quarantined). Then hostile GenAI attribute values through the
 * genai_calls view: the spans are always stored, and the view keeps up with each of them.
 */
import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzCase, rng } from './support/fuzz-payloads.js';
import { hex, traceRequest, type AttrValue } from './support/proto-builder.js';
import { metricValue, startTestCollector, type TestCollector } from './support/test-collector.js';

const MAX_BODY = 3 * 1024 * 1024;
let t: TestCollector;
beforeAll(async () => {
  t = await startTestCollector({}, { maxBodyBytes: MAX_BODY, writer: { maxBatchAgeMs: 50 } });
});
afterAll(async () => {
  await t.close();
});

describe('fuzz', () => {
  it('answers 10,000+ random and mutated payloads with 200, 400, 413 or 415 only, and stores what it accepts', async () => {
    const seed = Number(process.env['KAIZEN_FUZZ_SEED'] ?? 20_261_122);
    const r = rng(seed);
    const total = 10_240;
    const codes = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        const c = fuzzCase(r, MAX_BODY);
        const headers: Record<string, string> = {};
        if (c.contentType) headers['content-type'] = c.contentType;
        if (c.encoding) headers['content-encoding'] = c.encoding;
        const res = await fetch(`${t.httpUrl}${c.path}`, { method: 'POST', headers, body: c.body });
        await res.arrayBuffer();
        codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 256 }, worker));
    const summary = Object.fromEntries(codes);
    expect(Object.keys(summary).map(Number).sort(), `seed ${seed}: ${JSON.stringify(summary)}`).toEqual(
      expect.arrayContaining([200, 400, 413, 415]),
    );
    for (const code of codes.keys())
      expect([200, 400, 413, 415], `seed ${seed}: ${JSON.stringify(summary)}`).toContain(code);
    expect([...codes.values()].reduce((a, b) => a + b)).toBe(total);

    const stats = t.collector.stats();
    expect(stats.quarantined, 'rows ClickHouse refused').toBe(0);
    expect(stats.mode).toBe('direct');
    const written = await metricValue(t.registry, 'kaizen_collector_written_total', { signal: 'traces' });
    const [stored] = await t.store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.store.storage.table(T.otelTraces)}`,
    );
    expect(Number(stored?.n)).toBe(written);
    expect(written).toBeGreaterThan(1000);
  }, 300_000);
});

/** Values that might make the genai_calls view (JSON, number and hash functions) throw. */
const HOSTILE: [string, [string, AttrValue][]][] = [
  ['messages that are not JSON', [['gen_ai.input.messages', { s: 'not json at all' }]]],
  ['messages cut short', [['gen_ai.input.messages', { s: '[{"role":"user","parts":[{"type":"text","content":"hi' }]]],
  ['messages of the wrong shape', [['gen_ai.input.messages', { s: '[{"role":1,"parts":"x"},7,null]' }]]],
  ['messages nested 5,000 deep', [['gen_ai.input.messages', { s: '['.repeat(5000) + ']'.repeat(5000) }]]],
  [
    'a 2 MB message',
    [
      [
        'gen_ai.input.messages',
        { s: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'w '.repeat(1_000_000) }] }]) },
      ],
    ],
  ],
  [
    'a bad escape in messages',
    [['gen_ai.input.messages', { s: '[{"role":"user","parts":[{"type":"text","content":"\\ud800\\x"}]}]' }]],
  ],
  ['output messages that are an object', [['gen_ai.output.messages', { s: '{"role":"assistant"}' }]]],
  ['system instructions that are a number', [['gen_ai.system_instructions', { s: '42' }]]],
  [
    'negative tokens',
    [
      ['gen_ai.usage.input_tokens', { i: -5 }],
      ['gen_ai.usage.output_tokens', { s: '-7' }],
    ],
  ],
  [
    'huge tokens',
    [
      ['gen_ai.usage.input_tokens', { s: '1e30' }],
      ['gen_ai.usage.output_tokens', { s: '18446744073709551616' }],
    ],
  ],
  [
    'tokens that are not numbers',
    [
      ['gen_ai.usage.input_tokens', { s: 'many' }],
      ['gen_ai.usage.cache_read.input_tokens', { s: 'NaN' }],
    ],
  ],
  [
    'cache reads above input',
    [
      ['gen_ai.usage.input_tokens', { i: 1 }],
      ['gen_ai.usage.cache_read.input_tokens', { i: 1n << 62n }],
    ],
  ],
  [
    'a temperature of NaN and infinity',
    [
      ['gen_ai.request.temperature', { d: NaN }],
      ['gen_ai.request.top_p', { d: Infinity }],
    ],
  ],
  ['max tokens past UInt32', [['gen_ai.request.max_tokens', { s: '99999999999999999999' }]]],
  ['finish reasons cut short', [['gen_ai.response.finish_reasons', { s: '["stop"' }]]],
  ['finish reasons of numbers', [['gen_ai.response.finish_reasons', { s: '[1,2,{}]' }]]],
  ['a reported cost that is negative or infinite', [['gen_ai.usage.cost', { s: '-inf' }]]],
  [
    'a model full of regex syntax',
    [
      ['gen_ai.request.model', { s: '(.*[\\' }],
      ['gen_ai.response.model', { s: 'gpt-4o-20249999-' }],
    ],
  ],
  ['a 100 kB model name', [['gen_ai.request.model', { s: 'm'.repeat(100_000) }]]],
  ['a provider with NUL', [['gen_ai.provider.name', { s: 'openai\u0000' }]]],
  ['tool definitions cut short', [['gen_ai.tool.definitions', { s: '[{"name":' }]]],
  [
    'invocation parameters of the wrong types',
    [['llm.invocation_parameters', { s: '{"temperature":"hot","max_tokens":[1]}' }]],
  ],
  [
    'prompt hashes that are not numbers',
    [
      ['kaizen.prompt.hash', { s: 'abc' }],
      ['kaizen.prompt.simhash', { s: '-1' }],
    ],
  ],
  [
    'AI SDK messages that are not JSON',
    [
      ['ai.prompt.messages', { s: '[{"role":' }],
      ['ai.model.id', { s: 'gpt-4o' }],
    ],
  ],
  ['a time to first chunk of NaN', [['gen_ai.response.time_to_first_chunk', { s: 'NaN' }]]],
];

describe('hostile GenAI values through the genai_calls view', () => {
  it.each(HOSTILE)('stores the span and its model call: %s', async (_what, attrs) => {
    const traceId = hex(16);
    const spanId = hex(8);
    const res = await fetch(`${t.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: traceRequest(
        [
          {
            traceId,
            spanId,
            name: 'chat gpt-4o',
            kind: 3,
            attrs: [
              ['gen_ai.operation.name', { s: 'chat' }],
              ['gen_ai.provider.name', { s: 'openai' }],
              ['gen_ai.request.model', { s: 'gpt-4o' }],
              ...attrs,
            ],
          },
        ],
        [['service.name', { s: 'hostile' }]],
      ),
    });
    expect(res.status).toBe(200);
    const count = async (table: typeof T.otelTraces | typeof T.genaiCalls) =>
      Number(
        (
          await t.store.storage.query<{ n: string }>(
            sql`SELECT count() AS n FROM ${t.store.storage.table(table)} WHERE TraceId = ${p.string(traceId)}`,
          )
        )[0]?.n,
      );
    expect(await count(T.otelTraces), 'the span').toBe(1);
    expect(await count(T.genaiCalls), 'its genai_calls row').toBe(1);
  });

  async function endsBeforeStart() {
    const traceId = hex(16);
    const start = BigInt(Date.now()) * 1_000_000n;
    const res = await fetch(`${t.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: traceRequest([
        {
          traceId,
          spanId: hex(8),
          start,
          end: start - 1_000n,
          attrs: [
            ['gen_ai.operation.name', { s: 'chat' }],
            ['gen_ai.provider.name', { s: 'openai' }],
            ['gen_ai.request.model', { s: 'gpt-4o' }],
            ['gen_ai.usage.input_tokens', { i: 3 }],
          ],
        },
      ]),
    });
    expect(res.status).toBe(200);
    const [row] = await t.store.storage.query<{ d: string; calls: string; runs: string }>(
      sql`SELECT
            (SELECT any(Duration) FROM ${t.store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(traceId)}) AS d,
            (SELECT count() FROM ${t.store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)}) AS calls,
            (SELECT sum(Calls) FROM ${t.store.storage.table(T.workflowRuns)} WHERE TraceId = ${p.string(traceId)}) AS runs`,
    );
    return row;
  }

  it('stores a model call that ends before it starts (Duration wraps as the contrib exporter writes it)', async () => {
    expect(await endsBeforeStart()).toMatchObject({ d: String(2n ** 64n - 1000n), calls: '1' });
  });

  it('counts a call that ends before it starts in its run (the views clamp a wrapped duration)', async () => {
    expect(await endsBeforeStart()).toMatchObject({ runs: '1' });
  });
});
