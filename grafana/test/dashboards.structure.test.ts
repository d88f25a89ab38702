import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../build/index.ts';
import {
  allPanels,
  clickhouseQueries,
  GRAFANA_DIR,
  panelSpec,
  readDashboards,
  readManifest,
  type DashboardJson,
} from './support/dashboards.js';
import { BACKEND_MACROS, FRONTEND_MACROS } from './support/grafana-sql.js';
import { promqlNames, readMetricContract, seriesNames, TARGET_LABELS } from './support/metrics-contract.js';
import { requireBinary } from './support/binaries.js';

/** Grafana cannot run here, so every dashboard is checked for what Grafana needs to load and run it. */

const DATASOURCES = {
  'kaizen-clickhouse': 'grafana-clickhouse-datasource',
  'kaizen-prometheus': 'prometheus',
} as const;
/** Variables Grafana itself provides, in queries and in links / display names. */
const GRAFANA_GLOBALS = [/^__rate_interval$/, /^__interval$/, /^__range$/];
const LINK_GLOBALS = [/^__value\.raw$/, /^__url_time_range$/, /^__field\.labels\.\w+$/, /^__all_variables$/];

const dashboards = readDashboards();
const manifest = readManifest();

function variableRefs(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\$\{([\w.]+)(?::[^}]+)?\}|\$(\w+)|\[\[(\w+)(?::\w+)?\]\]/g)) {
    names.push(m[1] ?? m[2] ?? m[3]!);
  }
  return names;
}

describe('the files', () => {
  it('are exactly what grafana/build renders (run `npm run grafana:build` after editing a dashboard)', async () => {
    const files = await renderAll(GRAFANA_DIR);
    for (const [path, text] of files) expect(readFileSync(join(GRAFANA_DIR, path), 'utf8'), path).toBe(text);
    const onDisk = readdirSync(join(GRAFANA_DIR, 'dashboards')).map((f) => `dashboards/${f}`);
    expect(onDisk.sort()).toEqual([...files.keys()].filter((f) => f.startsWith('dashboards/')).sort());
  });

  it('manifest lists every dashboard once, with unique uids and titles, and the rule files', () => {
    expect(manifest.dashboards.map((d) => d.uid)).toEqual(dashboards.map((d) => d.json.uid));
    expect(new Set(manifest.dashboards.map((d) => d.uid)).size).toBe(manifest.dashboards.length);
    expect(new Set(manifest.dashboards.map((d) => d.title)).size).toBe(manifest.dashboards.length);
    for (const d of dashboards) expect(manifest.dashboards.find((m) => m.file === d.file)?.title).toBe(d.json.title);
    for (const r of manifest.rules) expect(readFileSync(join(GRAFANA_DIR, r), 'utf8')).toMatch(/^groups:/m);
    expect(manifest.datasources).toEqual({ clickhouse: 'kaizen-clickhouse', prometheus: 'kaizen-prometheus' });
  });
});

describe.each(dashboards.map((d) => [d.json.uid, d.json] as const))('%s', (uid, d: DashboardJson) => {
  const panels = allPanels(d).filter((p) => p.type !== 'row');
  const variables = d.templating.list.map((v) => v.name);

  it('has a stable uid, a title, a schemaVersion and no database id', () => {
    expect(uid).toMatch(/^kaizen-[a-z-]+$/);
    expect(uid.length).toBeGreaterThanOrEqual(8);
    expect(uid.length).toBeLessThanOrEqual(40);
    expect(d.title).toMatch(/^Kaizen · /);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(d['id']).toBeNull();
    expect(d['tags']).toContain('kaizen');
  });

  it('lays panels out on the 24-column grid without overlaps, with unique ids and titles', () => {
    const all = allPanels(d);
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(new Set(panels.map((p) => p.title)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of all) {
      const g = p.gridPos!;
      expect(g, p.title).toBeDefined();
      for (const k of ['x', 'y', 'w', 'h'] as const) expect(Number.isInteger(g[k]), `${p.title} ${k}`).toBe(true);
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('gives every target a refId and a provisioned data source with a fixed uid', () => {
    for (const p of panels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size, p.title).toBe(p.targets!.length);
      expect(Object.keys(DATASOURCES)).toContain(p.datasource?.uid);
      for (const t of p.targets!) {
        expect(t.refId, p.title).toMatch(/^[A-Z]$/);
        expect(t.datasource, p.title).toEqual(p.datasource);
        expect(t.datasource!.type).toBe(DATASOURCES[t.datasource!.uid as keyof typeof DATASOURCES]);
        if (t.datasource!.type === 'prometheus') expect(t.expr, p.title).toBeTruthy();
        else expect(t.rawSql, p.title).toBeTruthy();
      }
    }
    for (const v of d.templating.list) {
      if (v.datasource) expect(DATASOURCES[v.datasource.uid as keyof typeof DATASOURCES]).toBe(v.datasource.type);
    }
  });

  it('uses only the ClickHouse plugin macros, no comments, and only variables it defines', () => {
    const macros = new Set<string>([...BACKEND_MACROS, ...FRONTEND_MACROS]);
    for (const q of clickhouseQueries(d)) {
      for (const m of q.rawSql.matchAll(/\$__(\w+)/g)) expect(macros, `${q.name}: $__${m[1]}`).toContain(m[1]);
      expect(q.rawSql, q.name).not.toMatch(/--|\/\*/);
      for (const name of variableRefs(q.rawSql.replace(/\$__\w+/g, ''))) expect(variables, q.name).toContain(name);
      // The plugin's $__conditionalAll needs a bare variable as its second argument.
      for (const m of q.rawSql.matchAll(/\$__conditionalAll\((.*?), (\$\{?\w+\}?)\)/g)) expect(m[2]).toMatch(/^\$\w+$/);
    }
  });

  it('resolves every variable in PromQL, data links and display names', () => {
    for (const p of panels) {
      const texts = [...(p.targets ?? []).map((t) => t.expr ?? ''), JSON.stringify(p.fieldConfig ?? {}), p.title];
      for (const text of texts) {
        for (const name of variableRefs(text)) {
          const known = variables.includes(name) || [...GRAFANA_GLOBALS, ...LINK_GLOBALS].some((re) => re.test(name));
          expect(known, `${p.title}: $${name}`).toBe(true);
        }
      }
      // A long-format series is named after one of its query's columns.
      const label = /__field\.labels\.(\w+)/.exec(JSON.stringify(p.fieldConfig));
      if (label) {
        const spec = panelSpec(uid, p.title);
        expect(spec.source === 'clickhouse' && spec.columns.includes(label[1]!), p.title).toBe(true);
      }
    }
  });

  it('links only to dashboards and variables that exist', () => {
    const links = panels.flatMap((p) =>
      [...JSON.stringify(p.fieldConfig ?? {}).matchAll(/"url":"([^"]*)"/g)].map((m) => m[1]!),
    );
    for (const url of links) {
      const m = /^\/d\/([\w-]+)\?(.*)$/.exec(url);
      expect(m, url).not.toBeNull();
      const target = dashboards.find((x) => x.json.uid === m![1]);
      expect(target, url).toBeDefined();
      for (const v of m![2]!.matchAll(/var-(\w+)=/g))
        expect(target!.json.templating.list.map((x) => x.name)).toContain(v[1]);
    }
  });

  it('uses only metrics and labels of the contract (docs/metrics.md) in PromQL', () => {
    const series = seriesNames(readMetricContract());
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        if (!t.expr) continue;
        const { metrics, labels } = promqlNames(t.expr);
        expect(metrics.length, t.expr).toBeGreaterThan(0);
        const allowed = new Set<string>(TARGET_LABELS);
        for (const name of metrics) {
          expect(series.has(name), `${p.title}: ${name}`).toBe(true);
          for (const l of series.get(name)!.labels) allowed.add(l);
        }
        for (const l of labels) expect(allowed.has(l), `${p.title}: label ${l} in ${t.expr}`).toBe(true);
      }
    }
  });
});

describe('PromQL of the dashboards', () => {
  it('parses with Prometheus 2.42 (every expression as a recording rule for promtool)', () => {
    const promtool = requireBinary('promtool');
    const rules = dashboards.flatMap((d) =>
      allPanels(d.json).flatMap((p) =>
        (p.targets ?? [])
          .filter((t) => t.expr)
          .map((t) => ({
            record: 'kaizen:dashboard:check',
            expr: t.expr!.replace(/\$__rate_interval/g, '5m').replace(/\$(\w+)/g, '.*'),
          })),
      ),
    );
    expect(rules.length).toBeGreaterThan(20);
    const dir = mkdtempSync(join(tmpdir(), 'kaizen-promql-'));
    try {
      const file = join(dir, 'dashboards.rules.yml');
      writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }));
      const out = execFileSync(promtool, ['check', 'rules', '--lint=none', file], { encoding: 'utf8' });
      expect(out).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
