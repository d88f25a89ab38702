import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from './support/cli-process.js';
import { runCli } from './support/run-cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kaizen-cli-sql-'));
beforeAll(async () => {
  expect((await runCli(['migrate'], { KAIZEN_DATA_DIR: dataDir })).code).toBe(0);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('kaizen sql', () => {
  it('opens the store itself when nothing holds it', async () => {
    const r = await runCli(['sql', 'SELECT count() AS migrations FROM otel.kaizen_migrations', '--format', 'tsv'], {
      KAIZEN_DATA_DIR: dataDir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^migrations\n\d+\n$/);
  });

  it("binds parameters and refuses writes with ClickHouse's reason", async () => {
    const ok = await runCli(['sql', 'SELECT {who:String} AS who', '-p', 'who=kaizen', '-f', 'csv'], {
      KAIZEN_DATA_DIR: dataDir,
    });
    expect(ok.stdout).toBe('"who"\n"kaizen"\n');
    const write = await runCli(['sql', 'DROP TABLE otel.genai_calls'], { KAIZEN_DATA_DIR: dataDir });
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/readonly mode/);
    const bad = await runCli(['sql', 'SELECT 1', '--format', 'xml'], { KAIZEN_DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of');
  });

  it('goes through the running service when it holds the store', async () => {
    const port = await freePort();
    const env = { KAIZEN_DATA_DIR: dataDir, KAIZEN_API_PORT: String(port), KAIZEN_API_TOKEN: 'cli-token-xyz' };
    const service = startCli(['server'], env);
    try {
      await service.waitFor(/Press Ctrl\+C to stop/);
      const r = await runCli(['sql', 'SELECT 40 + 2 AS answer', '-f', 'tsv'], env);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('answer\n42\n');
      const refused = await runCli(['sql', 'TRUNCATE TABLE otel.genai_calls'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/read-only/);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
});
