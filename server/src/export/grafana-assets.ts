import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export interface DashboardInfo {
  readonly uid: string;
  readonly title: string;
  readonly file: string;
}

/** The repository's grafana/ folder (from src/ or dist/, both sit two levels below server/). */
export const DEFAULT_GRAFANA_DIR = fileURLToPath(new URL('../../../grafana/', import.meta.url));

/**
 * The one source of dashboards and alert rules: the files in grafana/. The API and
 * `kaizen export` serve and copy exactly these.
 */
export class GrafanaAssets {
  constructor(readonly dir: string = DEFAULT_GRAFANA_DIR) {}

  private files(sub: string, match: RegExp): string[] {
    const d = join(this.dir, sub);
    if (!existsSync(d)) return [];
    return readdirSync(d)
      .filter((f) => match.test(f))
      .sort()
      .map((f) => join(d, f));
  }

  dashboardFiles(): string[] {
    return this.files('dashboards', /\.json$/);
  }

  ruleFiles(): string[] {
    return this.files('alerting', /\.rules\.ya?ml$/);
  }

  dashboards(): DashboardInfo[] {
    return this.dashboardFiles().map((file) => {
      const d = JSON.parse(readFileSync(file, 'utf8')) as { uid?: unknown; title?: unknown };
      return {
        uid: typeof d.uid === 'string' ? d.uid : '',
        title: typeof d.title === 'string' ? d.title : '',
        file: basename(file),
      };
    });
  }

  /** The dashboard JSON text with this uid, or undefined. */
  dashboard(uid: string): string | undefined {
    const found = this.dashboards().find((d) => d.uid === uid);
    return found ? readFileSync(join(this.dir, 'dashboards', found.file), 'utf8') : undefined;
  }

  /** The Prometheus rules: the file itself when there is one, else one document with every group. */
  rules(): string {
    const files = this.ruleFiles();
    if (files.length === 1) return readFileSync(files[0]!, 'utf8');
    const groups = files.flatMap(
      (f) => (parse(readFileSync(f, 'utf8')) as { groups?: unknown[] } | null)?.groups ?? [],
    );
    return stringify({ groups });
  }

  /** Copies the dashboards or the rule files into `target`; returns the files written. */
  exportTo(kind: 'grafana' | 'rules', target: string): string[] {
    mkdirSync(target, { recursive: true });
    const files = kind === 'grafana' ? this.dashboardFiles() : this.ruleFiles();
    return files.map((f) => {
      const to = join(target, basename(f));
      copyFileSync(f, to);
      return to;
    });
  }
}
