import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_DOCS, loadConfig } from '@kaizen/clickhouse';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBinary } from './support/binaries.js';
import { GRAFANA_DIR, readManifest, REPO_DIR } from './support/dashboards.js';

/**
 * docker-compose.yml and the Dockerfile, checked without Docker: the YAML parses, every file, port
 * and variable they name exists and agrees with the code, and Prometheus' and Alertmanager's own
 * tools accept the configs they mount.
 */

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface Compose {
  name: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const composeText = readFileSync(join(REPO_DIR, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText) as Compose;
const services = compose.services;
const scratch = mkdtempSync(join(tmpdir(), 'kaizen-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Compose's interpolation with an empty environment: ${X:-default}, ${X-default}, ${X}, $$. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name: string, def?: string) => def ?? '')
    .replace(/\$\$/g, '$');
}
const env = (s: string): Record<string, string> =>
  Object.fromEntries(Object.entries(services[s]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));

/** "host:container", "ip:host:container" → { host, container }. */
function portMappings(s: string): { host: number; container: number }[] {
  return (services[s]?.ports ?? []).map((p) => {
    const parts = p.split(':');
    return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
}
function bindMounts(s: string): { source: string; target: string }[] {
  return (services[s]?.volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => {
      const [source, target] = v.split(':') as [string, string];
      return { source: join(REPO_DIR, source), target };
    });
}
/** The host path a container path of a service is mounted from. */
function hostPathOf(s: string, containerPath: string): string | undefined {
  for (const m of bindMounts(s)) {
    if (containerPath === m.target) return m.source;
    if (containerPath.startsWith(`${m.target}/`)) return join(m.source, containerPath.slice(m.target.length + 1));
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it('has every service of the stack, each image pinned to a version', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['alertmanager', 'clickhouse', 'grafana', 'kaizen', 'otel-collector', 'prometheus'].sort(),
    );
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
    expect(services['clickhouse']!.image).toMatch(/^clickhouse\/clickhouse-server:26\.7/);
    expect(services['otel-collector']!.image).toMatch(/^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    expect(services['grafana']!.environment!['GF_INSTALL_PLUGINS']).toMatch(
      /^grafana-clickhouse-datasource \d+\.\d+\.\d+$/,
    );
  });

  it('gives every service but the shell-less contrib collector a health check, and waits on them', () => {
    for (const [name, s] of Object.entries(services)) {
      if (name === 'otel-collector') continue;
      expect(s.healthcheck?.test.length, name).toBeGreaterThan(1);
    }
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(condition, `${name} → ${dep}`).toBe('service_healthy');
        expect(services[dep]!.healthcheck, `${dep} needs a health check`).toBeDefined();
      }
    }
  });

  it('mounts only files that exist, and declares its named volumes', () => {
    for (const name of Object.keys(services)) {
      for (const m of bindMounts(name)) expect(existsSync(m.source), `${name}: ${m.source}`).toBe(true);
      for (const v of services[name]!.volumes ?? []) {
        if (!v.startsWith('./')) expect(compose.volumes, `${name}: ${v}`).toHaveProperty(v.split(':')[0]!);
      }
    }
    const build = services['kaizen']!.build!;
    expect(existsSync(join(REPO_DIR, build.context, build.dockerfile))).toBe(true);
  });

  it('configures Kaizen only with variables of the config schema, and they parse', () => {
    for (const name of Object.keys(services)) {
      for (const key of Object.keys(services[name]!.environment ?? {})) {
        if (key.startsWith('KAIZEN_') || key === 'GEMINI_API_KEY')
          expect(CONFIG_DOCS, `${name}: ${key}`).toHaveProperty(key);
      }
    }
    const config = loadConfig(env('kaizen'));
    expect(config.storage.mode).toBe('server');
    expect(config.host).toBe('0.0.0.0');
  });

  it('publishes the ports of the contract (OTLP 4318/4317, API 8000) where Kaizen listens', () => {
    const config = loadConfig(env('kaizen'));
    const defaults = loadConfig({});
    expect(config.ports).toEqual({ otlpHttp: 4318, otlpGrpc: 4317, api: 8000 });
    expect(config.ports).toEqual(defaults.ports);
    const published = portMappings('kaizen');
    for (const port of [config.ports.otlpHttp, config.ports.otlpGrpc, config.ports.api]) {
      expect(published).toContainEqual({ host: port, container: port });
    }
  });

  it('connects Kaizen and Grafana to the ClickHouse service with users that exist', () => {
    const ch = env('clickhouse');
    const k = loadConfig(env('kaizen'));
    expect(new URL(k.storage.url!).hostname).toBe('clickhouse');
    expect(new URL(k.storage.url!).port).toBe('8123');
    expect(k.storage.user).toBe(ch['CLICKHOUSE_USER']);
    expect(k.storage.password).toBe(ch['CLICKHOUSE_PASSWORD']);
    expect(k.storage.database).toBe(ch['CLICKHOUSE_DB']);
    expect(services['clickhouse']!.healthcheck!.test.join(' ')).toContain(`--user ${ch['CLICKHOUSE_USER']}`);
    const g = env('grafana');
    const users = readFileSync(hostPathOf('clickhouse', '/etc/clickhouse-server/users.d/grafana.xml')!, 'utf8');
    expect(users).toContain(`<${g['CLICKHOUSE_USER']}>`);
    expect(users).toContain('from_env="GRAFANA_CLICKHOUSE_PASSWORD"');
    expect(g['CLICKHOUSE_PASSWORD']).toBe(ch['GRAFANA_CLICKHOUSE_PASSWORD']);
    expect(g['CLICKHOUSE_HOST']).toBe('clickhouse');
    expect(g['CLICKHOUSE_DATABASE']).toBe(k.storage.database);
  });
});

describe('what the services mount', () => {
  it('Grafana: provisioning with the fixed data source uids, every ${VAR} set, and the dashboards folder', () => {
    const provisioning = hostPathOf('grafana', '/etc/grafana/provisioning')!;
    const dsText = readFileSync(join(provisioning, 'datasources', 'kaizen.yaml'), 'utf8');
    const g = env('grafana');
    const values = dsText.replace(/^\s*#.*$/gm, '');
    for (const m of values.matchAll(/\$\{(\w+)\}/g)) expect(g, `grafana env ${m[1]}`).toHaveProperty(m[1]!);
    const ds = parse(dsText) as {
      datasources: { uid: string; type: string; url?: string; jsonData: Record<string, unknown> }[];
    };
    const byUid = Object.fromEntries(ds.datasources.map((d) => [d.uid, d]));
    expect(Object.keys(byUid).sort()).toEqual(
      [readManifest().datasources.clickhouse, readManifest().datasources.prometheus].sort(),
    );
    const ch = byUid['kaizen-clickhouse']!;
    expect(ch.type).toBe('grafana-clickhouse-datasource');
    expect(ch.jsonData).toMatchObject({ port: 9000, protocol: 'native' });
    for (const signal of ['traces', 'logs'] as const) {
      expect(ch.jsonData[signal]).toMatchObject({ otelEnabled: true, otelVersion: 'latest' });
    }
    expect(ch.jsonData['traces']).toMatchObject({
      defaultTable: 'otel_traces',
      traceTimestampTableSuffix: '_trace_id_ts',
    });
    expect(ch.jsonData['logs']).toMatchObject({ defaultTable: 'otel_logs' });
    expect(new URL(g['PROMETHEUS_URL']!).host).toBe(`prometheus:9090`);
    expect(byUid['kaizen-prometheus']!.type).toBe('prometheus');

    const providers = parse(readFileSync(join(provisioning, 'dashboards', 'kaizen.yaml'), 'utf8')) as {
      providers: { type: string; options: { path: string } }[];
    };
    const path = hostPathOf('grafana', providers.providers[0]!.options.path);
    expect(path).toBe(join(GRAFANA_DIR, 'dashboards'));
    const files = readdirSync(path!).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(
      readManifest()
        .dashboards.map((d) => d.file.replace('dashboards/', ''))
        .sort(),
    );
    const home = g['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH']!;
    expect(statSync(hostPathOf('grafana', home)!).isFile()).toBe(true);
  });

  it('Prometheus: scrapes Kaizen as job "kaizen", loads the repository rules, and `promtool check config` passes', () => {
    const file = hostPathOf('prometheus', '/etc/prometheus/prometheus.yml')!;
    const text = readFileSync(file, 'utf8');
    const cfg = parse(text) as {
      rule_files: string[];
      alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const kaizen = cfg.scrape_configs.find((s) => s.job_name === 'kaizen')!;
    expect(kaizen.static_configs[0]!.targets).toEqual([`kaizen:${loadConfig(env('kaizen')).ports.api}`]);
    const am = cfg.alerting.alertmanagers[0]!.static_configs[0]!.targets[0]!;
    expect(am.split(':')[0]).toBe('alertmanager');
    expect(portMappings('alertmanager').map((p) => p.container)).toContain(Number(am.split(':')[1]));
    const rulesDir = hostPathOf('prometheus', cfg.rule_files[0]!.replace(/\/[^/]*$/, ''))!;
    expect(rulesDir).toBe(join(GRAFANA_DIR, 'alerting'));
    // The same config with the rule glob pointing at the repository: promtool also checks the rules.
    const local = join(scratch, 'prometheus.yml');
    writeFileSync(local, text.replace(cfg.rule_files[0]!, join(rulesDir, '*.rules.yml')));
    const out = execFileSync(requireBinary('promtool'), ['check', 'config', local], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('Alertmanager: `amtool check-config` passes', () => {
    const file = hostPathOf('alertmanager', '/etc/alertmanager/alertmanager.yml')!;
    const out = execFileSync(requireBinary('amtool'), ['check-config', file], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });

  it('the contrib collector: its config exists and every ${env:VAR} it reads is set', () => {
    const file = hostPathOf('otel-collector', '/etc/otelcol-contrib/config.yaml')!;
    expect(existsSync(file), `${file} (collector/otelcol-contrib.yaml)`).toBe(true);
    const text = readFileSync(file, 'utf8');
    const e = env('otel-collector');
    // The collector expands ${env:…} in values, not in comments.
    for (const m of text.replace(/^\s*#.*$/gm, '').matchAll(/\$\{env:(\w+)(?::-[^}]*)?\}/g)) {
      if (!/:-/.test(m[0])) expect(e, `otel-collector env ${m[1]}`).toHaveProperty(m[1]!);
    }
    for (const port of [4317, 4318, 13133])
      expect(portMappings('otel-collector').map((p) => p.container)).toContain(port);
    // The exporter writes Kaizen's database on the ClickHouse service, as the ClickHouse user.
    const resolved = text.replace(
      /\$\{env:(\w+)(?::-([^}]*))?\}/g,
      (_m, name: string, def?: string) => e[name] ?? def ?? '',
    );
    const cfg = parse(resolved) as { exporters: { clickhouse: Record<string, string> } };
    const ch = env('clickhouse');
    const exporter = cfg.exporters.clickhouse;
    expect(new URL(exporter['endpoint']!).hostname).toBe('clickhouse');
    expect(exporter['database']).toBe(loadConfig(env('kaizen')).storage.database);
    expect(exporter['username']).toBe(ch['CLICKHOUSE_USER']);
    expect(exporter['password']).toBe(ch['CLICKHOUSE_PASSWORD']);
    const queue = e['OTELCOL_QUEUE_DIR']!;
    expect(services['otel-collector']!.volumes!.some((v) => v.endsWith(`:${queue}`))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8');
  const ignored = readFileSync(join(REPO_DIR, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

  it('copies only paths that exist and are not ignored', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(5);
    for (const s of sources) {
      expect(existsSync(join(REPO_DIR, s)), s).toBe(true);
      expect(ignored, s).not.toContain(s);
    }
  });

  it('exposes the contract ports and runs the kaizen CLI', () => {
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)![1]!.split(/\s+/).map(Number);
    expect(exposed.sort()).toEqual([4317, 4318, 8000]);
    const entry = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(existsSync(join(REPO_DIR, entry[1]!))).toBe(true);
    expect(services['kaizen']!.command).toEqual(JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!));
  });
});
