import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './dashboards.js';

export interface ContractMetric {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labels: ReadonlySet<string>;
}

/** Labels every scraped series has (target labels) or that PromQL adds (histogram buckets). */
export const TARGET_LABELS = ['job', 'instance'] as const;

/** docs/metrics.md, the metric contract: every table row `| \`name\` | type | labels | meaning |`. */
export function readMetricContract(): Map<string, ContractMetric> {
  const text = readFileSync(join(REPO_DIR, 'docs', 'metrics.md'), 'utf8');
  const out = new Map<string, ContractMetric>();
  for (const line of text.split('\n')) {
    const m = /^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*(counter|gauge|histogram)\s*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    const labels = new Set([...m[3]!.matchAll(/`([a-z_][a-z0-9_]*)`/g)].map((x) => x[1]!));
    out.set(m[1]!, { name: m[1]!, type: m[2] as ContractMetric['type'], labels });
  }
  return out;
}

/** The series names a contract metric exposes (histograms: _bucket, _sum, _count). */
export function seriesNames(contract: ReadonlyMap<string, ContractMetric>): Map<string, ContractMetric> {
  const out = new Map<string, ContractMetric>();
  for (const m of contract.values()) {
    if (m.type === 'histogram') {
      out.set(`${m.name}_bucket`, { ...m, labels: new Set([...m.labels, 'le']) });
      out.set(`${m.name}_sum`, m);
      out.set(`${m.name}_count`, m);
    } else out.set(m.name, m);
  }
  return out;
}

const FUNCTIONS = new Set([
  'sum',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'max',
  'min',
  'avg',
  'count',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'scalar',
  'vector',
  'abs',
  'clamp_min',
  'clamp_max',
  'topk',
  'bottomk',
  'time',
  'label_values',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
  'absent',
  'absent_over_time',
  'changes',
  'resets',
  'predict_linear',
  'round',
  'sort',
  'sort_desc',
]);

/** Metric names and label names a PromQL expression uses (a lexical reading, good enough for checks). */
export function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\[[^\]]*\]/g, '');
  const labels = new Set<string>();
  for (const m of bare.matchAll(/\{([^}]*)\}/g)) {
    for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) labels.add(l[1]!);
  }
  for (const m of bare.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const l of m[1]!.split(',')) if (l.trim()) labels.add(l.trim());
  }
  const noGroups = bare
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\{[^}]*\}/g, ' ');
  const metrics = new Set<string>();
  for (const m of noGroups.matchAll(/(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g)) {
    const name = m[1]!;
    if (FUNCTIONS.has(name) || /^\d/.test(name)) continue;
    metrics.add(name);
  }
  return { metrics: [...metrics], labels: [...labels] };
}
