import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '@kaizen/clickhouse';
import { runCli } from './support/run-cli.js';

const MIGRATIONS = loadMigrations().length;

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kaizen-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('kaizen migrate', () => {
  it('creates the store and says what it applied, then finds it up to date', async () => {
    const dataDir = tempDir();
    const first = await runCli(['migrate'], { KAIZEN_DATA_DIR: dataDir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`embedded ClickHouse in ${dataDir}, database otel`);
    for (const name of [
      '0001_create_otel_traces.sql',
      '0005_create_genai_calls.sql',
      '0008_create_waste_findings.sql',
    ]) {
      expect(first.stdout).toContain(`applied ${name}`);
    }
    expect(first.stdout).toMatch(/prices loaded: genai-prices@[\d.]+\+\w+ \(\d{4,} model rules from \d+ providers\)/);
    expect(first.stdout).toContain(`Store ready: applied ${MIGRATIONS} migration(s)`);

    const second = await runCli(['migrate'], { KAIZEN_DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('prices already loaded');
    expect(second.stdout).toContain(`Store up to date (${MIGRATIONS} migrations).`);
  });

  it('stops with exit code 2 and names a bad variable', async () => {
    const r = await runCli(['migrate'], { KAIZEN_DATA_DIR: tempDir(), KAIZEN_RETENTION_DAYS: 'forever' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KAIZEN_RETENTION_DAYS must be a whole number of days between 1 and 36500');
  });

  it('says which directory is held by which process', async () => {
    const dataDir = tempDir();
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { createClient } = require('@clickhouse/client'); const { createChdbConnection } = require('chdb/connection');
         (async () => { const c = createClient({ connection: createChdbConnection({ path: ${JSON.stringify(join(dataDir, 'clickhouse'))} }) });
           await (await c.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json(); console.log('ready'); setTimeout(() => {}, 60000); })();`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      const r = await runCli(['migrate'], { KAIZEN_DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `The data directory ${join(dataDir, 'clickhouse')} is locked by another process (PID ${holder.pid})`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('prints the cluster DDL without touching anything', async () => {
    const r = await runCli(['migrate', '--print-sql'], {
      KAIZEN_CLICKHOUSE_CLUSTER: 'prod',
      KAIZEN_DATA_DIR: tempDir(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CREATE TABLE IF NOT EXISTS otel.otel_traces_local ON CLUSTER prod');
    expect(r.stdout).toContain('ENGINE = Distributed(prod, otel, genai_calls_local, cityHash64(TraceId))');
  });

  it('rejects an unknown command with usage and exit code 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
