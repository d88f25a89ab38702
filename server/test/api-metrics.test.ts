import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRuns } from './support/seed.js';
import { startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp;
const now = Date.now();

/** Parses Prometheus text exposition into { 'name{labels}': value }. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const series = (m: Map<string, number>, prefix: string) => [...m.entries()].filter(([k]) => k.startsWith(prefix));

beforeAll(async () => {
  t = await startTestApp({ KAIZEN_METRICS_TOP_N: '2', KAIZEN_DAILY_BUDGET_USD: '125' });
  await seedRuns(t.store.storage, [
    {
      workflow: 'triage',
      startMs: now - 600_000,
      calls: [
        { model: 'gpt-4o', input: 1000, output: 100, durationMs: 300 },
        { model: 'gpt-4o', input: 2000, output: 50, cacheRead: 1024, durationMs: 1500, error: true },
      ],
    },
    {
      workflow: 'draft',
      startMs: now - 500_000,
      calls: [{ model: 'gpt-4o-mini', input: 500, output: 20, durationMs: 50 }],
    },
    {
      workflow: 'review',
      startMs: now - 400_000,
      calls: [
        { model: 'gpt-4.1-nano', input: 10, output: 5 },
        { model: 'gpt-4.1-mini', input: 10, output: 5 },
      ],
    },
  ]);
});
afterAll(async () => {
  await t.close();
});

describe('GET /metrics', () => {
  it('exposes the contract names with bounded labels, derived from ClickHouse', async () => {
    const r = await t.get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await r.text();
    const m = parse(text);
    // Two models kept by cost (gpt-4o, gpt-4o-mini); gpt-4.1-nano and gpt-4.1-mini fold into "other".
    const models = new Set(series(m, 'kaizen_genai_calls_total{').map(([k]) => /model="([^"]*)"/.exec(k)![1]));
    expect(models).toEqual(new Set(['gpt-4o', 'gpt-4o-mini', 'other']));
    expect(
      m.get(
        'kaizen_genai_calls_total{service="mailer",provider="openai",model="gpt-4o",workflow="triage",status="error"}',
      ),
    ).toBe(1);
    expect(
      m.get('kaizen_genai_calls_total{service="mailer",provider="openai",model="other",workflow="other",status="ok"}'),
    ).toBe(2);
    expect(
      m.get('kaizen_genai_tokens_total{type="cache_read",service="mailer",provider="openai",model="gpt-4o"}'),
    ).toBe(1024);
    expect(m.get('kaizen_genai_tokens_total{type="input",service="mailer",provider="openai",model="gpt-4o"}')).toBe(
      3000,
    );
    const cost = series(m, 'kaizen_genai_cost_usd_total{').reduce((s, [, v]) => s + v, 0);
    expect(cost).toBeGreaterThan(0);
    // Histograms use the semantic conventions' buckets and are cumulative.
    const bucket = (le: string) =>
      m.get(
        `gen_ai_client_operation_duration_seconds_bucket{service="mailer",provider="openai",model="gpt-4o",workflow="triage",le="${le}"}`,
      );
    expect([bucket('0.16'), bucket('0.32'), bucket('1.28'), bucket('2.56'), bucket('+Inf')]).toEqual([0, 1, 1, 2, 2]);
    expect(
      m.get(
        'gen_ai_client_operation_duration_seconds_count{service="mailer",provider="openai",model="gpt-4o",workflow="triage"}',
      ),
    ).toBe(2);
    expect(
      m.get(
        'gen_ai_client_token_usage_bucket{type="input",service="mailer",provider="openai",model="gpt-4o",le="1024"}',
      ),
    ).toBe(1);
    expect(m.get('kaizen_workflow_runs_total{service="mailer",workflow="triage"}')).toBe(1);
    expect(m.get('kaizen_budget_daily_usd')).toBe(125);
    expect(m.get('kaizen_judge_circuit_state')).toBe(0);
    expect(series(m, 'kaizen_workflow_cost_per_run_usd{').length).toBeGreaterThan(0);
    expect(text).not.toMatch(/[0-9a-f]{32}/); // never a trace id in a label
  });

  it("passes promtool's lint for Kaizen's families", async () => {
    const text = await (await t.get('/metrics')).text();
    const ours = text
      .split('\n\n')
      .filter((block) => /^# HELP (kaizen_|gen_ai_)/.test(block))
      .join('\n');
    const r = spawnSync('promtool', ['check', 'metrics'], { input: `${ours}\n`, encoding: 'utf8' });
    expect(r.error, 'promtool (Debian package prometheus) must be installed').toBeUndefined();
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
    expect(r.status).toBe(0);
  });
});
