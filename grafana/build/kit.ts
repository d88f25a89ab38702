/**
 * A small kit for writing Kaizen's Grafana dashboards as code: data source references with fixed
 * uids, ClickHouse and Prometheus panels, template variables and a flowing 24-column layout.
 * `write-dashboards.ts` renders them to `grafana/dashboards/<file>.json`, the files Grafana
 * provisions and the server exports.
 */

export const CLICKHOUSE = { type: 'grafana-clickhouse-datasource', uid: 'kaizen-clickhouse' } as const;
export const PROMETHEUS = { type: 'prometheus', uid: 'kaizen-prometheus' } as const;
export type DataSourceRef = typeof CLICKHOUSE | typeof PROMETHEUS;

export const SCHEMA_VERSION = 39;
export const DASHBOARD_TAG = 'kaizen';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type PanelKind = 'stat' | 'timeseries' | 'table' | 'barchart' | 'piechart' | 'traces';

export interface FieldSpec {
  readonly displayName?: string;
  readonly unit?: string;
  readonly decimals?: number;
  readonly links?: readonly { title: string; url: string }[];
  readonly width?: number;
}

interface PanelBase {
  readonly title: string;
  readonly description: string;
  readonly kind: PanelKind;
  readonly w: number;
  readonly h: number;
  readonly unit?: string;
  readonly decimals?: number;
  /** Value → text mappings (stat panels). */
  readonly mappings?: readonly { value: string; text: string; color: string }[];
  /** Per-column display settings, by column name. */
  readonly fields?: Readonly<Record<string, FieldSpec>>;
  readonly options?: JsonObject;
  /** Overrides `fieldConfig.defaults.displayName` (e.g. `${__field.labels.Model}`). */
  readonly displayName?: string;
}

/** A panel over ClickHouse. `columns` are what its query must return, in order (tests check them). */
export interface ClickHousePanel extends PanelBase {
  readonly source: 'clickhouse';
  readonly sql: string;
  readonly columns: readonly string[];
}

export interface PromTarget {
  readonly expr: string;
  readonly legendFormat?: string;
  readonly instant?: boolean;
}

export interface PrometheusPanel extends PanelBase {
  readonly source: 'prometheus';
  readonly targets: readonly PromTarget[];
  readonly format?: 'time_series' | 'table';
}

export type PanelSpec = ClickHousePanel | PrometheusPanel;

export interface RowSpec {
  readonly row: string;
}

export type VariableSpec =
  | {
      readonly kind: 'clickhouse';
      readonly name: string;
      readonly label: string;
      readonly sql: string;
      readonly description: string;
    }
  | {
      readonly kind: 'prometheus';
      readonly name: string;
      readonly label: string;
      readonly query: string;
      readonly description: string;
    }
  | {
      readonly kind: 'custom';
      readonly name: string;
      readonly label: string;
      readonly values: readonly string[];
      readonly description: string;
    }
  | { readonly kind: 'textbox'; readonly name: string; readonly label: string; readonly description: string };

export interface AnnotationSpec {
  readonly name: string;
  readonly sql: string;
  readonly columns: readonly string[];
  readonly iconColor: string;
}

export interface DashboardSpec {
  /** The file name under grafana/dashboards/, without `.json`. */
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly variables: readonly VariableSpec[];
  readonly annotations?: readonly AnnotationSpec[];
  readonly panels: readonly (PanelSpec | RowSpec)[];
}

const FORMAT: Record<PanelKind, number> = { timeseries: 0, table: 1, stat: 1, barchart: 1, piechart: 1, traces: 3 };
const QUERY_TYPE: Record<PanelKind, string> = {
  timeseries: 'timeseries',
  table: 'table',
  stat: 'table',
  barchart: 'table',
  piechart: 'table',
  traces: 'traces',
};

function fieldOverrides(fields: Readonly<Record<string, FieldSpec>> | undefined): Json[] {
  return Object.entries(fields ?? {}).map(([name, f]) => {
    const properties: Json[] = [];
    if (f.displayName !== undefined) properties.push({ id: 'displayName', value: f.displayName });
    if (f.unit !== undefined) properties.push({ id: 'unit', value: f.unit });
    if (f.decimals !== undefined) properties.push({ id: 'decimals', value: f.decimals });
    if (f.width !== undefined) properties.push({ id: 'custom.width', value: f.width });
    if (f.links !== undefined) properties.push({ id: 'links', value: f.links.map((l) => ({ ...l })) });
    return { matcher: { id: 'byName', options: name }, properties };
  });
}

function panelOptions(spec: PanelSpec): JsonObject {
  switch (spec.kind) {
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'none',
        textMode: 'auto',
        justifyMode: 'auto',
        orientation: 'auto',
        ...spec.options,
      };
    case 'timeseries':
      return {
        legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['sum', 'mean', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
        ...spec.options,
      };
    case 'table':
      return {
        showHeader: true,
        cellHeight: 'sm',
        footer: { show: false, reducer: ['sum'], fields: '' },
        ...spec.options,
      };
    case 'barchart':
      return {
        orientation: 'horizontal',
        showValue: 'auto',
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'single', sort: 'none' },
        ...spec.options,
      };
    case 'piechart':
      return {
        pieType: 'donut',
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: true },
        legend: { displayMode: 'table', placement: 'right', showLegend: true, values: ['value', 'percent'] },
        ...spec.options,
      };
    case 'traces':
      return { ...spec.options };
  }
}

function targets(spec: PanelSpec): Json[] {
  if (spec.source === 'clickhouse') {
    return [
      {
        refId: 'A',
        datasource: { ...CLICKHOUSE },
        editorType: 'sql',
        format: FORMAT[spec.kind],
        queryType: QUERY_TYPE[spec.kind],
        rawSql: spec.sql,
      },
    ];
  }
  return spec.targets.map((t, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: { ...PROMETHEUS },
    editorMode: 'code',
    expr: t.expr,
    legendFormat: t.legendFormat ?? '__auto',
    range: t.instant !== true,
    instant: t.instant === true,
    format: spec.format ?? 'time_series',
  }));
}

function renderPanel(spec: PanelSpec, id: number, gridPos: JsonObject): JsonObject {
  const defaults: JsonObject = {};
  if (spec.unit !== undefined) defaults['unit'] = spec.unit;
  if (spec.decimals !== undefined) defaults['decimals'] = spec.decimals;
  if (spec.displayName !== undefined) defaults['displayName'] = spec.displayName;
  if (spec.mappings !== undefined) {
    defaults['mappings'] = [
      {
        type: 'value',
        options: Object.fromEntries(
          spec.mappings.map((m, index) => [m.value, { text: m.text, color: m.color, index }]),
        ) as JsonObject,
      },
    ];
  }
  const datasource = spec.source === 'clickhouse' ? CLICKHOUSE : PROMETHEUS;
  return {
    id,
    type: spec.kind,
    title: spec.title,
    description: spec.description,
    gridPos,
    datasource: { ...datasource },
    fieldConfig: { defaults, overrides: fieldOverrides(spec.fields) },
    options: panelOptions(spec),
    targets: targets(spec),
  };
}

/** Lays panels out left to right, wrapping at 24 columns; a row starts a new line. */
export function layout(items: readonly (PanelSpec | RowSpec)[]): JsonObject[] {
  const out: JsonObject[] = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  let id = 1;
  for (const item of items) {
    if ('row' in item) {
      if (x > 0) y += lineHeight;
      out.push({
        id: id++,
        type: 'row',
        title: item.row,
        collapsed: false,
        gridPos: { x: 0, y, w: 24, h: 1 },
        panels: [],
      });
      y += 1;
      x = 0;
      lineHeight = 0;
      continue;
    }
    if (x + item.w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    out.push(renderPanel(item, id++, { x, y, w: item.w, h: item.h }));
    x += item.w;
    lineHeight = Math.max(lineHeight, item.h);
  }
  return out;
}

const ALL_CURRENT = { selected: true, text: ['All'], value: ['$__all'] };

function renderVariable(v: VariableSpec): JsonObject {
  const base = { name: v.name, label: v.label, description: v.description, hide: 0, skipUrlSync: false };
  switch (v.kind) {
    case 'clickhouse':
      return {
        ...base,
        type: 'query',
        datasource: { ...CLICKHOUSE },
        query: { editorType: 'sql', rawSql: v.sql, format: 1 },
        definition: v.sql,
        refresh: 2,
        multi: true,
        includeAll: true,
        // Only ever inside $__conditionalAll in SQL (which drops the filter for All); in PromQL
        // label matchers (service=~"$service") it matches everything.
        allValue: '.*',
        current: ALL_CURRENT,
        options: [],
        sort: 1,
        regex: '',
      };
    case 'prometheus':
      return {
        ...base,
        type: 'query',
        datasource: { ...PROMETHEUS },
        query: v.query,
        definition: v.query,
        refresh: 2,
        multi: true,
        includeAll: true,
        allValue: '.*',
        current: ALL_CURRENT,
        options: [],
        sort: 1,
        regex: '',
      };
    case 'custom':
      return {
        ...base,
        type: 'custom',
        query: v.values.join(','),
        multi: true,
        includeAll: true,
        allValue: null,
        current: ALL_CURRENT,
        options: [
          { selected: true, text: 'All', value: '$__all' },
          ...v.values.map((value) => ({ selected: false, text: value, value })),
        ],
      };
    case 'textbox':
      return { ...base, type: 'textbox', query: '', current: { selected: false, text: '', value: '' }, options: [] };
  }
}

function renderAnnotation(a: AnnotationSpec): JsonObject {
  return {
    name: a.name,
    enable: true,
    hide: false,
    iconColor: a.iconColor,
    datasource: { ...CLICKHOUSE },
    target: { refId: 'Anno', editorType: 'sql', format: 1, rawSql: a.sql },
  };
}

const BUILT_IN_ANNOTATION: JsonObject = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

export function renderDashboard(spec: DashboardSpec): JsonObject {
  return {
    id: null,
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [DASHBOARD_TAG],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    liveNow: false,
    refresh: '1m',
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: { ...spec.time },
    timepicker: {},
    links: [
      {
        type: 'dashboards',
        title: 'Kaizen',
        tags: [DASHBOARD_TAG],
        asDropdown: false,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        tooltip: '',
        url: '',
        targetBlank: false,
      },
    ],
    annotations: { list: [BUILT_IN_ANNOTATION, ...(spec.annotations ?? []).map(renderAnnotation)] },
    templating: { list: spec.variables.map(renderVariable) },
    panels: layout(spec.panels),
  };
}
