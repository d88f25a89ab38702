/**
 * The collector replays a spooled batch with its original insert deduplication token. ClickHouse
 * then drops the repeated block in otel_traces / otel_logs, and in every table a materialized view
 * fills from them only if that table keeps a deduplication window. A derived table added without one
 * would count replayed spans twice: this test finds every such table, however deep the chain.
 */
import { p, sql, T } from '@kaizen/clickhouse';
import { openTempStore, type TempStore } from '@kaizen/clickhouse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let store: TempStore;
beforeAll(async () => {
  store = await openTempStore();
});
afterAll(async () => {
  await store.close();
});

interface TableRow {
  name: string;
  engine: string;
  create_table_query: string;
  dependencies_table: string[];
}

describe('deduplication windows', () => {
  it('cover every table a view fills from otel_traces or otel_logs, directly or through other views', async () => {
    const db = store.storage.database;
    const rows = await store.storage.query<TableRow>(
      sql`SELECT name, engine, create_table_query, dependencies_table FROM system.tables WHERE database = ${p.string(db)}`,
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    const targetOf = (view: TableRow) =>
      new RegExp(`\\bTO\\s+\`?${db}\`?\\.\`?(\\w+)`).exec(view.create_table_query)?.[1];
    const derived = new Set<string>();
    const queue: string[] = [T.otelTraces, T.otelLogs];
    while (queue.length > 0) {
      const table = byName.get(queue.shift() as string);
      for (const viewName of table?.dependencies_table ?? []) {
        const view = byName.get(viewName);
        const target = view && view.engine === 'MaterializedView' ? targetOf(view) : undefined;
        if (target && !derived.has(target)) {
          derived.add(target);
          queue.push(target);
        }
      }
    }
    expect([...derived]).toEqual(
      expect.arrayContaining([T.genaiCalls, T.workflowRuns, T.otelTracesTraceIdTs, T.genaiLogMessages]),
    );
    const missing = [...derived].filter((name) => {
      const t = byName.get(name);
      return (
        !t ||
        (!t.engine.startsWith('Replicated') &&
          !/non_replicated_deduplication_window = [1-9]/.test(t.create_table_query))
      );
    });
    expect(missing, 'derived tables without non_replicated_deduplication_window (replays would count twice)').toEqual(
      [],
    );
    for (const source of [T.otelTraces, T.otelLogs])
      expect(byName.get(source)?.create_table_query).toMatch(/non_replicated_deduplication_window = 10000/);
  });
});
