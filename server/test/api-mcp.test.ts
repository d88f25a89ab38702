import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callError, callOk, TOOL_NAMES } from './support/mcp-calls.js';
import { seedRuns } from './support/seed.js';
import { startTestStack, type TestStack } from './support/stack.js';

const TOKEN = 'mcp-test-token-0123456789';
const SECRET = 'sk-proj-' + 'Ab3'.repeat(12);
let t: TestStack;
let client: Client;
let dup: string;

let leaky: string;
const now = Date.now();

async function connect(headers: Record<string, string>): Promise<Client> {
  const c = new Client({ name: 'kaizen-test', version: '1.0.0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers } }));
  return c;
}

beforeAll(async () => {
  t = await startTestStack({ KAIZEN_API_TOKEN: TOKEN });
  const sent = await t.send([
    {
      workflow: 'triage',
      startMs: now - 60_000,
      calls: [
        { model: 'gpt-4o', prompt: 'Classify this ticket: my invoice is wrong', answer: 'billing', temperature: 0 },
        { model: 'gpt-4o', prompt: 'Classify this ticket: my invoice is wrong', answer: 'billing', temperature: 0 },
        { model: 'gpt-4o', prompt: 'Draft a reply about the invoice', answer: 'Dear customer, ' + 'x'.repeat(3000) },
      ],
    },
    { workflow: 'digest', startMs: now - 50_000, calls: [{ model: 'gpt-4o-mini', prompt: 'Summarise the day' }] },
  ]);
  dup = sent[0]!;
  // Written the way the contrib exporter writes it: no redaction at ingest.
  const seeded = await seedRuns(t.store.storage, [
    { workflow: 'leaky', startMs: now - 40_000, calls: [{ prompt: `Use the key ${SECRET} to call the API` }] },
  ]);
  leaky = seeded[0]!;
  client = await connect({ authorization: `Bearer ${TOKEN}` });
});
afterAll(async () => {
  await client.close();
  await t.close();
});

describe('MCP over streamable HTTP at /mcp', () => {
  it('lists the tools, each with a JSON schema for its input, and the resources', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual(TOOL_NAMES);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.description!.length).toBeGreaterThan(40);
    }
    const getRun = tools.find((x) => x.name === 'get_run')!;
    expect(getRun.inputSchema.required).toEqual(['traceId']);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['kaizen://docs/sql', 'kaizen://grafana/prometheus-rules']),
    );
    const sqlGuide = await client.readResource({ uri: 'kaizen://docs/sql' });
    expect((sqlGuide.contents[0] as { text: string }).text).toContain('genai_calls');
  });

  it('list_workflows: spend per workflow and the runs, most expensive first', async () => {
    const r = await callOk<{
      totals: { calls: number; costUsd: number };
      byWorkflow: { workflow: string }[];
      runs: { traceId: string; calls: number; costUsd: number }[];
    }>(client, 'list_workflows', { since: '1h' });
    expect(r.totals.calls).toBe(5);
    expect(r.byWorkflow.map((b) => b.workflow)).toContain('triage');
    expect(r.runs[0]).toMatchObject({ traceId: dup, calls: 3 });
    expect(r.runs.map((x) => x.costUsd)).toEqual([...r.runs.map((x) => x.costUsd)].sort((a, b) => b - a));
    const one = await callOk<{ runs: unknown[]; nextCursor: string | null }>(client, 'list_workflows', {
      workflow: 'digest',
      limit: 1,
    });
    expect(one.runs).toHaveLength(1);
  });

  it('analyze_run, top_waste and explain_finding: the repeated call, its saving and its fix', async () => {
    const a = await callOk<{ findings: { id: string; kind: string }[]; savingUsdPerRun: number }>(
      client,
      'analyze_run',
      { traceId: dup },
    );
    const f = a.findings.find((x) => x.kind === 'redundant_call/exact');
    expect(f).toBeDefined();
    expect(a.savingUsdPerRun).toBeGreaterThan(0);

    const top = await callOk<{ findings: { id: string; savingUsdPerMonth: number }[]; waste: { byKind: unknown[] } }>(
      client,
      'top_waste',
      { since: '1d' },
    );
    expect(top.findings.map((x) => x.id)).toContain(f!.id);
    expect(top.waste.byKind.length).toBeGreaterThan(0);

    const e = await callOk<{
      finding: { evidence: string; recommendation: string; spanIds: string[] };
      calls: { spanId: string; content: unknown }[];
    }>(client, 'explain_finding', { findingId: f!.id });
    expect(e.finding.evidence.length).toBeGreaterThan(10);
    expect(e.finding.recommendation.length).toBeGreaterThan(10);
    expect(e.calls.map((c) => c.spanId).sort()).toEqual([...e.finding.spanIds].sort());
  });

  it('get_run: the calls in order with cost and fingerprints, content cut short, secrets never shown', async () => {
    const r = await callOk<{ run: { traceId: string }; calls: { model: string; promptHash: string }[] }>(
      client,
      'get_run',
      { traceId: dup, includeContent: true },
    );
    expect(r.run.traceId).toBe(dup);
    expect(r.calls).toHaveLength(3);
    expect(r.calls[0]!.promptHash).toBe(r.calls[1]!.promptHash);
    expect(JSON.stringify(r)).toContain('more characters]');
    const capped = await callOk<{ calls: unknown[]; callsNotShown: number }>(client, 'get_run', {
      traceId: dup,
      maxCalls: 1,
    });
    expect(capped).toMatchObject({ callsNotShown: 2 });
    expect(capped.calls).toHaveLength(1);

    const leak = await callOk(client, 'get_run', { traceId: leaky, includeContent: true });
    expect(JSON.stringify(leak)).not.toContain(SECRET);
    expect(JSON.stringify(leak)).toContain('[REDACTED:api_key]');
  });

  it('query_sql: read-only SQL with bound parameters and a row cap; writes are refused by ClickHouse', async () => {
    const r = await callOk<{ columns: string[]; rows: { w: string; n: string }[]; rowCount: number }>(
      client,
      'query_sql',
      {
        query: 'SELECT WorkflowName AS w, count() AS n FROM genai_calls WHERE WorkflowName = {w:String} GROUP BY w',
        params: { w: 'triage' },
      },
    );
    expect(r.columns).toEqual(['w LowCardinality(String)', 'n UInt64']);
    expect(r.rows).toEqual([{ w: 'triage', n: '3' }]);
    const capped = await callOk<{ rows: unknown[]; rowsNotShown: number }>(client, 'query_sql', {
      query: 'SELECT number FROM system.numbers LIMIT 50',
      maxRows: 5,
    });
    expect(capped.rows).toHaveLength(5);
    expect(capped.rowsNotShown).toBe(45);
    const secret = await callOk(client, 'query_sql', {
      query: `SELECT InputMessages FROM genai_calls WHERE TraceId = {t:String}`,
      params: { t: leaky },
    });
    expect(JSON.stringify(secret)).not.toContain(SECRET);
    expect(await callError(client, 'query_sql', { query: 'DROP TABLE genai_calls' })).toMatch(/read-only|readonly/i);
    expect(await callError(client, 'query_sql', { query: 'SELEC 1' })).toMatch(/Syntax error/i);
  });

  it('invalid input is an MCP error naming the field, and the server keeps serving', async () => {
    expect(await callError(client, 'get_run', { traceId: 'nope' })).toMatch(/traceId|trace id/);
    expect(await callError(client, 'list_workflows', { limit: 10_000 })).toMatch(/limit/);
    expect(await callError(client, 'query_sql', {})).toMatch(/query/);
    expect(await callError(client, 'get_run', { traceId: 'ab'.repeat(16) })).toMatch(/not found/);
    expect(await callError(client, 'list_workflows', { since: 'yesterday-ish' })).toMatch(/since/);
    const r = await callOk<{ runs: unknown[] }>(client, 'list_workflows', {});
    expect(r.runs.length).toBeGreaterThan(0);
  });

  it('needs the API token, refuses foreign browser origins, and only answers POST', async () => {
    await expect(connect({})).rejects.toThrow();
    const init = {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    };
    expect((await fetch(`${t.url}/mcp`, init)).status).toBe(200);
    const foreign = await fetch(`${t.url}/mcp`, { ...init, headers: { ...init.headers, origin: 'http://evil.test' } });
    expect(foreign.status).toBe(403);
    const get = await fetch(`${t.url}/mcp`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const garbage = await fetch(`${t.url}/mcp`, { ...init, body: '{"jsonrpc": ' });
    expect(garbage.status).toBe(400);
  });
});
