import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadOnlyQueryError, ReadOnlySql } from '../src/storage/readonly-sql.js';
import { p, sql } from '../src/query/sql.js';
import { T } from '../src/schema/tables.js';
import { openTempStore, spanRow, type TempStore } from './support/index.js';

let store: TempStore;
let ro: ReadOnlySql;
const outfile = join(tmpdir(), `kaizen-outfile-${process.pid}.txt`);

beforeAll(async () => {
  store = await openTempStore();
  await store.storage.insert(
    T.otelTraces,
    Array.from({ length: 50 }, (_, i) => spanRow({ SpanName: `s${i}` })),
  );
  ro = await ReadOnlySql.open(store.storage, {
    maxExecutionSeconds: 2,
    maxResultRows: 20,
    maxResultBytes: 1_000_000,
    maxMemoryBytes: 500_000_000,
  });
});
afterAll(async () => {
  ro.close();
  await store.close();
  rmSync(outfile, { force: true });
});

const refusal = async (query: string): Promise<ReadOnlyQueryError> => {
  const e = await ro.run(query, 'json').catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ReadOnlyQueryError);
  return e as ReadOnlyQueryError;
};

describe(ReadOnlySql.name, () => {
  it('reads, in every format, with bound parameters', async () => {
    const json = JSON.parse(await ro.run('SELECT count() AS n FROM otel.otel_traces', 'json')) as {
      data: { n: string }[];
      meta: unknown[];
    };
    expect(json.data).toEqual([{ n: '50' }]);
    expect(await ro.run('SELECT {name:String} AS who, {n:UInt8} + 1 AS n', 'csv', { name: "o'brien", n: 41 })).toBe(
      '"who","n"\n"o\'brien",42\n',
    );
    expect(await ro.run('SELECT 1 AS a', 'tsv')).toBe('a\n1\n');
    expect(await ro.run('SELECT 1 AS a;', 'pretty')).toMatch(/┌─a─┐/);
  });

  it.each([
    "INSERT INTO otel.otel_traces (SpanName) VALUES ('x')",
    'DROP TABLE otel.genai_calls',
    'CREATE TABLE otel.x (a UInt8) ENGINE = Memory',
    'ALTER TABLE otel.otel_traces DELETE WHERE 1',
    'TRUNCATE TABLE otel.otel_traces',
    'SYSTEM DROP DNS CACHE',
    "SELECT * FROM file('/etc/hostname', 'LineAsString')",
    "SELECT * FROM url('http://127.0.0.1:9/x', 'LineAsString')",
    "SELECT * FROM remote('127.0.0.1:9000', system.one)",
    'SET readonly = 0',
    'SELECT 1 SETTINGS max_result_rows = 0',
  ])('lets ClickHouse refuse %s', async (query) => {
    const e = await refusal(query);
    expect(e.kind).toBe('readonly');
    expect(e.message).toMatch(/readonly mode/);
  });

  it('never writes a file with INTO OUTFILE', async () => {
    const e = await refusal(`SELECT 1 INTO OUTFILE '${outfile}'`);
    expect(e.message).toMatch(/INTO OUTFILE is not allowed/);
    expect(existsSync(outfile)).toBe(false);
  });

  it('stops queries at the row and time limits', async () => {
    expect((await refusal('SELECT * FROM otel.otel_traces')).kind).toBe('limit');
    const slow = await refusal('SELECT count() FROM numbers(100000000000)');
    expect(slow).toMatchObject({ kind: 'limit', type: 'TIMEOUT_EXCEEDED' });
  });

  it("explains bad queries with ClickHouse's message", async () => {
    expect((await refusal('SELEC 1')).message).toMatch(/does not parse as one ClickHouse statement/);
    expect((await refusal('SELECT 1; SELECT 2')).message).toMatch(/does not parse as one ClickHouse statement/);
    expect(await refusal('SELECT nope FROM otel.otel_traces')).toMatchObject({ type: 'UNKNOWN_IDENTIFIER' });
    expect((await refusal('SELECT 1 FORMAT CSV')).message).toMatch(/format parameter/);
    expect((await refusal('   ')).message).toMatch(/empty/);
  });

  it('answers only its own query after others failed (no output of a failed query leaks into the next)', async () => {
    await refusal('SELECT * FROM numbers(100)');
    await refusal('SELECT count() FROM numbers(100000000000)');
    const [a, b] = await Promise.all([ro.run('SELECT 1 AS x', 'json'), ro.run('SELECT 2 AS y', 'jsoneachrow')]);
    expect((JSON.parse(a) as { data: unknown[] }).data).toEqual([{ x: 1 }]);
    expect(b.trim()).toBe('{"y":2}');
  });

  it('uses Kaizen database as the current one', async () => {
    const r = await ro.run('SELECT currentDatabase() AS db, count() AS n FROM otel_traces', 'jsoneachrow');
    expect(JSON.parse(r)).toEqual({ db: store.storage.database, n: '50' });
  });

  it('leaves the rest of the process writable', async () => {
    await store.storage.insert(T.otelTraces, [spanRow({ SpanName: 'after' })]);
    const rows = await store.storage.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${store.storage.table(T.otelTraces)} WHERE SpanName = ${p.string('after')}`,
    );
    expect(rows).toEqual([{ n: '1' }]);
  });
});
