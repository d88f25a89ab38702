import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { p, sql, T } from '@kaizen/clickhouse';
import { startStubServer, type StubServer } from '@kaizen/instrumentation/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/stack.js';

/**
 * examples/node/app.mjs as a user runs it (`node --import @kaizen/instrumentation/register`), its
 * real SDKs pointed at a local stub of the OpenAI and Gemini APIs, exporting real OTLP to the
 * collector: what lands in genai_calls is the end-to-end check of instrumentation, collector and view.
 */
const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/node/', import.meta.url));

let t: TestStack;
let stub: StubServer;
let output = '';

interface CallRow {
  TraceId: string;
  WorkflowName: string;
  AgentName: string;
  Provider: string;
  RequestModel: string;
  InputTokens: string;
  OutputTokens: string;
  CacheReadTokens: string;
  ReasoningTokens: string;
  CostUSD: number;
  CostSource: string;
  IsStream: number;
  PromptHash: string;
  Dialect: string;
}

beforeAll(async () => {
  t = await startTestStack();
  stub = await startStubServer();
  output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', '@kaizen/instrumentation/register', 'app.mjs'], {
      cwd: EXAMPLE_DIR,
      env: {
        PATH: process.env['PATH'] ?? '',
        OTEL_SERVICE_NAME: 'support-desk',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${t.collector.httpPort}`,
        OPENAI_API_KEY: 'test',
        OPENAI_BASE_URL: stub.openaiBaseURL,
        GEMINI_API_KEY: 'test',
        GEMINI_BASE_URL: stub.url,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [r] = await t.store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.store.storage.table(T.genaiCalls)} WHERE ServiceName = ${p.string('support-desk')}`,
    );
    if (Number(r!.n) >= 6 || Date.now() > deadline) break;
    await new Promise((res) => setTimeout(res, 50));
  }
}, 60_000);
afterAll(async () => {
  await stub?.close();
  await t?.close();
});

describe('examples/node (OpenAI and Gemini, instrumented)', () => {
  it('runs as documented and prints the two replies', () => {
    expect(output.trim().split('\n')).toHaveLength(2);
  });

  it('lands every call in genai_calls with its workflow, agent, tokens by the conventions and a price', async () => {
    const rows = await t.store.storage.query<CallRow>(
      sql`SELECT TraceId, WorkflowName, AgentName, Provider, RequestModel, InputTokens, OutputTokens, CacheReadTokens,
                 ReasoningTokens, CostUSD, CostSource, IsStream, toString(PromptHash) AS PromptHash, Dialect
          FROM ${t.store.storage.table(T.genaiCalls)} WHERE ServiceName = ${p.string('support-desk')}
          ORDER BY Timestamp`,
    );
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.TraceId)).size).toBe(2);
    expect(rows.map((r) => r.AgentName)).toEqual(['router', 'writer', 'reviewer', 'router', 'writer', 'reviewer']);
    for (const r of rows) {
      expect(r).toMatchObject({ WorkflowName: 'support-reply', Dialect: 'semconv', CostSource: 'library' });
      expect(r.CostUSD).toBeGreaterThan(0);
      expect(r.PromptHash).not.toBe('0');
    }
    const [router, writer, reviewer] = rows;
    // OpenAI: prompt tokens include the 12 cached; completion tokens include the 5 reasoning.
    expect(router).toMatchObject({ Provider: 'openai', RequestModel: 'gpt-4o-mini', InputTokens: '42' });
    expect(router).toMatchObject({ OutputTokens: '17', CacheReadTokens: '12', ReasoningTokens: '5', IsStream: 0 });
    // Gemini: output = candidates (11) + thoughts (6).
    expect(writer).toMatchObject({ Provider: 'gcp.gemini', RequestModel: 'gemini-2.5-flash', InputTokens: '42' });
    expect(writer).toMatchObject({ OutputTokens: '17', CacheReadTokens: '12', ReasoningTokens: '6' });
    // The stream's usage came from its last chunk.
    expect(reviewer).toMatchObject({ Provider: 'openai', IsStream: 1, InputTokens: '42', OutputTokens: '17' });
    // Different emails, different requests.
    expect(rows[0]!.PromptHash).not.toBe(rows[3]!.PromptHash);
  });

  it('records the runs, their tool span and shows them in the API', async () => {
    const [tools] = await t.store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.store.storage.table(T.otelTraces)}
          WHERE ServiceName = ${p.string('support-desk')} AND SpanAttributes['gen_ai.tool.name'] = 'faq_lookup'`,
    );
    expect(Number(tools!.n)).toBe(2);
    const runs = await t.json<{ items: { workflow: string; calls: number; costUsd: number }[] }>(
      '/api/workflows?workflow=support-reply',
    );
    expect(runs.body.items).toHaveLength(2);
    for (const r of runs.body.items) expect(r).toMatchObject({ workflow: 'support-reply', calls: 3 });
  });
});
