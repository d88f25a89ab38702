import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinary } from './support/binaries.js';
import { GRAFANA_DIR, readManifest, REPO_DIR } from './support/dashboards.js';
import { promqlNames, readMetricContract, seriesNames, TARGET_LABELS } from './support/metrics-contract.js';

/** The alert rules, checked and unit-tested by Debian's promtool (Prometheus 2.42). */

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface UnitTests {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

const ALERTING = join(GRAFANA_DIR, 'alerting');
const ruleFiles = readdirSync(ALERTING)
  .filter((f) => f.endsWith('.rules.yml'))
  .map((f) => join(ALERTING, f));
const testFiles = readdirSync(join(ALERTING, 'tests'))
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => join(ALERTING, 'tests', f));
const alerts = ruleFiles.flatMap((f) => (parse(readFileSync(f, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules));

function promtool(...args: string[]): { code: number; out: string } {
  const r = spawnSync(requireBinary('promtool'), args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const scratch = mkdtempSync(join(tmpdir(), 'kaizen-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the rule files', () => {
  it('are what the server exports (grafana/manifest.json lists every one)', () => {
    expect(
      readManifest()
        .rules.map((r) => join(GRAFANA_DIR, r))
        .sort(),
    ).toEqual([...ruleFiles].sort());
  });

  it('pass `promtool check rules`', () => {
    const r = promtool('check', 'rules', ...ruleFiles);
    expect(r.out).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(r.code).toBe(0);
  });

  it('pass their unit tests (`promtool test rules`)', () => {
    const r = promtool('test', 'rules', ...testFiles);
    expect(r.out, r.out).toMatch(/SUCCESS/);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
  });

  it('unit tests fail when a rule changes (they pin thresholds, durations and annotations)', () => {
    const dir = join(scratch, 'mutated');
    mkdirSync(join(dir, 'tests'), { recursive: true });
    const text = readFileSync(join(ALERTING, 'kaizen.rules.yml'), 'utf8');
    const mutated = text.replace(/(expr: kaizen_collector_clickhouse_up == 0\n\s+for: )2m/, '$110m');
    expect(mutated).not.toBe(text);
    writeFileSync(join(dir, 'kaizen.rules.yml'), mutated);
    copyFileSync(join(ALERTING, 'tests', 'kaizen.test.yml'), join(dir, 'tests', 'kaizen.test.yml'));
    const r = promtool('test', 'rules', join(dir, 'tests', 'kaizen.test.yml'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/alertname: KaizenCollectorClickHouseDown/);
  });
});

describe.each(alerts.map((a) => [a.alert!, a] as const))('%s', (name, rule) => {
  it('has a severity, a summary, a description and a runbook section with real steps', () => {
    expect(rule.alert).toMatch(/^Kaizen[A-Za-z]+$/);
    expect(['critical', 'warning', 'info']).toContain(rule.labels?.['severity']);
    expect(rule.annotations?.['summary']?.length).toBeGreaterThan(20);
    expect(rule.annotations?.['description']?.length).toBeGreaterThan(60);
    const url = rule.annotations?.['runbook_url'] ?? '';
    expect(url).toMatch(new RegExp(`docs/runbooks\\.md#${name.toLowerCase()}$`));
    const runbooks = readFileSync(join(REPO_DIR, 'docs', 'runbooks.md'), 'utf8');
    const section = runbooks.split(/^## /m).find((s) => s.startsWith(`${name}\n`));
    expect(section, `docs/runbooks.md has no "## ${name}"`).toBeDefined();
    expect(section!.split('\n').filter((l) => /^(\d+\.|-) /.test(l)).length).toBeGreaterThanOrEqual(2);
  });

  it('uses only metrics and labels of the contract (docs/metrics.md)', () => {
    const series = seriesNames(readMetricContract());
    const { metrics, labels } = promqlNames(rule.expr);
    const allowed = new Set<string>(TARGET_LABELS);
    for (const m of metrics) {
      if (m === 'up') continue;
      expect(series.has(m), `${m} is not in docs/metrics.md`).toBe(true);
      for (const l of series.get(m)!.labels) allowed.add(l);
    }
    for (const l of labels) expect(allowed.has(l), `label ${l}`).toBe(true);
  });

  it('has a firing and a non-firing case in the unit tests', () => {
    const cases = testFiles.flatMap((f) =>
      (parse(readFileSync(f, 'utf8')) as UnitTests).tests.flatMap((t) =>
        (t.alert_rule_test ?? []).filter((a) => a.alertname === name),
      ),
    );
    expect(
      cases.some((c) => (c.exp_alerts ?? []).length > 0),
      'a firing case',
    ).toBe(true);
    expect(
      cases.some((c) => (c.exp_alerts ?? []).length === 0),
      'a non-firing case',
    ).toBe(true);
  });
});
