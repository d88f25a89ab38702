import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRuns } from './support/seed.js';
import { startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp;
let ids: string[];
const now = Date.now();

beforeAll(async () => {
  t = await startTestApp();
  ids = await seedRuns(t.store.storage, [
    {
      workflow: 'triage',
      startMs: now - 3_600_000,
      calls: [
        { input: 1000, output: 50 },
        { input: 2000, output: 80 },
      ],
    },
    { workflow: 'triage', startMs: now - 1_800_000, calls: [{ input: 1000, output: 50, error: true }] },
    {
      workflow: 'draft',
      service: 'writer',
      startMs: now - 600_000,
      calls: [{ model: 'gpt-4o', input: 5000, output: 500, cacheRead: 4096 }],
    },
    { workflow: 'old', startMs: now - 3 * 86_400_000, calls: [{}] },
  ]);
});
afterAll(async () => {
  await t.close();
});

type Page = {
  items: {
    traceId: string;
    workflow: string;
    service: string;
    calls: number;
    errors: number;
    costUsd: number;
    tokens: { input: number; cacheRead: number };
  }[];
  nextCursor: string | null;
};

describe('GET /api/workflows', () => {
  it('lists runs of the last 24 hours, newest first, with cost, calls and tokens', async () => {
    const { status, body } = await t.json<Page>('/api/workflows');
    expect(status).toBe(200);
    expect(body.items.map((r) => r.traceId)).toEqual([ids[2], ids[1], ids[0]]);
    expect(body.items[0]).toMatchObject({
      workflow: 'draft',
      service: 'writer',
      calls: 1,
      tokens: { input: 5000, cacheRead: 4096 },
    });
    expect(body.items[1]).toMatchObject({ workflow: 'triage', calls: 1, errors: 1 });
    expect(body.items[2]!.costUsd).toBeCloseTo((3000 * 0.15 + 130 * 0.6) / 1e6, 12);
    expect(body.nextCursor).toBeNull();
  });

  it('pages with a cursor, sorts by cost and filters', async () => {
    const first = await t.json<Page>('/api/workflows?limit=2&sort=cost');
    expect(first.body.items.map((r) => r.traceId)).toEqual([ids[2], ids[0]]);
    const second = await t.json<Page>(`/api/workflows?limit=2&sort=cost&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((r) => r.traceId)).toEqual([ids[1]]);
    expect(second.body.nextCursor).toBeNull();
    const filtered = await t.json<Page>('/api/workflows?service=writer');
    expect(filtered.body.items.map((r) => r.traceId)).toEqual([ids[2]]);
    const older = await t.json<Page>('/api/workflows?since=7d&workflow=old');
    expect(older.body.items.map((r) => r.traceId)).toEqual([ids[3]]);
  });

  it.each([
    ['limit=0', 'query parameter limit'],
    ['limit=abc', 'query parameter limit'],
    ['limit=10&limit=20', 'query parameter limit'],
    ['sort=price', 'query parameter sort'],
    ['from=yesterday', 'query parameter from'],
    ['since=400d', 'query parameter from'],
    ['from=2h&to=3h', 'query parameter from'],
    ['cursor=bm90IGEgY3Vyc29y', 'query parameter cursor'],
    ["service=x'%20OR%201=1%20--%20", null],
    ['workflow=%00', 'query parameter workflow'],
    ['limitt=5', 'query parameter limitt'],
  ])('answers %s with 400 naming the parameter (or treats it as data)', async (query, parameter) => {
    const { status, body } = await t.json<{ error: { code: string; message: string }; items?: unknown[] }>(
      `/api/workflows?${query}`,
    );
    if (parameter === null) {
      expect(status).toBe(200); // an injection attempt is just a service name that matches nothing
      expect(body.items).toEqual([]);
      return;
    }
    expect(status).toBe(400);
    expect(body.error.code).toBe('KAIZEN_ERR_VALIDATION');
    expect(body.error.message).toContain(`Invalid ${parameter}`);
  });
});

describe('GET /api/workflows/:traceId', () => {
  it('returns the run and its calls as a timeline, content on request', async () => {
    const { status, body } = await t.json<{
      run: { traceId: string; calls: number };
      calls: { offsetMs: number; requestModel: string; content?: { input: unknown } }[];
    }>(`/api/workflows/${ids[0]}?content=true`);
    expect(status).toBe(200);
    expect(body.run).toMatchObject({ traceId: ids[0], calls: 2 });
    expect(body.calls).toHaveLength(2);
    expect(body.calls[0]!.offsetMs).toBe(0);
    expect(body.calls[1]!.offsetMs).toBeGreaterThan(0);
    expect(body.calls[0]!.content!.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }]);
    const lean = await t.json<{ calls: { content?: unknown }[] }>(`/api/workflows/${ids[0]}`);
    expect(lean.body.calls[0]!.content).toBeUndefined();
  });

  it('404s an unknown run and 400s a malformed id', async () => {
    const missing = await t.json<{ error: { code: string } }>(`/api/workflows/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('KAIZEN_ERR_NOT_FOUND');
    const bad = await t.json<{ error: { message: string } }>(`/api/workflows/not-a-trace-id`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Invalid path parameter traceId: must be a trace id of 32 hex characters/);
  });
});

describe('the service', () => {
  it('answers health and readiness, serves the OpenAPI document and 404s unknown routes in the error shape', async () => {
    expect((await t.json('/healthz')).body).toEqual({ status: 'ok' });
    expect(await t.json('/readyz')).toEqual({
      status: 200,
      body: { ready: true, checks: { clickhouse: 'ok', schema: 'ok' } },
    });
    const doc = await t.json<{ paths: Record<string, unknown> }>('/api/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/workflows', '/api/workflows/{traceId}']));
    const nothing = await t.json<{ error: { code: string; message: string } }>('/api/nothing');
    expect(nothing).toMatchObject({
      status: 404,
      body: { error: { code: 'KAIZEN_ERR_NOT_FOUND', message: 'No route GET /api/nothing' } },
    });
  });
});
