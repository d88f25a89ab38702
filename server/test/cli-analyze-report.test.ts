import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli } from './support/cli-process.js';
import { feedStore } from './support/feed.js';
import { runCli } from './support/run-cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'kaizen-cli-analyze-'));
const env = { KAIZEN_DATA_DIR: dataDir };
let dup: string;
let single: string;

beforeAll(async () => {
  const prompt = 'Translate to French: "The invoice is attached."';
  const ids = await feedStore(dataDir, [
    {
      workflow: 'translate',
      startMs: Date.now() - 30_000,
      calls: [
        { model: 'gpt-4o', prompt, answer: 'La facture est jointe.', temperature: 0, input: 4000, output: 300 },
        { model: 'gpt-4o', prompt, answer: 'La facture est jointe.', temperature: 0, input: 4000, output: 300 },
      ],
    },
    { workflow: 'translate', startMs: Date.now() - 20_000, calls: [{ model: 'gpt-4o-mini', prompt: 'Hello' }] },
  ]);
  [dup, single] = ids as [string, string];
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('kaizen analyze', () => {
  it('analyses a run on the store and prints the waste, the evidence, the fix and the saving', async () => {
    const r = await runCli(['analyze', dup], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Run ${dup}`);
    expect(r.stdout).toMatch(/redundant_call\/exact\s+\$0\.\d+\/run/);
    expect(r.stdout).toMatch(/fix: .+/);
    expect(r.stdout).toContain('Judge: skipped_no_key');
  });

  it('prints JSON with --json', async () => {
    const r = await runCli(['analyze', single, '--json'], env);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout) as { traceId: string; calls: number; findings: unknown[] };
    expect(a).toMatchObject({ traceId: single, calls: 1 });
  });

  it('names what is wrong: a malformed trace id (exit 2), a run it does not hold (exit 1)', async () => {
    const bad = await runCli(['analyze', 'not-a-trace'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('<traceId> must be 32 hex characters');
    const missing = await runCli(['analyze', 'cd'.repeat(16)], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });
});

describe('kaizen report', () => {
  it('prints spend, waste per kind and the biggest findings with their fix', async () => {
    const r = await runCli(['report', '--since', '1h'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Kaizen waste report — since 1h');
    expect(r.stdout).toMatch(/Spend\s+\$\d/);
    expect(r.stdout).toMatch(/Waste\s+\$\d[\d.]*\/day/);
    expect(r.stdout).toMatch(/redundant_call\s+1 finding/);
    expect(r.stdout).toContain('fix: ');
    const json = JSON.parse((await runCli(['report', '--json'], env)).stdout) as {
      summary: { calls: number; waste: { savingUsdPerDay: number } };
      findings: { kind: string }[];
    };
    expect(json.summary.calls).toBe(3);
    expect(json.summary.waste.savingUsdPerDay).toBeGreaterThan(0);
    expect(json.findings.map((f) => f.kind)).toContain('redundant_call');
  });

  it('refuses a bad window or --top with exit code 2', async () => {
    const since = await runCli(['report', '--since', 'last tuesday'], env);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('since');
    const top = await runCli(['report', '--top', '0'], env);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('--top must be');
  });

  it('goes through the running service when it holds the store', async () => {
    const port = await freePort();
    const service = startCli(['server'], { ...env, KAIZEN_API_PORT: String(port), KAIZEN_AUTO_ANALYZE: 'false' });
    try {
      await service.waitFor(/Press Ctrl\+C to stop/);
      const r = await runCli(['report', '--since', '1h'], { ...env, KAIZEN_API_PORT: String(port) });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/redundant_call\s+1 finding/);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
});
