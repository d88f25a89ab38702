import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoAnalyzer } from '../src/analysis-api/auto-analyzer.js';
import { startTestStack, type TestStack } from './support/stack.js';

let t: TestStack;
let dup: string;
let clean: string;
let faq1: string;
let faq2: string;
const now = Date.now();

beforeAll(async () => {
  t = await startTestStack({ KAIZEN_AUTO_ANALYZE_QUIET_SECONDS: '5' });
  const ids = await t.send([
    {
      workflow: 'triage',
      startMs: now - 60_000,
      calls: [
        { model: 'gpt-4o', prompt: 'Classify this ticket: my invoice is wrong', answer: 'billing', temperature: 0 },
        { model: 'gpt-4o', prompt: 'Classify this ticket: my invoice is wrong', answer: 'billing', temperature: 0 },
        { model: 'gpt-4o', prompt: 'Draft a reply to the customer about the invoice', answer: 'Dear customer…' },
      ],
    },
    {
      workflow: 'triage',
      startMs: now - 50_000,
      calls: [{ model: 'gpt-4o-mini', prompt: 'Summarise the day', input: 5000 }],
    },
    ...[40_000, 30_000].map((ago) => ({
      workflow: 'faq',
      startMs: now - ago,
      calls: [
        { model: 'gpt-4o-mini', prompt: 'What are your opening hours?', answer: 'Nine to five.', temperature: 0 },
      ],
    })),
  ]);
  [dup, clean, faq1, faq2] = ids as [string, string, string, string];
});
afterAll(async () => {
  await t.close();
});

interface Analysis {
  analysisId: string;
  traceId: string;
  status: string;
  calls: number;
  costUsd: number;
  savingUsdPerRun: number;
  judge: { status: string };
  findings: { id: string; kind: string; subkind: string; spanIds: string[]; saving: { perRunUsd: number } }[];
}

describe('POST /api/workflows/:traceId/analyze', () => {
  it('finds the repeated call in a run fed through the collector, stores and returns it with its saving', async () => {
    const r = await t.json<Analysis>(`/api/workflows/${dup}/analyze`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ traceId: dup, status: 'done', calls: 3, judge: { status: 'skipped_no_key' } });
    const exact = r.body.findings.find((f) => f.kind === 'redundant_call' && f.subkind === 'exact');
    expect(exact).toBeDefined();
    expect(exact!.spanIds).toHaveLength(2);
    expect(exact!.saving.perRunUsd).toBeGreaterThan(0);
    expect(r.body.savingUsdPerRun).toBeGreaterThan(0);

    const stored = await t.json<Analysis>(`/api/workflows/${dup}/analysis`);
    expect(stored.status).toBe(200);
    expect(stored.body.analysisId).toBe(r.body.analysisId);
    expect(stored.body.findings.map((f) => f.id).sort()).toEqual(r.body.findings.map((f) => f.id).sort());

    const run = await t.json<{ run: { analysis: { status: string } | null; waste: { findings: number } } }>(
      `/api/workflows/${dup}`,
    );
    expect(run.body.run.analysis?.status).toBe('done');
    expect(run.body.run.waste.findings).toBe(r.body.findings.length);
  });

  it("the summary's waste per day agrees with the findings' own per-day saving (one run rate for both)", async () => {
    const a = await t.json<
      Omit<Analysis, 'findings'> & { findings: { kind: string; saving: { perDayUsd: number } }[] }
    >(`/api/workflows/${dup}/analysis`);
    const s = await t.json<{ waste: { byKind: { kind: string; savingUsdPerDay: number }[] } }>('/api/summary?since=1h');
    const byKind = Object.fromEntries(s.body.waste.byKind.map((k) => [k.kind, k.savingUsdPerDay]));
    for (const kind of new Set(a.body.findings.map((f) => f.kind))) {
      const own = a.body.findings.filter((f) => f.kind === kind).reduce((n, f) => n + f.saving.perDayUsd, 0);
      expect(byKind[kind]).toBeCloseTo(own, 9);
    }
  });

  it('re-analysing replaces the findings instead of adding to them', async () => {
    const first = await t.json<Analysis>(`/api/workflows/${dup}/analysis`);
    const again = await t.json<Analysis>(`/api/workflows/${dup}/analyze`, { method: 'POST' });
    expect(again.body.analysisId).not.toBe(first.body.analysisId);
    const listed = await t.json<{ items: unknown[] }>(`/api/findings?traceId=${dup}`);
    expect(listed.body.items).toHaveLength(again.body.findings.length);
  });

  it('answers 404 for a run it does not hold and 400 for a bad trace id', async () => {
    const missing = await t.json<{ error: { code: string } }>(`/api/workflows/${'ab'.repeat(16)}/analyze`, {
      method: 'POST',
    });
    expect(missing.status).toBe(404);
    const never = await t.json<{ error: { message: string } }>(`/api/workflows/${clean}/analysis`);
    expect(never.status).toBe(404);
    expect(never.body.error.message).toContain('has not been analysed');
    const bad = await t.json<{ error: { message: string } }>('/api/workflows/xyz/analyze', { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('traceId');
  });

  it('counts analyses and insights in /metrics', async () => {
    const text = await (await t.get('/metrics')).text();
    expect(text).toMatch(/kaizen_analyses_total\{trigger="api",status="done"\} [2-9]/);
    expect(text).toMatch(/kaizen_insights_total\{kind="redundant_call"\} [1-9]/);
  });
});

describe('auto-analysis', () => {
  it('analyses quiet runs that were never analysed, most expensive first, and only once', async () => {
    const auto = t.app.get(AutoAnalyzer);
    const later = new Date(Date.now() + 10_000);
    expect(await auto.due(new Date(now - 120_000))).toEqual([]); // nothing is quiet yet at that time
    const due = await auto.due(later); // dup is analysed and has not grown since
    expect([...due].sort()).toEqual([clean, faq1, faq2].sort());
    expect(due[0]).toBe(clean); // 5,000 input tokens: the most expensive of the three
    expect(await auto.tick(later)).toBe(3);
    expect(await auto.due(later)).toEqual([]);
    const stored = await t.json<{ trigger: string; status: string }>(`/api/workflows/${clean}/analysis`);
    expect(stored.body).toMatchObject({ trigger: 'auto', status: 'done' });
  });

  it('then analyses the window across runs: the same request answered identically in two runs', async () => {
    const r = await t.json<{ items: { scope: string; traceId: string | null; workflow: string; kind: string }[] }>(
      '/api/findings?workflow=faq',
    );
    expect(r.body.items).toEqual([
      expect.objectContaining({ scope: 'cross_run', traceId: null, workflow: 'faq', kind: 'redundant_call' }),
    ]);
  });
});
