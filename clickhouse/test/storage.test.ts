import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.schema.js';
import { ClickHouseQueryError, ClickHouseUnavailableError, StorageLockedError } from '../src/query/errors.js';
import { chTime, p, sql, UNSAFE_rawSql } from '../src/query/sql.js';
import { embeddedEnginePath, openStorage } from '../src/storage/storage.factory.js';
import { prepareStore } from '../src/storage/prepare-store.js';
import { T } from '../src/schema/tables.js';
import { spanRow } from './support/index.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kaizen-storage-'));
  dirs.push(d);
  return d;
}

/** A plain chDB process (not Kaizen) that opens `path` and prints "ready", or "failed: …". */
function holder(path: string, holdMs: number): Promise<{ child: ChildProcess; line: string }> {
  const code = `
    const { createClient } = require('@clickhouse/client');
    const { createChdbConnection } = require('chdb/connection');
    (async () => {
      try {
        const c = createClient({ connection: createChdbConnection({ path: ${JSON.stringify(path)} }) });
        await (await c.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json();
        console.log('ready');
        setTimeout(() => c.close().then(() => process.exit(0)), ${holdMs});
      } catch (e) { console.log('failed: ' + e.message); process.exit(0); }
    })();`;
  const child = spawn(process.execPath, ['-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (b: Buffer) => resolve({ child, line: b.toString().trim() }));
    child.once('error', reject);
  });
}

describe('the embedded store', () => {
  it('tells a second process which directory is locked, and by which PID', async () => {
    const dataDir = tempDir();
    const { child, line } = await holder(embeddedEnginePath(dataDir), 30_000);
    expect(line).toBe('ready');
    const config = loadConfig({ KAIZEN_DATA_DIR: dataDir });
    const err = await openStorage(config.storage).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageLockedError);
    expect((err as StorageLockedError).dataDir).toBe(embeddedEnginePath(dataDir));
    expect((err as StorageLockedError).holderPid).toBe(child.pid);
    expect((err as Error).message).toMatch(
      new RegExp(`data directory .*${dataDir}.* is locked by another process \\(PID ${child.pid}\\)`),
    );
    expect((err as Error).message).toMatch(/one process at a time/);
  });

  it('releases its directory on close, so another process can open it', async () => {
    const dataDir = tempDir();
    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: dataDir }).storage);
    await storage.command(sql`CREATE DATABASE IF NOT EXISTS otel ENGINE = Atomic`);
    await storage.close();
    await storage.close(); // idempotent
    const { line } = await holder(embeddedEnginePath(dataDir), 0);
    expect(line).toBe('ready');
  });
});

describe('the query entry point', () => {
  it('binds values as parameters, so quotes and SQL in them stay data', async () => {
    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: tempDir() }).storage);
    try {
      const hostile = "x'); DROP TABLE system.one; --";
      const rows = await storage.query<{ v: string; n: string; a: string[] }>(
        sql`SELECT ${p.string(hostile)} AS v, ${p.uint64('18446744073709551615')} AS n, ${p.strings(['a', "b'"])} AS a`,
      );
      expect(rows).toEqual([{ v: hostile, n: '18446744073709551615', a: ['a', "b'"] }]);
      const ts = await storage.query<{ t: string }>(sql`SELECT toString(${p.dateTime64(1763800000123456789n)}) AS t`);
      expect(ts).toEqual([{ t: '2025-11-22 08:26:40.123456789' }]);
    } finally {
      await storage.close();
    }
  });

  it('parses ClickHouse errors into typed errors that keep code, type, query id and cause', async () => {
    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: tempDir() }).storage);
    try {
      const err = await storage.query(sql`SELECT * FROM no_such_table`, { tag: 'probe' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClickHouseQueryError);
      expect(err).toMatchObject({ code: '60', type: 'UNKNOWN_TABLE', kind: 'unknown_object' });
      expect((err as ClickHouseQueryError).queryId).toMatch(/^kaizen-probe-/);
      expect((err as Error).cause).toBeInstanceOf(Error);
      const syntax = await storage.command(UNSAFE_rawSql('SELEC 1')).catch((e: unknown) => e);
      expect(syntax).toMatchObject({ type: 'SYNTAX_ERROR', kind: 'syntax' });
    } finally {
      await storage.close();
    }
  });

  it('scopes settings to one statement, so a deduplication token or a limit never leaks to the next', async () => {
    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: tempDir() }).storage);
    try {
      await prepareStore(storage);
      const row = (id: string) => spanRow({ SpanId: id, TraceId: 'ab'.repeat(16) });
      await storage.insert(T.otelTraces, [row('0000000000000001')], { dedupToken: 'batch-1' });
      await storage.insert(T.otelTraces, [row('0000000000000001')], { dedupToken: 'batch-1' }); // a replay: dropped
      await storage.insert(T.otelTraces, [row('0000000000000002')]); // no token: must be stored
      await storage.insert(T.otelTraces, [row('0000000000000003')], { dedupToken: 'batch-2' });
      const rows = await storage.query<{ SpanId: string }>(
        sql`SELECT SpanId FROM ${storage.table(T.otelTraces)} WHERE TraceId = ${p.string('ab'.repeat(16))} ORDER BY SpanId`,
      );
      expect(rows.map((r) => r.SpanId)).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
      await storage.query(sql`SELECT 1`, { settings: { max_execution_time: 1, readonly: '1' } });
      const after = await storage.query<{ name: string; value: string }>(
        sql`SELECT name, value FROM system.settings WHERE name IN ('max_execution_time', 'readonly', 'insert_deduplication_token') ORDER BY name`,
      );
      expect(after).toEqual([
        { name: 'insert_deduplication_token', value: '' },
        { name: 'max_execution_time', value: '0' },
        { name: 'readonly', value: '0' },
      ]);
      await storage.command(sql`CREATE TABLE IF NOT EXISTS otel.probe (a UInt8) ENGINE = Memory`);
    } finally {
      await storage.close();
    }
  });

  it('stores times of every era as they were meant (chTime pads the seconds)', async () => {
    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: tempDir() }).storage);
    try {
      await prepareStore(storage);
      const times = [0, 12_345, 99_999_999_999, Date.UTC(2001, 8, 9, 1, 46, 40), Date.UTC(2026, 10, 22, 12)];
      await storage.insert(
        T.analyses,
        times.map((ms, i) => ({ AnalysisId: `era-${i}`, TraceId: `era-${i}`, StartedAt: chTime(ms), Version: 1 })),
      );
      const rows = await storage.query<{ ms: string }>(
        sql`SELECT toString(toUnixTimestamp64Milli(StartedAt)) AS ms FROM ${storage.table(T.analyses)}
            WHERE startsWith(TraceId, 'era-') ORDER BY TraceId`,
      );
      expect(rows.map((r) => Number(r.ms))).toEqual(times);
    } finally {
      await storage.close();
    }
  });

  it('refuses to run on a closed store', async () => {
    const storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: tempDir() }).storage);
    await storage.close();
    await expect(storage.query(sql`SELECT 1`)).rejects.toThrow(/closed/);
  });
});

describe('server mode', () => {
  it('retries network errors only, then reports ClickHouse as unavailable', async () => {
    const config = loadConfig({ KAIZEN_CLICKHOUSE_URL: 'http://127.0.0.1:9' });
    const storage = await openStorage(config.storage, { requestTimeoutMs: 2000 });
    try {
      const started = Date.now();
      const err = await storage.query(sql`SELECT 1`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClickHouseUnavailableError);
      expect(err).toMatchObject({ kind: 'unavailable' });
      // Three attempts with backoff between them.
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    } finally {
      await storage.close();
    }
  });
});
