import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, type ClickHousePanel, type DashboardSpec, type PanelSpec } from '../../build/index.ts';

export const GRAFANA_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_DIR = join(GRAFANA_DIR, '..');

/** Loosely typed dashboard JSON, as Grafana reads it. */
export interface DashboardJson {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: PanelJson[];
  templating: { list: VariableJson[] };
  annotations: { list: AnnotationJson[] };
  [key: string]: unknown;
}

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: TargetJson[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: { properties: { id: string; value: unknown }[] }[] };
  panels?: PanelJson[];
  [key: string]: unknown;
}

export interface TargetJson {
  refId: string;
  datasource?: { type: string; uid: string };
  rawSql?: string;
  expr?: string;
  format?: number | string;
  [key: string]: unknown;
}

export interface VariableJson {
  name: string;
  type: string;
  datasource?: { type: string; uid: string };
  query?: unknown;
  allValue?: string | null;
  [key: string]: unknown;
}

export interface AnnotationJson {
  name: string;
  datasource: { type: string; uid: string };
  target?: { rawSql?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Manifest {
  dashboards: { uid: string; title: string; file: string }[];
  rules: string[];
  datasources: { clickhouse: string; prometheus: string };
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(GRAFANA_DIR, 'manifest.json'), 'utf8')) as Manifest;
}

export function readDashboards(): { file: string; json: DashboardJson }[] {
  return readManifest().dashboards.map((d) => ({
    file: d.file,
    json: JSON.parse(readFileSync(join(GRAFANA_DIR, d.file), 'utf8')) as DashboardJson,
  }));
}

/** Panels including those nested in collapsed rows. */
export function allPanels(d: DashboardJson): PanelJson[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function specOf(uid: string): DashboardSpec {
  const spec = DASHBOARDS.find((d) => d.uid === uid);
  if (!spec) throw new Error(`No dashboard spec with uid ${uid}`);
  return spec;
}

export function panelSpec(uid: string, title: string): PanelSpec {
  const p = specOf(uid).panels.find((x): x is PanelSpec => !('row' in x) && x.title === title);
  if (!p) throw new Error(`No panel "${title}" in the spec of ${uid}`);
  return p;
}

/** A ClickHouse query of a dashboard: a panel target, a variable or an annotation. */
export interface ClickHouseQuery {
  readonly dashboard: string;
  readonly name: string;
  readonly rawSql: string;
  readonly kind: 'panel' | 'variable' | 'annotation';
  /** For panels: the panel spec (its expected columns). */
  readonly panel?: ClickHousePanel;
  readonly panelType?: string;
  readonly expectedColumns?: readonly string[];
}

const isClickHouse = (ds: { type: string } | undefined) => ds?.type === 'grafana-clickhouse-datasource';

export function clickhouseQueries(d: DashboardJson): ClickHouseQuery[] {
  const out: ClickHouseQuery[] = [];
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      if (!isClickHouse(t.datasource)) continue;
      const spec = panelSpec(d.uid, p.title);
      out.push({
        dashboard: d.uid,
        name: p.title,
        rawSql: t.rawSql ?? '',
        kind: 'panel',
        panelType: p.type,
        ...(spec.source === 'clickhouse' ? { panel: spec, expectedColumns: spec.columns } : {}),
      });
    }
  }
  for (const v of d.templating.list) {
    if (!isClickHouse(v.datasource)) continue;
    const q = v.query as { rawSql?: string } | undefined;
    out.push({ dashboard: d.uid, name: `$${v.name}`, rawSql: q?.rawSql ?? '', kind: 'variable' });
  }
  for (const a of d.annotations.list) {
    if (!isClickHouse(a.datasource)) continue;
    const spec = specOf(d.uid).annotations?.find((x) => x.name === a.name);
    out.push({
      dashboard: d.uid,
      name: `annotation ${a.name}`,
      rawSql: a.target?.rawSql ?? '',
      kind: 'annotation',
      ...(spec ? { expectedColumns: spec.columns } : {}),
    });
  }
  return out;
}
