import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from './support/cli-process.js';
import { callError, callOk, TOOL_NAMES } from './support/mcp-calls.js';
import { feedStore } from './support/feed.js';
import { runCli } from './support/run-cli.js';

const BIN = fileURLToPath(new URL('../bin/kaizen.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'kaizen-cli-mcp-'));
let dup: string;

beforeAll(async () => {
  const prompt = 'Is this email spam? "You won a prize"';
  const ids = await feedStore(dataDir, [
    {
      workflow: 'spam-filter',
      startMs: Date.now() - 30_000,
      calls: [
        { model: 'gpt-4o', prompt, answer: 'yes', temperature: 0 },
        { model: 'gpt-4o', prompt, answer: 'yes', temperature: 0 },
      ],
    },
  ]);
  dup = ids[0]!;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function stdioClient(env: Record<string, string>, args: string[] = []): Promise<Client> {
  const client = new Client({ name: 'kaizen-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', ...args],
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', ...env },
      stderr: 'pipe',
    }),
  );
  return client;
}

describe('kaizen mcp (stdio)', () => {
  it('serves every tool on the store itself when no service runs', async () => {
    const client = await stdioClient({ KAIZEN_DATA_DIR: dataDir });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOL_NAMES);
      const list = await callOk<{ runs: { traceId: string }[] }>(client, 'list_workflows', { since: '1h' });
      expect(list.runs.map((r) => r.traceId)).toEqual([dup]);
      const run = await callOk<{ calls: unknown[] }>(client, 'get_run', { traceId: dup });
      expect(run.calls).toHaveLength(2);
      const analysis = await callOk<{ findings: { id: string; kind: string }[] }>(client, 'analyze_run', {
        traceId: dup,
      });
      const finding = analysis.findings.find((f) => f.kind === 'redundant_call/exact')!;
      expect(finding).toBeDefined();
      const top = await callOk<{ findings: { id: string }[] }>(client, 'top_waste', {});
      expect(top.findings.map((f) => f.id)).toContain(finding.id);
      const explained = await callOk<{ finding: { recommendation: string } }>(client, 'explain_finding', {
        findingId: finding.id,
      });
      expect(explained.finding.recommendation).not.toBe('');
      const q = await callOk<{ rows: unknown[] }>(client, 'query_sql', {
        query: 'SELECT count() AS n FROM waste_findings FINAL WHERE IsDeleted = 0',
      });
      expect(q.rows).toEqual([{ n: String(analysis.findings.length) }]);
      expect(await callError(client, 'explain_finding', { findingId: '../../etc/passwd' })).toMatch(/findingId/);
      expect(await callError(client, 'query_sql', { query: 'INSERT INTO genai_calls (TraceId) VALUES (1)' })).toMatch(
        /read-only|readonly/i,
      );
    } finally {
      await client.close();
    }
  });

  it('goes through the running service when it holds the store, with its token', async () => {
    const port = await freePort();
    const env = { KAIZEN_DATA_DIR: dataDir, KAIZEN_API_PORT: String(port), KAIZEN_API_TOKEN: 'mcp-cli-token-123' };
    const service = startCli(['server'], { ...env, KAIZEN_AUTO_ANALYZE: 'false' });
    try {
      await service.waitFor(/Press Ctrl\+C to stop/);
      const client = await stdioClient(env);
      try {
        const r = await callOk<{ run: { traceId: string } }>(client, 'get_run', { traceId: dup });
        expect(r.run.traceId).toBe(dup);
      } finally {
        await client.close();
      }
      const wrongToken = await stdioClient({ ...env, KAIZEN_API_TOKEN: 'not-the-token' });
      try {
        expect(await callError(wrongToken, 'get_run', { traceId: dup })).toMatch(/bearer token/);
      } finally {
        await wrongToken.close();
      }
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it('refuses a malformed --url with exit code 2', async () => {
    const r = await runCli(['mcp', '--url', 'localhost:8080'], { KAIZEN_DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--url must be an http(s) URL');
  });
});
