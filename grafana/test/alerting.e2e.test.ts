import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allPanels, GRAFANA_DIR, readDashboards, REPO_DIR } from './support/dashboards.js';
import { promqlNames } from './support/metrics-contract.js';
import {
  freePorts,
  renderRulesForTest,
  startPrometheusStack,
  startWebhookReceiver,
  type PrometheusStack,
  type WebhookReceiver,
} from './support/prometheus-stack.js';
import { buildRegressionSeed } from './support/regression-seed.js';
import { exportSpans } from './support/seed-spans.js';

/**
 * End to end: the running Kaizen all-in-one (`kaizen up`: embedded ClickHouse, collector, service) is
 * scraped by Debian's Prometheus evaluating the repository's alert rules, with Debian's Alertmanager
 * posting to a webhook receiver here. A workflow whose cost per run jumps between two releases is sent
 * over OTLP with the real exporter; Kaizen's regression detector flags it, and
 * KaizenCostPerRunRegression travels Prometheus → Alertmanager → webhook.
 *
 * The rules are the repository's file with every `for:` shortened to 1 s (renderRulesForTest);
 * expressions, labels and annotations are unchanged. Scrapes and evaluations run every second.
 */

const CLI = join(REPO_DIR, 'server', 'bin', 'kaizen.js');
const BUILT = join(REPO_DIR, 'server', 'dist', 'cli', 'main.js');

let kaizen: ChildProcess | undefined;
let kaizenLog = '';
let stack: PrometheusStack | undefined;
let hook: WebhookReceiver | undefined;
let dataDir: string;
let apiUrl: string;
let otlpUrl: string;

/** Thrown by a probe to stop waiting at once (a process died). */
class Fatal extends Error {}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      last = e instanceof Error ? e : new Error(String(e));
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `Timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}\n--- kaizen ---\n${kaizenLog.slice(-4000)}` +
      `\n--- prometheus / alertmanager ---\n${stack?.logs().slice(-4000) ?? ''}`,
  );
}

beforeAll(async () => {
  if (!existsSync(BUILT))
    throw new Error(`${BUILT} is missing: this test runs the built CLI; run "npm run build" first.`);
  dataDir = mkdtempSync(join(tmpdir(), 'kaizen-e2e-'));
  const [api, http, grpc] = (await freePorts(3)) as [number, number, number];
  apiUrl = `http://127.0.0.1:${api}`;
  otlpUrl = `http://127.0.0.1:${http}/v1/traces`;
  kaizen = spawn(process.execPath, [CLI, 'up'], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      TZ: 'UTC',
      KAIZEN_DATA_DIR: dataDir,
      KAIZEN_HOST: '127.0.0.1',
      KAIZEN_API_PORT: String(api),
      KAIZEN_OTLP_HTTP_PORT: String(http),
      KAIZEN_OTLP_GRPC_PORT: String(grpc),
      KAIZEN_LOG_LEVEL: 'warn',
      KAIZEN_AUTO_ANALYZE: 'false',
      KAIZEN_REGRESSION_INTERVAL_SECONDS: '1',
      KAIZEN_REGRESSION_MIN_RUNS: '20',
    },
  });
  const keep = (d: Buffer) => (kaizenLog = (kaizenLog + d.toString('utf8')).slice(-20_000));
  kaizen.stdout!.on('data', keep);
  kaizen.stderr!.on('data', keep);
  await waitFor(
    'kaizen up to be ready',
    async () => {
      if (kaizen!.exitCode !== null) throw new Fatal(`kaizen up exited with ${kaizen!.exitCode}:\n${kaizenLog}`);
      return (await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(5000) })).ok ? true : undefined;
    },
    150_000,
  ); // a loaded 2-core machine can take a while to open the store and load prices
  hook = await startWebhookReceiver();
  stack = await startPrometheusStack({
    target: `127.0.0.1:${api}`,
    rules: renderRulesForTest(join(GRAFANA_DIR, 'alerting', 'kaizen.rules.yml')),
    webhookUrl: hook.url,
  });
}, 240_000);

afterAll(async () => {
  await stack?.close();
  await hook?.close();
  if (kaizen && kaizen.exitCode === null && kaizen.signalCode === null) {
    const exited = once(kaizen, 'exit');
    kaizen.kill('SIGTERM');
    const timer = setTimeout(() => kaizen?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('a cost regression injected over OTLP', () => {
  it('is scraped by Prometheus, fires KaizenCostPerRunRegression and reaches the webhook through Alertmanager', async () => {
    // Prometheus scrapes Kaizen, and nothing fires before the regression.
    await waitFor('Prometheus to scrape kaizen', async () =>
      (await stack!.query('up{job="kaizen"}')).some((s) => s.value[1] === '1') ? true : undefined,
    );
    expect((await stack!.alerts()).filter((a) => a.labels['alertname'] === 'KaizenCostPerRunRegression')).toEqual([]);

    const seed = buildRegressionSeed(Date.now());
    await exportSpans(otlpUrl, seed.data);

    // Kaizen's detector sees release 1.1.0 cost more per run than 1.0.0 …
    const detected = await waitFor('kaizen_regression_detected on /metrics', async () => {
      const text = await (await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('kaizen_regression_detected{') &&
            l.includes(`workflow="${seed.workflow}"`) &&
            l.includes('metric="cost_per_run"') &&
            l.includes('comparison="release"') &&
            / 1$/.test(l),
        );
      return line;
    });
    expect(detected).toContain(`service="${seed.service}"`);

    // … Prometheus fires the alert …
    const alert = await waitFor('KaizenCostPerRunRegression to fire in Prometheus', async () =>
      (await stack!.alerts()).find(
        (a) => a.labels['alertname'] === 'KaizenCostPerRunRegression' && a.state === 'firing',
      ),
    );
    expect(alert.labels).toMatchObject({ service: seed.service, workflow: seed.workflow, comparison: 'release' });
    expect(Number(alert.value)).toBeGreaterThan(seed.expectedRatio * 0.8);

    // … and Alertmanager posts it to the webhook.
    const message = await waitFor('the webhook to receive the alert', () =>
      Promise.resolve(
        hook!.messages.find((m) => m.alerts.some((a) => a.labels['alertname'] === 'KaizenCostPerRunRegression')),
      ),
    );
    const received = message.alerts.find((a) => a.labels['alertname'] === 'KaizenCostPerRunRegression')!;
    expect(message.version).toBe('4');
    expect(message.status).toBe('firing');
    expect(received.labels).toMatchObject({
      alertname: 'KaizenCostPerRunRegression',
      severity: 'warning',
      service: seed.service,
      workflow: seed.workflow,
      metric: 'cost_per_run',
      comparison: 'release',
      job: 'kaizen',
    });
    expect(received.annotations['summary']).toMatch(
      new RegExp(`^Cost per run of ${seed.workflow} \\(${seed.service}\\) is [\\d.]+× its baseline$`),
    );
    expect(received.annotations['runbook_url']).toBe('docs/runbooks.md#kaizencostperrunregression');
    expect(received.generatorURL).toContain(stack!.prometheusUrl);
    expect(hook!.userAgents[0]).toMatch(/^Alertmanager\//);
    // The other alerts stay silent: no budget is set, the collector is healthy.
    const firing = (await stack!.alerts()).filter((a) => a.state === 'firing').map((a) => a.labels['alertname']);
    expect(firing).not.toContain('KaizenSpendBurnRateHigh');
    expect(firing).not.toContain('KaizenDailyBudgetExceeded');
    expect(firing).not.toContain('KaizenDown');
    expect(firing).not.toContain('KaizenCollectorClickHouseDown');
  }, 180_000);
});

describe('the running service', () => {
  it('exposes on /metrics every metric the alert rules and dashboards use', async () => {
    const rules = parse(readFileSync(join(GRAFANA_DIR, 'alerting', 'kaizen.rules.yml'), 'utf8')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...readDashboards().flatMap((d) => allPanels(d.json).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''))),
    ].filter(Boolean);
    const used = new Set(exprs.flatMap((e) => promqlNames(e).metrics));
    used.delete('up');
    // Exposed only when KAIZEN_DAILY_BUDGET_USD is set (the budget alerts stay silent without it).
    used.delete('kaizen_budget_daily_usd');
    const text = await (await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
    const families = new Set([...text.matchAll(/^# TYPE (\w+) (\w+)$/gm)].map((m) => m[1]!));
    const exposed = (name: string) => families.has(name) || families.has(name.replace(/_(bucket|sum|count)$/, ''));
    expect(
      [...used].filter((n) => !exposed(n)),
      'used but not on /metrics',
    ).toEqual([]);
    expect(families.has('kaizen_budget_daily_usd')).toBe(false);
  });
});
