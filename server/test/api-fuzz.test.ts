import { p, sql, T } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { seedFindings, seedRuns } from './support/seed.js';

/**
 * Every parameter of every operation in the OpenAPI document, tried with hostile values: the API
 * answers 4xx (or an empty 200) with its error shape, never 5xx, and no value ever reaches SQL as
 * text (the store is unchanged afterwards, and filters with injection payloads match nothing).
 */

let t: TestApp;
let traceId: string;
let findingId: string;

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: 'query' | 'path'; required?: boolean }[];
}

const HOSTILE = [
  "' OR 1=1 --",
  "x'); DROP TABLE otel.genai_calls; --",
  "triage' UNION ALL SELECT name FROM system.tables --",
  '{p0:String}',
  '\\',
  '\u0000',
  '../../../etc/passwd',
  '%',
  '-1',
  '1e309',
  'NaN',
  '9'.repeat(40),
  'a'.repeat(5000),
  '',
  '😀',
];

const counts = async () =>
  Promise.all(
    // (waste_findings and analyses change when a valid run is analysed, which is allowed.)
    [T.otelTraces, T.genaiCalls, T.workflowRuns, T.modelPrices, T.modelPriceOverrides].map(async (table) => {
      const [r] = await t.store.storage.query<{ n: string }>(
        sql`SELECT count() AS n FROM ${t.store.storage.table(table)}`,
      );
      return `${table}=${r!.n}`;
    }),
  );

let operations: Operation[] = [];
let before: string[];

beforeAll(async () => {
  t = await startTestApp();
  const seeded = await seedRuns(t.store.storage, [
    { workflow: 'triage', startMs: Date.now() - 60_000, calls: [{ prompt: 'a' }, { prompt: 'a' }] },
  ]);
  traceId = seeded[0]!;
  await seedFindings(t.store.storage, [
    { traceId: traceId!, kind: 'redundant_call', subkind: 'exact', savingPerRun: 0.01 },
  ]);
  const [f] = await t.store.storage.query<{ FindingId: string }>(
    sql`SELECT FindingId FROM ${t.store.storage.table(T.wasteFindings)} WHERE TraceId = ${p.string(traceId!)}`,
  );
  findingId = f!.FindingId;
  const doc = (
    await t.json<{ paths: Record<string, Record<string, { parameters?: Operation['parameters'] }>> }>('/api/docs-json')
  ).body;
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
    })),
  );
  before = await counts();
});
afterAll(async () => {
  await t.close();
});

const VALID_PATH: Record<string, () => string> = {
  traceId: () => traceId,
  findingId: () => findingId,
  uid: () => 'kaizen-overview',
};

function url(op: Operation, name: string, value: string, repeat = false): string {
  let path = op.path;
  for (const prm of op.parameters.filter((x) => x.in === 'path')) {
    const v = prm.name === name ? value : VALID_PATH[prm.name]!();
    path = path.replace(`{${prm.name}}`, encodeURIComponent(v));
  }
  const q = op.parameters.some((x) => x.in === 'query' && x.name === name)
    ? `?${encodeURIComponent(name)}=${encodeURIComponent(value)}${repeat ? `&${encodeURIComponent(name)}=x` : ''}`
    : '';
  return path + q;
}

describe('every documented parameter, with hostile values', () => {
  it('covers the API (the document lists the operations and their parameters)', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
    expect(operations.flatMap((o) => o.parameters).length).toBeGreaterThanOrEqual(40);
    for (const name of operations.flatMap((o) => o.parameters.filter((x) => x.in === 'path').map((x) => x.name)))
      expect(VALID_PATH[name], `a valid value for path parameter ${name}`).toBeDefined();
  });

  it('answers 4xx or an empty 200, never 5xx, and the error names the parameter', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      if (op.method === 'DELETE' || op.method === 'PUT') continue; // bodies: below
      for (const prm of op.parameters) {
        for (const [i, value] of HOSTILE.entries()) {
          const target = url(op, prm.name, value, i === 0);
          const r = await t.get(target, { method: op.method });
          const text = await r.text();
          if (r.status >= 500) failures.push(`${op.method} ${target} → ${r.status} ${text.slice(0, 200)}`);
          if (r.status === 400 && prm.in === 'query' && !text.includes(prm.name))
            failures.push(`${op.method} ${target} → 400 without naming ${prm.name}: ${text.slice(0, 200)}`);
          if (r.status === 200 && prm.in === 'query' && /^(workflow|service|traceId|provider)$/.test(prm.name)) {
            const body = JSON.parse(text) as { items?: unknown[] };
            if (body.items && body.items.length > 0 && value !== '' && value !== '%')
              failures.push(`${op.method} ${target} → matched ${body.items.length} item(s)`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses hostile bodies with 4xx', async () => {
    const bodies: [string, string][] = [
      ['application/json', '{"query": '],
      ['application/json', 'null'],
      ['application/json', '[]'],
      ['application/json', '"SELECT 1"'],
      ['application/json', '{"query": 42}'],
      ['application/json', '{"query": "SELECT 1", "params": {"a b": 1}}'],
      ['application/json', '{"query": "SELECT 1", "__proto__": {"admin": true}}'],
      ['application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['application/json', `{"query": "${'x'.repeat(2 * 1024 * 1024)}"}`],
      ['text/plain', 'SELECT 1'],
      ['application/x-www-form-urlencoded', 'query=SELECT+1'],
    ];
    const failures: string[] = [];
    for (const op of operations.filter((o) => ['POST', 'PUT', 'DELETE'].includes(o.method))) {
      // Operations without a body (analyse) ignore a JSON one, but never accept another content type.
      const takesBody = op.parameters.length === 0;
      for (const [type, body] of bodies) {
        if (!takesBody && type === 'application/json' && body.length < 100_000) continue;
        const r = await t.get(url(op, '', ''), { method: op.method, headers: { 'content-type': type }, body });
        if (r.status < 400 || r.status >= 500)
          failures.push(`${op.method} ${op.path} ${type} ${body.slice(0, 40)} → ${r.status}`);
        if (type !== 'application/json' && r.status !== 415)
          failures.push(`${op.method} ${op.path} ${type} → ${r.status}, not 415`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('left the store exactly as it was', async () => {
    expect(await counts()).toEqual(before);
  });
});
