import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { seedFindings, seedRuns } from './support/seed.js';

let t: TestApp;
let runs: string[];
const now = Date.now();

beforeAll(async () => {
  t = await startTestApp();
  runs = await seedRuns(t.store.storage, [
    { workflow: 'triage', startMs: now - 7_200_000, calls: [{ input: 1000 }, { input: 1000 }] },
    { workflow: 'triage', startMs: now - 3_600_000, calls: [{ input: 1000 }] },
    {
      workflow: 'draft',
      startMs: now - 1_800_000,
      calls: [{ model: 'gpt-4o', input: 9000, output: 900, cacheRead: 8192 }],
    },
  ]);
  await seedFindings(t.store.storage, [
    { traceId: runs[0]!, kind: 'redundant_call', subkind: 'exact', savingPerRun: 0.02, spanIds: ['a', 'b'] },
    { traceId: runs[1]!, kind: 'redundant_call', subkind: 'exact', savingPerRun: 0.04 },
    // An analysis that could not estimate the run rate (0): the summary falls back to the window's rate.
    { traceId: runs[2]!, kind: 'model_overkill', workflow: 'draft', savingPerRun: 0.5, savingPerDay: 5, runsPerDay: 0 },
    {
      traceId: runs[2]!,
      kind: 'prompt_bloat',
      subkind: 'uncached_prefix',
      scope: 'cross_run',
      workflow: 'draft',
      savingPerRun: 0,
      savingPerDay: 3,
    },
  ]);
});
afterAll(async () => {
  await t.close();
});

type Findings = {
  items: {
    id: string;
    kind: string;
    subkind: string;
    traceId: string | null;
    spanIds: string[];
    saving: { perRunUsd: number; perMonthUsd: number };
    evidenceData: unknown;
  }[];
  nextCursor: string | null;
};

describe('GET /api/findings', () => {
  it('lists findings, biggest monthly saving first, with evidence and the fix', async () => {
    const { status, body } = await t.json<Findings>('/api/findings');
    expect(status).toBe(200);
    expect(body.items.map((f) => f.kind)).toEqual([
      'model_overkill',
      'prompt_bloat',
      'redundant_call',
      'redundant_call',
    ]);
    expect(body.items[2]).toMatchObject({ subkind: 'exact', traceId: runs[1], saving: { perRunUsd: 0.04 } });
    expect(body.items.find((f) => f.kind === 'prompt_bloat')!.traceId).toBeNull();
    expect(body.items[3]!.evidenceData).toEqual({ calls: ['a', 'b'] });
  });

  it('filters by kind, trace and minimum saving, and pages', async () => {
    const byKind = await t.json<Findings>('/api/findings?kind=redundant_call&subkind=exact');
    expect(byKind.body.items).toHaveLength(2);
    const byTrace = await t.json<Findings>(`/api/findings?traceId=${runs[2]}`);
    expect(byTrace.body.items.map((f) => f.kind)).toEqual(['model_overkill']);
    const big = await t.json<Findings>('/api/findings?minSavingPerMonth=50');
    expect(big.body.items.map((f) => f.kind)).toEqual(['model_overkill', 'prompt_bloat']);
    const p1 = await t.json<Findings>('/api/findings?limit=3');
    const p2 = await t.json<Findings>(`/api/findings?limit=3&cursor=${p1.body.nextCursor}`);
    expect([...p1.body.items, ...p2.body.items].map((f) => f.id)).toHaveLength(4);
    expect(new Set([...p1.body.items, ...p2.body.items].map((f) => f.id)).size).toBe(4);
  });

  it.each([
    ['kind=bloat', 'Invalid query parameter kind'],
    ['traceId=xyz', 'Invalid query parameter traceId'],
    ['minSavingPerMonth=-1', 'Invalid query parameter minSavingPerMonth'],
    ['detectedBy=gpt', 'Invalid query parameter detectedBy'],
  ])('refuses %s', async (q, message) => {
    const r = await t.json<{ error: { message: string } }>(`/api/findings?${q}`);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(message);
  });
});

describe('GET /api/findings/:findingId', () => {
  it('returns one finding with its evidence, and 404 for an unknown id', async () => {
    const list = await t.json<Findings>(`/api/findings?traceId=${runs[0]}`);
    const id = list.body.items[0]!.id;
    const one = await t.json<Findings['items'][number]>(`/api/findings/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(list.body.items[0]);
    const missing = await t.json<{ error: { code: string } }>('/api/findings/no-such-finding');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('KAIZEN_ERR_NOT_FOUND');
  });

  it('refuses an id that cannot be a finding id', async () => {
    const r = await t.json<{ error: { message: string } }>(`/api/findings/${encodeURIComponent("x' OR 1=1")}`);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('findingId');
  });
});

describe('GET /api/summary', () => {
  it('sums spend, calls and tokens, breaks them down and estimates waste per day without double counting', async () => {
    const { status, body } = await t.json<{
      calls: number;
      costUsd: number;
      tokens: { input: number; cacheRead: number };
      cacheHitRatio: number;
      by: { model: { key: string; calls: number }[]; workflow: { key: string }[] };
      waste: { byKind: { kind: string; savingUsdPerDay: number }[]; savingUsdPerMonth: number };
    }>('/api/summary');
    expect(status).toBe(200);
    expect(body.calls).toBe(4);
    expect(body.tokens.input).toBe(12000);
    expect(body.cacheHitRatio).toBeCloseTo(8192 / 12000, 6);
    expect(body.by.model.map((m) => m.key)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(body.by.workflow.map((w) => w.key)).toEqual(['draft', 'triage']);
    // triage: 2 analysed runs with 0.06 saved in all → 0.03 per run × the 10 runs a day the analysis
    // estimated = 0.3 per day (not 0.06 × 10: each run's finding is not a workflow's daily waste);
    // draft: 0.5 per run × 1 run a day seen in the window (no estimate stored); the cross-run finding
    // counts its own 3 per day once.
    const perDay = Object.fromEntries(body.waste.byKind.map((k) => [k.kind, k.savingUsdPerDay]));
    expect(perDay['redundant_call']).toBeCloseTo(0.3, 9);
    expect(perDay['model_overkill']).toBeCloseTo(0.5, 9);
    expect(perDay['prompt_bloat']).toBeCloseTo(3, 9);
    expect(body.waste.savingUsdPerMonth).toBeCloseTo(3.8 * 30, 6);
  });
});

describe('GET /api/models', () => {
  it('lists models with usage, latency and the price they were charged', async () => {
    const { body } = await t.json<{
      items: {
        model: string;
        calls: number;
        priceModel: string;
        price: { source: string; inputPerMTok: number } | null;
      }[];
    }>('/api/models');
    expect(body.items.map((m) => m.model)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(body.items[0]).toMatchObject({
      calls: 1,
      priceModel: 'gpt-4o',
      price: { source: 'library', inputPerMTok: 2.5 },
    });
  });
});

describe('GET /api/summary over the hourly rollup', () => {
  it('gives exactly the sums of genai_calls for any window (whole hours from the rollup, the edges raw)', async () => {
    const extra = await seedRuns(t.store.storage, [
      { workflow: 'late', startMs: now - 30 * 3_600_000, calls: [{ model: 'gpt-4o', input: 300 }] },
      { workflow: 'late', startMs: now - 10 * 3_600_000 - 123_456, calls: [{ model: 'gpt-4o', input: 700 }] },
      { workflow: 'late', startMs: now - 5 * 3_600_000, calls: [{ input: 11, output: 7 }, { input: 13 }] },
    ]);
    expect(extra).toHaveLength(3);
    for (const since of ['36h', '24h', '10h', '5h', '3h', '90m']) {
      const fromMs = now - parseInt(since) * (since.endsWith('m') ? 60_000 : 3_600_000);
      const [raw] = await t.store.storage.query<{ calls: string; input: string; cost: number }>(
        sql`SELECT count() AS calls, sum(InputTokens) AS input, sum(CostUSD) AS cost FROM ${t.store.storage.table(T.genaiCalls)}
            WHERE Timestamp >= ${p.dateTime64(new Date(fromMs))} AND Timestamp < ${p.dateTime64(new Date(now))}`,
      );
      const from = new Date(fromMs).toISOString();
      const to = new Date(now).toISOString();
      const { body } = await t.json<{
        calls: number;
        tokens: { input: number };
        costUsd: number;
        by: { workflow: { key: string; calls: number }[] };
      }>(`/api/summary?from=${from}&to=${to}`);
      expect({ since, calls: body.calls, input: body.tokens.input }).toEqual({
        since,
        calls: Number(raw!.calls),
        input: Number(raw!.input),
      });
      expect(body.costUsd).toBeCloseTo(raw!.cost, 9);
      expect(body.by.workflow.reduce((n, w) => n + w.calls, 0)).toBe(Number(raw!.calls));
    }
  });
});
