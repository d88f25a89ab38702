import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { requireBinary } from './binaries.js';

/**
 * Debian's real Prometheus and Alertmanager on loopback, and a webhook receiver, for end-to-end
 * alerting tests: Prometheus scrapes a target every second, evaluates rule files every second and
 * sends to Alertmanager, which posts to the receiver.
 */

/**
 * `n` distinct free TCP ports on 127.0.0.1: all are held open together (so none repeats), then
 * released for the caller (a small window remains before the caller binds them).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createNetServer().listen(0, '127.0.0.1'));
  await Promise.all(servers.map((s) => once(s, 'listening')));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Alertmanager 0.25's webhook body (version 4). */
export interface WebhookMessage {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
  }[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  version: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly messages: WebhookMessage[];
  readonly userAgents: string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const messages: WebhookMessage[] = [];
  const userAgents: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      userAgents.push(String(req.headers['user-agent']));
      messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookMessage);
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    messages,
    userAgents,
    async close() {
      server.close();
      await once(server, 'close');
    },
  };
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; for?: string }[] }[];
}

/**
 * A copy of a rule file for a fast test: every alert's `for:` becomes `forDuration` (the production
 * values are minutes; with 1 s scrapes and evaluations the test would otherwise wait that long).
 * Expressions, labels and annotations stay exactly as in the repository.
 */
export function renderRulesForTest(file: string, forDuration = '1s'): string {
  const doc = parse(readFileSync(file, 'utf8')) as RuleFile;
  for (const g of doc.groups) for (const r of g.rules) if (r.alert) r.for = forDuration;
  return stringify(doc);
}

export interface PrometheusStack {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** Prometheus' /api/v1/alerts. */
  alerts(): Promise<{ labels: Record<string, string>; state: string; value: string }[]>;
  /** Prometheus' instant query. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Everything both processes printed, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

function run(bin: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(requireBinary(bin), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => {
    log.push(`[${bin}] ${d.toString('utf8')}`);
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

async function waitReady(url: string, child: ChildProcess, name: string, logs: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${logs()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} was not ready at ${url} within 30 s:\n${logs()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts Alertmanager (posting every alert to `webhookUrl` after 1 s) and Prometheus (scraping
 * `target` as job "kaizen" every second, evaluating `rules` every second).
 */
export async function startPrometheusStack(opts: {
  readonly target: string;
  readonly rules: string;
  readonly webhookUrl: string;
}): Promise<PrometheusStack> {
  const dir = mkdtempSync(join(tmpdir(), 'kaizen-prom-'));
  const log: string[] = [];
  const logs = () => log.join('');
  const [promPort, amPort] = (await freePorts(2)) as [number, number];

  writeFileSync(
    join(dir, 'alertmanager.yml'),
    stringify({
      route: {
        receiver: 'test',
        group_by: ['alertname', 'service', 'workflow'],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
      },
      receivers: [{ name: 'test', webhook_configs: [{ url: opts.webhookUrl, send_resolved: true }] }],
    }),
  );
  mkdirSync(join(dir, 'am-data'));
  const alertmanager = run(
    'prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      `--web.external-url=http://127.0.0.1:${amPort}/`,
      '--cluster.listen-address=',
    ],
    log,
  );

  writeFileSync(join(dir, 'kaizen.rules.yml'), opts.rules);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(dir, 'kaizen.rules.yml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
      scrape_configs: [{ job_name: 'kaizen', metrics_path: '/metrics', static_configs: [{ targets: [opts.target] }] }],
    }),
  );
  mkdirSync(join(dir, 'tsdb'));
  const prometheus = run(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      `--web.external-url=http://127.0.0.1:${promPort}/`,
    ],
    log,
  );

  const prometheusUrl = `http://127.0.0.1:${promPort}`;
  const alertmanagerUrl = `http://127.0.0.1:${amPort}`;
  const close = async () => {
    await Promise.all([stop(prometheus), stop(alertmanager)]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${alertmanagerUrl}/-/ready`, alertmanager, 'prometheus-alertmanager', logs);
    await waitReady(`${prometheusUrl}/-/ready`, prometheus, 'prometheus', logs);
  } catch (e) {
    await close();
    throw e;
  }
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${prometheusUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await r.json()) as { status: string; data: T };
    if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
    return body.data;
  };
  return {
    prometheusUrl,
    alertmanagerUrl,
    alerts: async () =>
      (await api<{ alerts: { labels: Record<string, string>; state: string; value: string }[] }>('/api/v1/alerts'))
        .alerts,
    query: async (expr) =>
      (
        await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
          `/api/v1/query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    logs,
    close,
  };
}
