import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { p, sql, T } from '@kaizen/clickhouse';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { seedRuns } from './support/seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ KAIZEN_API_TOKEN: 'test-token-123' });
});
afterAll(async () => {
  await t.close();
});

const TOKEN = 'test-token-123';
const put = (body: unknown, token: string | undefined = TOKEN) =>
  t.json<{
    items?: { model: string; source: string; inputPerMTok: number; cacheReadPerMTok: number }[];
    error?: { code: string; message: string };
  }>('/api/prices', {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    ...(token ? { token } : {}),
  });

describe('/api/prices', () => {
  it('reads the library table with search and paging', async () => {
    const r = await t.json<{
      items: { provider: string; model: string; source: string; inputPerMTok: number }[];
      nextCursor: string;
    }>('/api/prices?provider=openai&q=gpt-4o-mini&limit=2', { token: TOKEN });
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(2);
    expect(r.body.items.every((i) => i.provider === 'openai' && i.model.includes('gpt-4o-mini'))).toBe(true);
    const next = await t.json<{ items: { model: string; inputPerMTok: number }[] }>(
      `/api/prices?provider=openai&q=gpt-4o-mini&limit=50&cursor=${r.body.nextCursor}`,
      { token: TOKEN },
    );
    const all = [...r.body.items, ...next.body.items];
    expect(new Set(all.map((i) => i.model)).size).toBe(all.length);
    expect(all.find((i) => i.model === 'gpt-4o-mini')).toMatchObject({ source: 'library', inputPerMTok: 0.15 });
  });

  it('adds an override that prices calls ingested afterwards', async () => {
    const saved = await put({
      provider: 'openai',
      model: 'acme-ft-1',
      inputPerMTok: 2,
      outputPerMTok: 8,
      note: 'fine-tune',
    });
    expect(saved.status).toBe(200);
    expect(saved.body.items![0]).toMatchObject({
      model: 'acme-ft-1',
      source: 'override',
      inputPerMTok: 2,
      cacheReadPerMTok: 2,
    });
    const [trace] = await seedRuns(t.store.storage, [
      { workflow: 'w', startMs: Date.now(), calls: [{ model: 'acme-ft-1', input: 1_000_000, output: 1_000_000 }] },
    ]);
    const rows = await t.store.storage.query<{ CostUSD: number; CostSource: string }>(
      sql`SELECT CostUSD, CostSource FROM ${t.store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(trace!)}`,
    );
    expect(rows).toEqual([{ CostUSD: 10, CostSource: 'override' }]);
    const listed = await t.json<{ items: { model: string }[] }>('/api/prices?source=override', { token: TOKEN });
    expect(listed.body.items.map((i) => i.model)).toEqual(['acme-ft-1']);
  });

  it('removes an override, and 404s one that does not exist', async () => {
    const r = await t.get('/api/prices?provider=openai&model=acme-ft-1', { method: 'DELETE', token: TOKEN });
    expect(r.status).toBe(204);
    const listed = await t.json<{ items: unknown[] }>('/api/prices?source=override', { token: TOKEN });
    expect(listed.body.items).toEqual([]);
    const again = await t.get('/api/prices?provider=openai&model=acme-ft-1', { method: 'DELETE', token: TOKEN });
    expect(again.status).toBe(404);
  });

  it.each([
    [
      { provider: 'openai', model: 'x', inputPerMTok: -1, outputPerMTok: 1 },
      'Invalid body field inputPerMTok: must not be negative',
    ],
    [{ provider: 'open ai', model: 'x', inputPerMTok: 1, outputPerMTok: 1 }, 'Invalid body field provider'],
    [
      { provider: 'openai', model: '', inputPerMTok: 1, outputPerMTok: 1 },
      'Invalid body field model: must not be empty',
    ],
    [
      { provider: 'openai', model: 'x', inputPerMTok: '1', outputPerMTok: 1 },
      'Invalid body field inputPerMTok: must be a number',
    ],
    [
      { provider: 'openai', model: 'x', inputPerMTok: 1, outputPerMTok: 1, extra: true },
      'Invalid body field extra: unknown parameter',
    ],
    [
      { provider: 'openai', model: 'gpt-(?=4)', isPattern: true, inputPerMTok: 1, outputPerMTok: 1 },
      'Invalid body field model',
    ],
    [
      { provider: 'openai', model: '([a', isPattern: true, inputPerMTok: 1, outputPerMTok: 1 },
      'Invalid body field model',
    ],
    [[], 'Invalid body'],
    ['not json at all', 'Invalid body'],
  ])('refuses %j with a 400 that names the field', async (body, message) => {
    const r = await put(body);
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toContain(message);
  });

  it('refuses malformed JSON and a too-large body', async () => {
    const bad = await t.get('/api/prices', {
      method: 'PUT',
      body: '{"provider":',
      headers: { 'content-type': 'application/json' },
      token: TOKEN,
    });
    expect(bad.status).toBe(400);
    const big = await t.get('/api/prices', {
      method: 'PUT',
      body: JSON.stringify({ note: 'x'.repeat(2_000_000) }),
      headers: { 'content-type': 'application/json' },
      token: TOKEN,
    });
    expect(big.status).toBe(413);
  });

  it('requires the bearer token on /api when KAIZEN_API_TOKEN is set, not on health or docs', async () => {
    expect((await t.get('/api/prices')).status).toBe(401);
    expect((await t.get('/api/prices', { token: 'wrong-token-xyz' })).status).toBe(401);
    const body = (await (await t.get('/api/workflows', { headers: { authorization: 'Basic abc' } })).json()) as {
      error: { code: string };
    };
    expect(body.error.code).toBe('KAIZEN_ERR_UNAUTHORIZED');
    expect((await t.get('/healthz')).status).toBe(200);
    expect((await t.get('/api/docs-json')).status).toBe(200);
    expect((await t.get('/metrics')).status).toBe(200);
  });
});
