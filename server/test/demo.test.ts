import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINDING_KINDS, loadConfig, openStorage, sql, type Storage } from '@kaizen/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usd } from '../src/analysis/findings/format.js';
import { freePort } from './support/cli-process.js';
import { runCli, type CliResult } from './support/run-cli.js';

/**
 * `kaizen demo` in its short mode, as CI runs it: the built CLI in a child process (the all-in-one,
 * the mock LLM server, the email crew in its own child process with the real SDKs and the real
 * instrumentation, the analysis), then the store it leaves behind, opened after it exited.
 */

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kaizen-demo-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The cells of the report row that starts with `label` (split on runs of two spaces or more). */
function row(stdout: string, label: string): string[] {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`${label} `));
  if (!line) throw new Error(`no "${label}" row in the report:\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

describe('kaizen demo --exit', () => {
  let dir: string;
  let result: CliResult;
  let storage: Storage;
  const RUNS = 40;

  beforeAll(async () => {
    dir = tempDir();
    const [api, http, grpc] = [await freePort(), await freePort(), await freePort()];
    result = await runCli(
      ['demo', '--runs', String(RUNS), '--exit'],
      {
        KAIZEN_DATA_DIR: dir,
        KAIZEN_API_PORT: String(api),
        KAIZEN_OTLP_HTTP_PORT: String(http),
        KAIZEN_OTLP_GRPC_PORT: String(grpc),
        KAIZEN_LOG_LEVEL: 'warn',
      },
      120_000,
    );
    if (result.code === 0) storage = await openStorage(loadConfig({ KAIZEN_DATA_DIR: dir }).storage);
  }, 150_000);
  afterAll(async () => {
    await storage?.close();
  });

  it('exits 0 after printing the report', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Kaizen demo — waste report');
    expect(result.stdout).toMatch(new RegExp(`✓ ${RUNS} workflow runs in [\\d.]+ s`));
    expect(result.stdout).toMatch(new RegExp(`✓ ${RUNS} runs analysed`));
  });

  it('sends real SDK calls of every provider through the instrumentation and the collector', async () => {
    const rows = await storage.query<{ Provider: string; calls: string; content: string }>(sql`
      SELECT Provider, count() AS calls, countIf(InputMessages != '') AS content
      FROM otel.genai_calls WHERE ServiceName = 'email-crew' GROUP BY Provider ORDER BY Provider`);
    expect(rows.map((r) => r.Provider)).toEqual(['anthropic', 'gcp.gemini', 'openai']);
    for (const r of rows) expect(Number(r.content)).toBe(Number(r.calls));
    const runs = await storage.query<{ n: string }>(
      sql`SELECT uniqExact(TraceId) AS n FROM otel.otel_traces WHERE ServiceName = 'email-crew'`,
    );
    expect(Number(runs[0]!.n)).toBe(RUNS);
  });

  it('finds waste of every kind with savings above zero', async () => {
    const rows = await storage.query<{ Kind: string; positive: string }>(sql`
      SELECT Kind, countIf(SavingUSDPerRun > 0) AS positive
      FROM otel.waste_findings FINAL WHERE IsDeleted = 0 AND Scope = 'run' GROUP BY Kind`);
    const positive = new Map(rows.map((r) => [r.Kind, Number(r.positive)]));
    for (const kind of FINDING_KINDS) expect(positive.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });

  it('prints totals equal to the sums of the stored findings', async () => {
    const rows = await storage.query<{ Kind: string; findings: string; runs: string; saving: number }>(sql`
      SELECT Kind, count() AS findings, uniqExact(TraceId) AS runs, sum(SavingUSDPerRun) AS saving
      FROM otel.waste_findings FINAL WHERE IsDeleted = 0 AND Scope = 'run' GROUP BY Kind`);
    let findings = 0;
    let saving = 0;
    for (const kind of FINDING_KINDS) {
      const r = rows.find((x) => x.Kind === kind)!;
      const [, printedFindings, printedRuns, allRuns, perRun] = row(result.stdout, kind);
      expect(printedFindings, kind).toBe(r.findings);
      expect(printedRuns, kind).toBe(r.runs);
      expect(allRuns, kind).toBe(usd(r.saving));
      expect(perRun, kind).toBe(usd(r.saving / RUNS));
      findings += Number(r.findings);
      saving += r.saving;
    }
    const total = row(result.stdout, 'total');
    expect(total[1]).toBe(String(findings));
    expect(total[3]).toBe(usd(saving));
    const cross = await storage.query<{ n: string; saved: number }>(sql`
      SELECT count() AS n, sum(WasteCostUSD) AS saved
      FROM otel.waste_findings FINAL WHERE IsDeleted = 0 AND Scope = 'cross_run'`);
    expect(Number(cross[0]!.n)).toBeGreaterThan(0);
    const across = row(result.stdout, 'across runs');
    expect(across[1]).toBe(cross[0]!.n);
    expect(across[2]).toBe(usd(cross[0]!.saved));
  });

  it("prints each workflow's cost per run before and after the fixes as the analyses stored them", async () => {
    const rows = await storage.query<{ workflow: string; runs: string; before: number; after: number }>(sql`
      SELECT WorkflowName AS workflow, count() AS runs, avg(CostUSD) AS before, avg(CostAfterUSD) AS after
      FROM otel.analyses FINAL WHERE Status = 'done' AND NOT startsWith(TraceId, 'cross_run:') GROUP BY workflow`);
    expect(rows.map((r) => r.workflow).sort()).toEqual(['support-chat', 'support-email']);
    for (const r of rows) {
      const [, runs, before, after] = row(result.stdout, r.workflow);
      expect(runs).toBe(r.runs);
      expect(before).toBe(usd(r.before));
      expect(after).toBe(usd(r.after));
      expect(r.after).toBeLessThan(r.before);
    }
  });
});

describe('kaizen demo options', () => {
  it.each([
    [['--runs', '0'], '--runs'],
    [['--runs', 'many'], '--runs'],
    [['--failure-rate', '0.9'], '--failure-rate'],
    [['--latency', '-3'], '--latency'],
    [['--concurrency', '1000'], '--concurrency'],
    [['--wat'], '--wat'],
  ])('refuses %j with exit code 2, naming the option', async (args, option) => {
    const r = await runCli(['demo', ...args, '--exit'], { KAIZEN_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(option);
    expect(r.stdout).not.toContain('waste report');
  });
});
