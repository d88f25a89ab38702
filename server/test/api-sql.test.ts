import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { seedRuns } from './support/seed.js';

let t: TestApp;
const TOKEN = 'sql-token-1234';

beforeAll(async () => {
  t = await startTestApp({ KAIZEN_API_TOKEN: TOKEN, KAIZEN_SQL_MAX_ROWS: '50', KAIZEN_SQL_TIMEOUT_SECONDS: '2' });
  await seedRuns(t.store.storage, [
    {
      workflow: 'triage',
      startMs: Date.now() - 60_000,
      calls: [
        { model: 'gpt-4o', input: 100 },
        { model: 'gpt-4o-mini', input: 200 },
      ],
    },
  ]);
});
afterAll(async () => {
  await t.close();
});

const run = (body: unknown, token: string | null = TOKEN) =>
  t.get('/api/sql', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    ...(token ? { token } : {}),
  });

describe('POST /api/sql', () => {
  it('answers a read in JSON with bound parameters', async () => {
    const r = await run({
      query:
        'SELECT RequestModel AS model, sum(InputTokens) AS input FROM otel.genai_calls WHERE InputTokens >= {min:UInt64} GROUP BY model ORDER BY model',
      params: { min: 150 },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await r.json()) as { data: unknown[]; rows: number };
    expect(body.data).toEqual([{ model: 'gpt-4o-mini', input: '200' }]);
  });

  it.each([
    ['csv', /text\/csv/, '"model"\n"gpt-4o"\n"gpt-4o-mini"'],
    ['tsv', /tab-separated/, 'model\ngpt-4o\ngpt-4o-mini'],
    ['pretty', /text\/plain/, '┌─model'],
  ])('answers in %s', async (format, type, expected) => {
    const r = await run({
      query: 'SELECT DISTINCT RequestModel AS model FROM otel.genai_calls ORDER BY model',
      format,
    });
    expect(r.headers.get('content-type')).toMatch(type);
    expect(await r.text()).toContain(expected);
  });

  it.each([
    ["INSERT INTO otel.waste_findings (FindingId) VALUES ('x')", 403, 'KAIZEN_ERR_SQL_READONLY'],
    ['DROP TABLE otel.genai_calls', 403, 'KAIZEN_ERR_SQL_READONLY'],
    ['ALTER TABLE otel.genai_calls DELETE WHERE 1', 403, 'KAIZEN_ERR_SQL_READONLY'],
    ['SYSTEM RELOAD DICTIONARIES', 403, 'KAIZEN_ERR_SQL_READONLY'],
    ["SELECT * FROM file('/etc/passwd', 'LineAsString')", 403, 'KAIZEN_ERR_SQL_READONLY'],
    ["SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')", 403, 'KAIZEN_ERR_SQL_READONLY'],
    ["SELECT 1 INTO OUTFILE '/tmp/kaizen-api-outfile.txt'", 403, 'KAIZEN_ERR_SQL_READONLY'],
    ['SELECT * FROM numbers(100)', 422, 'KAIZEN_ERR_QUERY_LIMIT'],
    ['SELECT count() FROM numbers(100000000000)', 422, 'KAIZEN_ERR_QUERY_LIMIT'],
    ['SELECT * FROM otel.no_such_table', 400, 'KAIZEN_ERR_SQL_INVALID'],
    ['SELEC 1', 400, 'KAIZEN_ERR_SQL_INVALID'],
  ])("refuses %s with %i and ClickHouse's reason", async (query, status, code) => {
    const r = await run({ query });
    expect(r.status).toBe(status);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(20);
  });

  it('validates the body and requires the token', async () => {
    expect((await run({ query: 'SELECT 1', format: 'xml' })).status).toBe(400);
    expect((await run({ query: 'SELECT 1', params: { 'bad name': 1 } })).status).toBe(400);
    expect((await run({})).status).toBe(400);
    expect((await run({ query: 'SELECT 1' }, null)).status).toBe(401);
  });
});

describe('the example queries in docs/sql.md', () => {
  const guide = readFileSync(fileURLToPath(new URL('../../docs/sql.md', import.meta.url)), 'utf8');
  const examples = [...guide.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

  it('are there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((q) => [q.split('\n')[0]!, q]))('runs as written: %s', async (_, query) => {
    const r = await run({ query, format: 'json', params: { workflow: 'triage' } });
    const body = (await r.json()) as { data?: unknown[]; error?: { message: string } };
    expect(body.error?.message).toBeUndefined();
    expect(r.status).toBe(200);
    expect(Array.isArray(body.data)).toBe(true);
  });

  it('plain table names resolve to Kaizen database', async () => {
    const r = await run({ query: 'SELECT count() AS n FROM genai_calls', format: 'json' });
    expect(((await r.json()) as { data: { n: string }[] }).data).toEqual([{ n: '2' }]);
  });
});
