import { p, sql, UNSAFE_rawSql, type Storage } from '@kaizen/clickhouse';
import { openTempStore, type TempStore } from '@kaizen/clickhouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseQueries, readDashboards, type ClickHouseQuery } from './support/dashboards.js';
import { ALL, expandQuery, type QueryContext, type TemplateVariable } from './support/grafana-sql.js';
import { buildSeed, type SeedData } from './support/seed-data.js';
import { EXPECTED_SAVING, insertAnalysisResults } from './support/seed-store.js';
import { seedSpans, SEEDING } from './support/seed-spans.js';

/**
 * Every ClickHouse query of every dashboard (panels, variables, annotations), expanded exactly as
 * Grafana and the ClickHouse plugin expand it, runs on a real embedded ClickHouse seeded with two
 * workflows, and returns the columns its panel reads.
 */

const NOW = Math.floor(Date.now() / 60_000) * 60_000;
let store: TempStore;
let storage: Storage;
let seed: SeedData;

beforeAll(async () => {
  store = await openTempStore();
  storage = store.storage;
  seed = buildSeed(NOW);
  await seedSpans(storage, seed, store.config);
  await insertAnalysisResults(storage, seed, NOW);
  // The data source's defaultDatabase is the connection's database: dashboards name tables bare.
  await storage.command(UNSAFE_rawSql(`USE ${storage.database}`));
});
afterAll(async () => {
  await store?.close();
});

interface Result {
  readonly names: string[];
  readonly types: string[];
  readonly rows: unknown[][];
}

async function run(text: string): Promise<Result> {
  const out = await storage.queryText(UNSAFE_rawSql(text), 'JSONCompactEachRowWithNamesAndTypes', {
    tag: 'grafana-panel',
  });
  const [names, types, ...rows] = out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown[]);
  return { names: names as string[], types: types as string[], rows };
}

function context(selected: boolean): QueryContext {
  const services = ['mailer', 'support'];
  const variable = (name: string, options: string[], pick: string): TemplateVariable => ({
    name,
    current: selected ? [pick] : [ALL],
    options,
    allValue: '.*',
  });
  return {
    from: new Date(NOW - 7 * 86_400_000),
    to: new Date(NOW),
    intervalMs: 300_000,
    variables: [
      variable('service', services, 'mailer'),
      variable('workflow', ['sort-mail', 'answer-ticket'], 'sort-mail'),
      variable('model', ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-0', 'acme-llm-1'], 'gpt-4.1'),
      { ...variable('kind', ['redundant_call', 'model_overkill', 'prompt_bloat'], 'redundant_call'), allValue: null },
      { name: 'trace_id', current: seed.runs[0]!.traceId },
    ],
  };
}

const NUMERIC = /^(Nullable\()?(U?Int\d+|Float\d+|Decimal)/;
const TIME = /^(Nullable\()?DateTime/;

function checkShape(q: ClickHouseQuery, r: Result): void {
  if (q.expectedColumns) expect(r.names).toEqual([...q.expectedColumns]);
  if (q.kind === 'variable') expect(r.names).toHaveLength(1);
  if (q.kind === 'annotation') expect(r.types[0]).toMatch(TIME);
  const type = (name: string) => r.types[r.names.indexOf(name)];
  switch (q.panelType) {
    case 'timeseries':
      expect(r.names[0]).toBe('time');
      expect(type('time')).toMatch(TIME);
      expect(type(r.names.at(-1)!)).toMatch(NUMERIC);
      break;
    case 'stat':
      expect(r.names).toHaveLength(1);
      expect(type(r.names[0]!)).toMatch(NUMERIC);
      break;
    case 'barchart':
      expect(type(r.names[1]!)).toMatch(NUMERIC);
      break;
  }
}

const dashboards = readDashboards();

describe.each(dashboards.map((d) => [d.json.uid, d.json] as const))(`%s (spans seeded ${SEEDING})`, (_uid, json) => {
  const queries = clickhouseQueries(json);
  if (queries.length === 0) {
    it('has no ClickHouse queries (a Prometheus dashboard)', () => {
      expect(json.panels.some((p) => p.datasource?.type === 'prometheus')).toBe(true);
    });
    return;
  }

  it.each(queries.map((q) => [q.name, q] as const))(
    '%s returns rows with its columns (every variable All)',
    async (_n, q) => {
      const r = await run(expandQuery(q.rawSql, context(false)));
      checkShape(q, r);
      expect(r.rows.length, 'rows').toBeGreaterThan(0);
    },
  );

  it.each(queries.map((q) => [q.name, q] as const))('%s runs with single values selected', async (_n, q) => {
    const r = await run(expandQuery(q.rawSql, context(true)));
    checkShape(q, r);
  });
});

describe('the numbers the panels show', () => {
  async function panel(uid: string, title: string, selected = false): Promise<Record<string, unknown>[]> {
    const d = dashboards.find((x) => x.json.uid === uid)!;
    const q = clickhouseQueries(d.json).find((x) => x.name === title)!;
    const r = await run(expandQuery(q.rawSql, context(selected)));
    return r.rows.map((row) => Object.fromEntries(r.names.map((n, i) => [n, row[i]])));
  }

  it('spend and calls equal what genai_calls holds, for all services and for one', async () => {
    const [all] = await storage.query<{ usd: number; calls: string }>(
      sql`SELECT sum(CostUSD) AS usd, count() AS calls FROM ${storage.table('genai_calls')}`,
    );
    const [mailer] = await storage.query<{ usd: number }>(
      sql`SELECT sum(CostUSD) AS usd FROM ${storage.table('genai_calls')}
          WHERE ServiceName = ${p.string('mailer')} AND WorkflowName = ${p.string('sort-mail')} AND RequestModel = ${p.string('gpt-4.1')}`,
    );
    expect(Number(all!.calls)).toBe(seed.spans.filter((s) => s.kind === 'client').length);
    expect((await panel('kaizen-overview', 'Spend'))[0]!['spend_usd']).toBeCloseTo(all!.usd, 9);
    expect(Number((await panel('kaizen-overview', 'Model calls'))[0]!['calls'])).toBe(Number(all!.calls));
    expect((await panel('kaizen-overview', 'Spend', true))[0]!['spend_usd']).toBeCloseTo(mailer!.usd, 9);
  });

  it('counts a recurring waste once per workflow, not once per analysed run', async () => {
    const [row] = await panel('kaizen-overview', 'Saving potential');
    expect(row!['saving_usd_per_month']).toBeCloseTo(EXPECTED_SAVING.perMonth, 9);
    const [day] = await panel('kaizen-waste', 'Saving potential / day');
    expect(day!['saving_usd_per_day']).toBeCloseTo(EXPECTED_SAVING.perDay, 9);
    const [n] = await panel('kaizen-waste', 'Open findings');
    expect(Number(n!['findings'])).toBe(EXPECTED_SAVING.findings);
  });

  it('shows the cost-per-run regression of release 1.1.0 and the waste per analysed run', async () => {
    const releases = await panel('kaizen-regressions', 'Releases');
    const sortMail = releases.filter((r) => r['WorkflowName'] === 'sort-mail');
    expect(sortMail.map((r) => r['ServiceVersion'])).toEqual(['1.1.0', '1.0.0']);
    expect(sortMail[0]!['cost_per_run_usd_change']).toBeGreaterThan(2);
    expect(sortMail[1]!['cost_per_run_usd_change']).toBeNull();
    const wf = await panel('kaizen-workflows', 'Workflows');
    for (const w of wf) expect(w['waste_per_run_usd']).toBeCloseTo(EXPECTED_SAVING.wastePerRun, 9);
    expect(wf.map((w) => Number(w['runs']))).toEqual([12, 12]);
  });

  it('opens one run: its spans in the trace view, its calls and findings', async () => {
    const trace = await panel('kaizen-workflows', 'Trace');
    expect(trace).toHaveLength(4);
    expect(new Set(trace.map((t) => t['traceID']))).toEqual(new Set([seed.runs[0]!.traceId]));
    expect(trace.filter((t) => t['parentSpanID'] === '')).toHaveLength(1);
    const calls = await panel('kaizen-workflows', 'Model calls in this run');
    expect(calls.map((c) => c['findings'])).toEqual(['redundant_call', 'redundant_call', '']);
    const findings = await panel('kaizen-workflows', 'Findings in this run');
    expect(findings).toHaveLength(1);
  });
});
