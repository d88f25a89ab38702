import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ident,
  loadLibraryPrices,
  loadMigrations,
  migrate,
  MIGRATIONS_DIR,
  p,
  renderMigrations,
  sql,
  UNSAFE_rawSql,
  type Storage,
} from '@kaizen/clickhouse';
import { openTempStore, type TempStore } from '@kaizen/clickhouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, type SeedData } from './support/seed-data.js';
import { toContribRow } from './support/seed-store.js';

/**
 * The hourly rollups the dashboards read (migrations 0020 and 0021): filled from the calls already
 * stored when they are created, then by materialized views, and always equal to genai_calls.
 */

let store: TempStore;
let storage: Storage;
let seed: SeedData;
const before = mkdtempSync(join(tmpdir(), 'kaizen-migrations-'));

beforeAll(async () => {
  store = await openTempStore({}, { prepare: false });
  storage = store.storage;
  // A store from before the rollups existed, with calls in it.
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_/.test(f) && Number(f.slice(0, 4)) < 20)) {
    copyFileSync(join(MIGRATIONS_DIR, f), join(before, f));
  }
  await migrate(storage, { dir: before });
  await loadLibraryPrices(storage);
  seed = buildSeed(Date.now());
  const rows = seed.spans.map(toContribRow);
  await storage.insert('otel_traces', rows.slice(0, 40));
  // Upgrade: 0020 and 0021 backfill the rollups; later spans go through the views.
  await migrate(storage);
  await storage.insert('otel_traces', rows.slice(40, 70));
  await storage.insert('otel_traces', rows.slice(70));
});
afterAll(async () => {
  await store?.close();
  rmSync(before, { recursive: true, force: true });
});

/** A table of the store's database (the rollups are not among @kaizen/clickhouse's T constants yet). */
const t = (name: string) => ident(`${storage.database}.${name}`);

async function callsTotals() {
  return storage.query<Record<string, number | string>>(sql`
    SELECT ServiceName, ServiceVersion, WorkflowName, Provider, if(RequestModel != '', RequestModel, ResponseModel) AS Model,
      count() AS Calls, sum(IsError) AS Errors, countIf(CostSource = 'unpriced') AS Unpriced, sum(InputTokens) AS Input,
      sum(OutputTokens) AS Output, sum(CacheReadTokens) AS CacheRead, round(sum(CostUSD), 9) AS Cost, sum(DurationNs) AS Duration
    FROM ${t('genai_calls')}
    GROUP BY ALL ORDER BY ALL`);
}

describe('genai_calls_hourly', () => {
  it('holds what genai_calls holds, whether backfilled or filled by its view', async () => {
    const raw = await callsTotals();
    const rolled = await storage.query<Record<string, number | string>>(sql`
      SELECT ServiceName, ServiceVersion, WorkflowName, Provider, Model,
        sum(Calls) AS Calls, sum(Errors) AS Errors, sum(UnpricedCalls) AS Unpriced, sum(InputTokens) AS Input,
        sum(OutputTokens) AS Output, sum(CacheReadTokens) AS CacheRead, round(sum(CostUSD), 9) AS Cost, sum(DurationNs) AS Duration
      FROM ${t('genai_calls_hourly')}
      GROUP BY ALL ORDER BY ALL`);
    expect(raw.length).toBeGreaterThan(5);
    expect(rolled).toEqual(raw);
    const [hist] = await storage.query<{ n: string }>(
      sql`SELECT arraySum(sumMap(DurationHist).2) AS n FROM ${t('genai_calls_hourly')}`,
    );
    expect(Number(hist!.n)).toBe(seed.spans.filter((s) => s.kind === 'client').length);
  });

  it('is not filled twice when the backfill statement runs again', async () => {
    const fill = renderMigrations(loadMigrations(), {
      database: storage.database,
      cluster: undefined,
      retentionDays: undefined,
    })
      .find((m) => m.name.startsWith('0021_'))!
      .statements.filter((s) => s.startsWith('INSERT'));
    expect(fill).toHaveLength(2);
    for (const s of fill) await storage.command(UNSAFE_rawSql(s));
    const [row] = await storage.query<{ calls: string; runs: string }>(sql`
      SELECT (SELECT sum(Calls) FROM ${t('genai_calls_hourly')}) AS calls, (SELECT uniqCombinedMerge(14)(Runs) FROM ${t('workflow_runs_hourly')}) AS runs`);
    expect(Number(row!.calls)).toBe(seed.spans.filter((s) => s.kind === 'client').length);
    expect(Number(row!.runs)).toBe(seed.runs.length);
  });
});

describe('workflow_runs_hourly', () => {
  it('counts runs, calls and cost per workflow and release like workflow_runs', async () => {
    const rolled = await storage.query<Record<string, string | number>>(sql`
      SELECT WorkflowName, ServiceVersion, uniqCombinedMerge(14)(Runs) AS runs, sum(Calls) AS calls, round(sum(CostUSD), 9) AS cost
      FROM ${t('workflow_runs_hourly')} GROUP BY ALL ORDER BY ALL`);
    const runs = await storage.query<Record<string, string | number>>(sql`
      SELECT WorkflowName, ServiceVersion, count() AS runs, sum(calls) AS calls, round(sum(cost), 9) AS cost FROM (
        SELECT TraceId, max(WorkflowName) AS WorkflowName, max(ServiceVersion) AS ServiceVersion, sum(Calls) AS calls, sum(CostUSD) AS cost
        FROM ${t('workflow_runs')} GROUP BY TraceId)
      GROUP BY ALL ORDER BY ALL`);
    expect(rolled).toEqual(runs);
    expect(rolled.map((r) => r['runs'])).toEqual(['6', '6', '6', '6']);
  });
});

describe('kaizen_v1_duration_quantile', () => {
  async function quantile(values: string, q: number): Promise<number> {
    const [row] = await storage.query<{ v: number }>(sql`
      SELECT kaizen_v1_duration_quantile(sumMap([kaizen_v1_duration_bucket(d)], [toUInt64(1)]), ${p.float64(q)}) AS v
      FROM (SELECT arrayJoin(${UNSAFE_rawSql(values)}) AS d)`);
    return row!.v;
  }

  it('is within 4.5 % of the exact quantile, in seconds', async () => {
    // 1 ms … 2 s in 1 ms steps: p95 = 1.9 s, p50 = 1 s.
    const ms = 'arrayMap(x -> toUInt64(x * 1000000), range(1, 2001))';
    expect(Math.abs((await quantile(ms, 0.95)) / 1.9 - 1)).toBeLessThan(0.045);
    expect(Math.abs((await quantile(ms, 0.5)) / 1.0 - 1)).toBeLessThan(0.045);
    expect(Math.abs((await quantile('[toUInt64(81920000000)]', 0.99)) / 81.92 - 1)).toBeLessThan(0.045);
  });

  it('puts sub-millisecond calls at 1 ms', async () => {
    expect(await quantile('[toUInt64(1), toUInt64(500000)]', 0.95)).toBe(0.001);
  });
});
