import { collector } from './dashboards/collector.dashboard.ts';
import { models } from './dashboards/models.dashboard.ts';
import { overview } from './dashboards/overview.dashboard.ts';
import { regressions } from './dashboards/regressions.dashboard.ts';
import { waste } from './dashboards/waste.dashboard.ts';
import { workflows } from './dashboards/workflows.dashboard.ts';
import { format, resolveConfig } from 'prettier';
import { renderDashboard, type DashboardSpec, type JsonObject } from './kit.ts';

export * from './kit.ts';

/** Every dashboard, in the order the manifest lists them. */
export const DASHBOARDS: readonly DashboardSpec[] = [overview, workflows, waste, models, regressions, collector];

/** Alert rule files under grafana/alerting/, served by `kaizen export rules` and the API. */
export const RULE_FILES = ['kaizen.rules.yml'] as const;

export interface Manifest {
  readonly dashboards: readonly { uid: string; title: string; file: string }[];
  readonly rules: readonly string[];
  readonly datasources: { readonly clickhouse: string; readonly prometheus: string };
}

/** grafana/manifest.json: what the server exports, by path relative to grafana/. */
export function manifest(): Manifest {
  return {
    dashboards: DASHBOARDS.map((d) => ({ uid: d.uid, title: d.title, file: `dashboards/${d.file}.json` })),
    rules: RULE_FILES.map((f) => `alerting/${f}`),
    datasources: { clickhouse: 'kaizen-clickhouse', prometheus: 'kaizen-prometheus' },
  };
}

/** The text of a generated file, formatted as the repository's Prettier formats it. */
export async function toFileText(value: JsonObject | Manifest, path: string): Promise<string> {
  const options = (await resolveConfig(path)) ?? {};
  return format(JSON.stringify(value), { ...options, filepath: path });
}

/** Every generated file by its path under grafana/; `grafanaDir` is the folder (for Prettier's config). */
export async function renderAll(grafanaDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const d of DASHBOARDS) {
    const path = `dashboards/${d.file}.json`;
    files.set(path, await toFileText(renderDashboard(d), `${grafanaDir}/${path}`));
  }
  files.set('manifest.json', await toFileText(manifest(), `${grafanaDir}/manifest.json`));
  return files;
}
