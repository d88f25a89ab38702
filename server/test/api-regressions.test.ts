import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { seedRuns, type SeedRun } from './support/seed.js';

let t: TestApp;
const now = Date.now();
const HOUR = 3_600_000;

/** A deterministic pseudo-random stream (mulberry32), so the samples are the same every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function runs(
  n: number,
  base: Omit<SeedRun, 'startMs' | 'calls'>,
  at: (i: number) => number,
  call: (r: () => number, i: number) => SeedRun['calls'][number],
  seed: number,
): SeedRun[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({ ...base, startMs: at(i), calls: [call(r, i), call(r, i)] }));
}

beforeAll(async () => {
  t = await startTestApp({ KAIZEN_REGRESSION_MIN_RUNS: '20', KAIZEN_REGRESSION_WINDOW_MINUTES: '60' });
  const spread = (fromMs: number, toMs: number, n: number) => (i: number) => fromMs + ((toMs - fromMs) * (i + 0.5)) / n;
  await seedRuns(t.store.storage, [
    // Release comparison: "drafting" doubles its prompts in 2.0.0; "sorting" changes nothing in 2.0.0.
    ...runs(
      30,
      { workflow: 'drafting', version: '1.0.0' },
      spread(now - 100 * HOUR, now - 60 * HOUR, 30),
      (r) => ({ input: 900 + Math.round(r() * 200), output: 100 }),
      1,
    ),
    ...runs(
      30,
      { workflow: 'drafting', version: '2.0.0' },
      spread(now - 50 * HOUR, now - 30 * HOUR, 30),
      (r) => ({ input: 1900 + Math.round(r() * 200), output: 100 }),
      2,
    ),
    ...runs(
      30,
      { workflow: 'sorting', version: '1.0.0' },
      spread(now - 100 * HOUR, now - 60 * HOUR, 30),
      (r) => ({ input: 900 + Math.round(r() * 200), output: 100 }),
      3,
    ),
    ...runs(
      30,
      { workflow: 'sorting', version: '2.0.0' },
      spread(now - 50 * HOUR, now - 30 * HOUR, 30),
      (r) => ({ input: 900 + Math.round(r() * 200), output: 100 }),
      4,
    ),
    // Window comparison: "replying" starts failing and slows down in the last hour; "tagging" stays the same.
    ...runs(
      40,
      { workflow: 'replying', version: '3.1.0' },
      spread(now - 20 * HOUR, now - 2 * HOUR, 40),
      (r) => ({ input: 500, output: 50, durationMs: 400 + Math.round(r() * 200), error: r() < 0.02 }),
      5,
    ),
    ...runs(
      30,
      { workflow: 'replying', version: '3.1.0' },
      spread(now - 50 * 60_000, now - 60_000, 30),
      (r) => ({ input: 500, output: 50, durationMs: 1400 + Math.round(r() * 300), error: r() < 0.4 }),
      6,
    ),
    ...runs(
      40,
      { workflow: 'tagging', version: '1.2.0' },
      spread(now - 20 * HOUR, now - 2 * HOUR, 40),
      (r) => ({ input: 800, cacheRead: 600 + Math.round(r() * 100), output: 20 }),
      7,
    ),
    ...runs(
      30,
      { workflow: 'tagging', version: '1.2.0' },
      spread(now - 50 * 60_000, now - 60_000, 30),
      (r) => ({ input: 800, cacheRead: 600 + Math.round(r() * 100), output: 20 }),
      8,
    ),
    // A cache that stopped hitting in the last hour.
    ...runs(
      40,
      { workflow: 'summarising', version: '1.0.0' },
      spread(now - 20 * HOUR, now - 2 * HOUR, 40),
      (r) => ({ input: 4000, cacheRead: 3000 + Math.round(r() * 500), output: 100 }),
      9,
    ),
    ...runs(
      30,
      { workflow: 'summarising', version: '1.0.0' },
      spread(now - 50 * 60_000, now - 60_000, 30),
      (r) => ({ input: 4000, cacheRead: Math.round(r() * 300), output: 100 }),
      10,
    ),
  ]);
});
afterAll(async () => {
  await t.close();
});

type Item = {
  workflow: string;
  metric: string;
  comparison: string;
  regressed: boolean;
  changeRatio: number;
  pValue: number;
  baseline: { label: string; samples: number };
  current: { label: string };
  summary: string;
};

describe('GET /api/regressions', () => {
  it('flags the regressed release and leaves the unchanged one alone', async () => {
    const { status, body } = await t.json<{ items: Item[] }>('/api/regressions?comparison=release');
    expect(status).toBe(200);
    const drafting = body.items.find((i) => i.workflow === 'drafting' && i.metric === 'cost_per_run')!;
    expect(drafting).toMatchObject({
      regressed: true,
      baseline: { label: '1.0.0', samples: 30 },
      current: { label: '2.0.0' },
    });
    expect(drafting.changeRatio).toBeGreaterThan(1.5);
    expect(drafting.pValue).toBeLessThan(0.001);
    expect(drafting.summary).toMatch(/^cost per run \+\d+% /);
    expect(body.items.find((i) => i.workflow === 'drafting' && i.metric === 'tokens_per_run')!.regressed).toBe(true);
    const sorting = body.items.filter((i) => i.workflow === 'sorting');
    expect(sorting.length).toBeGreaterThan(0);
    expect(sorting.every((i) => !i.regressed)).toBe(true);
  });

  it('flags error rate, latency and cache-hit regressions in the recent window, not steady workflows', async () => {
    const { body } = await t.json<{ items: Item[] }>('/api/regressions?comparison=window&regressed=true');
    const found = body.items.map((i) => `${i.workflow}:${i.metric}`).sort();
    // A cache that stops hitting also makes each run dearer (cached input costs half on gpt-4o-mini).
    expect(found).toEqual([
      'replying:error_rate',
      'replying:p95_latency',
      'summarising:cache_hit_ratio',
      'summarising:cost_per_run',
    ]);
  });

  it('exports the verdicts as gauges for the alert rules', async () => {
    await t.json('/api/regressions');
    const text = await (await t.get('/metrics')).text();
    expect(text).toContain(
      'kaizen_regression_detected{service="mailer",workflow="drafting",metric="cost_per_run",comparison="release"} 1',
    );
    expect(text).toContain(
      'kaizen_regression_detected{service="mailer",workflow="sorting",metric="cost_per_run",comparison="release"} 0',
    );
    expect(text).toMatch(
      /kaizen_regression_change_ratio\{service="mailer",workflow="drafting",metric="cost_per_run",comparison="release"\} 1\.\d+/,
    );
  });

  it('validates its parameters', async () => {
    const r = await t.json<{ error: { message: string } }>('/api/regressions?metric=vibes');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('Invalid query parameter metric');
  });
});
