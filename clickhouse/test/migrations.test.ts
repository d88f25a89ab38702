import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, MIGRATIONS_DIR } from '../src/migrations/migration.loader.js';
import { migrate, MigrationChecksumError, renderMigrations } from '../src/migrations/migration.runner.js';
import { p, sql, UNSAFE_rawSql } from '../src/query/sql.js';
import { T } from '../src/schema/tables.js';
import { hexId, openTempStore, spanRow, type TempStore } from './support/index.js';

let store: TempStore;
beforeAll(async () => {
  store = await openTempStore({}, { prepare: false });
});
afterAll(async () => {
  await store.close();
});

const tables = async () =>
  (
    await store.storage.query<{ name: string }>(
      sql`SELECT name FROM system.tables WHERE database = ${p.string(store.storage.database)} ORDER BY name`,
    )
  ).map((r) => r.name);

const createQuery = async (table: string) =>
  (
    await store.storage.query<{ q: string }>(
      sql`SELECT create_table_query AS q FROM system.tables WHERE database = ${p.string(store.storage.database)} AND name = ${p.string(table)}`,
    )
  )[0]?.q ?? '';

describe('adopting tables the contrib exporter created first', () => {
  it('keeps their layout, adds what the view needs, and fills genai_calls from them', async () => {
    const db = store.storage.database;
    await store.storage.command(UNSAFE_rawSql(`CREATE DATABASE IF NOT EXISTS ${db} ENGINE = Atomic`));
    // A newer exporter template (T64 codec, PRIMARY KEY + ORDER BY with Timestamp) …
    await store.storage.command(
      UNSAFE_rawSql(`CREATE TABLE ${db}.otel_traces (
        Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)), TraceId String CODEC(ZSTD(1)), SpanId String CODEC(ZSTD(1)),
        ParentSpanId String CODEC(ZSTD(1)), TraceState String CODEC(ZSTD(1)), SpanName LowCardinality(String) CODEC(ZSTD(1)),
        SpanKind LowCardinality(String) CODEC(ZSTD(1)), ServiceName LowCardinality(String) CODEC(ZSTD(1)),
        ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), ScopeName String CODEC(ZSTD(1)),
        ScopeVersion String CODEC(ZSTD(1)), SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        Duration UInt64 CODEC(T64, ZSTD(1)), StatusCode LowCardinality(String) CODEC(ZSTD(1)), StatusMessage String CODEC(ZSTD(1)),
        Events Nested (Timestamp DateTime64(9), Name LowCardinality(String), Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
        Links Nested (TraceId String, SpanId String, TraceState String, Attributes Map(LowCardinality(String), String)) CODEC(ZSTD(1)),
        INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
      ) ENGINE = MergeTree() PARTITION BY toDate(Timestamp)
      PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp)) ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)
      SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`),
    );
    // … and an older logs layout (TimestampTime, no EventName).
    await store.storage.command(
      UNSAFE_rawSql(`CREATE TABLE ${db}.otel_logs (
        Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)), TimestampTime DateTime DEFAULT toDateTime(Timestamp),
        TraceId String CODEC(ZSTD(1)), SpanId String CODEC(ZSTD(1)), TraceFlags UInt8, SeverityText LowCardinality(String) CODEC(ZSTD(1)),
        SeverityNumber UInt8, ServiceName LowCardinality(String) CODEC(ZSTD(1)), Body String CODEC(ZSTD(1)),
        ResourceSchemaUrl LowCardinality(String) CODEC(ZSTD(1)), ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        ScopeSchemaUrl LowCardinality(String) CODEC(ZSTD(1)), ScopeName String CODEC(ZSTD(1)), ScopeVersion LowCardinality(String) CODEC(ZSTD(1)),
        ScopeAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)), LogAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1))
      ) ENGINE = MergeTree() PARTITION BY toDate(TimestampTime) PRIMARY KEY (ServiceName, TimestampTime)
      ORDER BY (ServiceName, TimestampTime, Timestamp) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`),
    );
    const before = spanRow({ SpanName: 'written before Kaizen' });
    await store.storage.insert(T.otelTraces, [before]);

    const result = await migrate(store.storage);
    expect(result.applied.map((m) => m.name)).toEqual(loadMigrations().map((m) => m.name));

    expect(await createQuery('otel_traces')).toMatch(
      /ORDER BY \(ServiceName, SpanName, toDateTime\(Timestamp\), Timestamp\)/,
    );
    expect(await createQuery('otel_logs')).toMatch(/TimestampTime/);
    expect(await createQuery('otel_logs')).toMatch(/EventName/);
    const kept = await store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${store.storage.table(T.otelTraces)} WHERE TraceId = ${p.string(before.TraceId)}`,
    );
    expect(kept).toEqual([{ n: '1' }]);

    const traceId = hexId(16);
    await store.storage.insert(T.otelTraces, [
      spanRow({
        TraceId: traceId,
        SpanAttributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': '10',
        },
      }),
    ]);
    const calls = await store.storage.query<{ InputTokens: string }>(
      sql`SELECT InputTokens FROM ${store.storage.table(T.genaiCalls)} WHERE TraceId = ${p.string(traceId)}`,
    );
    expect(calls).toEqual([{ InputTokens: '10' }]);
  });
});

describe('running the migrations', () => {
  it('creates every table of the contract', async () => {
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'otel_traces',
        'otel_traces_trace_id_ts',
        'otel_traces_trace_id_ts_mv',
        'otel_logs',
        'genai_calls',
        'genai_calls_mv_v2',
        'workflow_runs_spans_mv_v2',
        'genai_log_messages',
        'model_prices',
        'model_price_overrides',
        'model_price_dict',
        'workflow_runs',
        'genai_calls_hourly',
        'workflow_runs_hourly',
        'genai_call_totals',
        'waste_findings',
        'analyses',
        'kaizen_migrations',
      ]),
    );
  });

  it('is a no-op the second time', async () => {
    const again = await migrate(store.storage);
    expect(again.applied).toEqual([]);
    expect(again.upToDate).toBe(loadMigrations().length);
  });

  it('refuses an applied migration whose text changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaizen-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const file = join(dir, '0002_create_otel_logs.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- an edit\n`);
      await expect(migrate(store.storage, { dir })).rejects.toThrow(MigrationChecksumError);
      await expect(migrate(store.storage, { dir })).rejects.toThrow(
        /0002_create_otel_logs\.sql was applied with checksum .* but the file now has/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a store migrated by a newer Kaizen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaizen-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      rmSync(join(dir, '0008_create_waste_findings.sql'));
      await expect(migrate(store.storage, { dir })).rejects.toThrow(/migrated by a newer Kaizen/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies a retention change to every table with a TTL, and removes it again', async () => {
    await migrate(store.storage, { retentionDays: 30 });
    expect(await createQuery('genai_calls')).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(30\)/);
    const changed = await migrate(store.storage, { retentionDays: 7 });
    expect(changed.retentionChanged).toEqual({ from: 30, to: 7 });
    for (const t of ['otel_traces', 'otel_logs', 'genai_calls', 'workflow_runs', 'waste_findings']) {
      expect(await createQuery(t)).toMatch(/toIntervalDay\(7\)/);
    }
    await migrate(store.storage, { retentionDays: undefined });
    expect(await createQuery('genai_calls')).not.toMatch(/TTL/);
  });
});

describe('the cluster variant', () => {
  it("parses with ClickHouse's own parser, statement by statement", async () => {
    const rendered = renderMigrations(loadMigrations(), {
      database: 'otel',
      cluster: 'kaizen_cluster',
      retentionDays: 14,
    });
    const statements = rendered.flatMap((m) => m.statements.map((s) => ({ name: m.name, s })));
    expect(statements.length).toBeGreaterThan(40);
    for (const { name, s } of statements) {
      const [row] = await store.storage.query<{ f: string }>(sql`SELECT formatQuery(${p.string(s)}) AS f`);
      expect(row!.f.length, name).toBeGreaterThan(0);
      if (/^(CREATE|ALTER|TRUNCATE)/i.test(s)) expect(s, name).toMatch(/ON CLUSTER kaizen_cluster/);
      expect(s, name).not.toMatch(/ENGINE = (MergeTree|ReplacingMergeTree|AggregatingMergeTree)\(/);
    }
    const all = statements.map((x) => x.s).join('\n');
    for (const t of ['otel_traces', 'otel_logs', 'genai_calls', 'genai_log_messages', 'workflow_runs']) {
      expect(all).toContain(
        `CREATE TABLE IF NOT EXISTS otel.${t} ON CLUSTER kaizen_cluster AS otel.${t}_local ENGINE = Distributed(kaizen_cluster, otel, ${t}_local, cityHash64(TraceId))`,
      );
    }
    expect(all).toMatch(
      /ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/\{uuid\}\/all', '\{shard\}-\{replica\}', UpdatedAt, IsDeleted\)/,
    );
    expect(all).toMatch(/TO otel\.genai_calls_local[\s\S]*FROM otel\.otel_traces_local/);
  });

  it('the single-node variant runs: it is what this store was built from', () => {
    const rendered = renderMigrations(loadMigrations(), {
      database: 'otel',
      cluster: undefined,
      retentionDays: undefined,
    });
    const all = rendered.flatMap((m) => m.statements).join('\n');
    expect(all).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local/);
  });
});
