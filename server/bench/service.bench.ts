/**
 * The service's own figures (issue 6): how long `kaizen up` takes to be ready, and API latency over a
 * store of 1 M model calls (50,000 runs of 20 calls over 7 days), embedded ClickHouse, 2 cores.
 *
 *   npm run bench:service
 *   KAIZEN_BENCH_STORE=.bench/service-store npm run bench:service   (keeps the seeded store; reruns skip seeding)
 *   KAIZEN_BENCH_CALLS=200000 …                                    (a smaller store)
 *
 * 1. `kaizen up` (the built CLI, a child process) from spawn until /readyz answers 200: once on a new
 *    data directory (migrations and the price table load included), then three times on the same one.
 * 2. Each API request below, 3 warm-ups then 30 timed, over loopback with fetch (p50, p95, max), against
 *    a target of 150 ms p95 (the same bar as the dashboards' panels).
 * Writes .bench/service.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, openStorage, prepareStore, UNSAFE_rawSql } from '@kaizen/clickhouse';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { percentiles, seedSyntheticStore, settle } from '../../clickhouse/bench/synthetic-store.ts';
import { createApp } from '../dist/app/app.factory.js';

const CALLS = Number(process.env['KAIZEN_BENCH_CALLS'] ?? 1_000_000);
const TARGET_P95_MS = 150;
const TIMED = 30;
const METRICS_TIMED = 21;
const BIN = fileURLToPath(new URL('../bin/kaizen.js', import.meta.url));
const out = (line: string) => process.stdout.write(`${line}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns `kaizen up` and returns the ms until /readyz answers 200; stops it again. */
async function upToReady(dataDir: string): Promise<number> {
  const [api, http, grpc] = [await freePort(), await freePort(), await freePort()];
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'up'], {
    env: {
      PATH: process.env['PATH'] ?? '',
      KAIZEN_DATA_DIR: dataDir,
      KAIZEN_API_PORT: String(api),
      KAIZEN_OTLP_HTTP_PORT: String(http),
      KAIZEN_OTLP_GRPC_PORT: String(grpc),
      KAIZEN_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kaizen up exited with ${child.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${api}/readyz`);
        if (r.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error('kaizen up was not ready within 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  // 1. kaizen up → ready
  const upDir = mkdtempSync(join(tmpdir(), 'kaizen-bench-up-'));
  const up: { cold: number; warm: number[] } = { cold: 0, warm: [] };
  try {
    up.cold = await upToReady(upDir);
    for (let i = 0; i < 3; i++) up.warm.push(await upToReady(upDir));
  } finally {
    rmSync(upDir, { recursive: true, force: true });
  }
  const warm = percentiles(up.warm);
  out(
    `kaizen up → ready: ${up.cold.toFixed(0)} ms on a new data directory, ${warm.p50Ms.toFixed(0)} ms (median of 3) after`,
  );

  // 2. API latency over a seeded store
  const keep = process.env['KAIZEN_BENCH_STORE'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'kaizen-bench-service-'));
  const config = loadConfig({ KAIZEN_DATA_DIR: dir, KAIZEN_LOG_LEVEL: 'silent' });
  const storage = await openStorage(config.storage);
  const loadBefore = loadavg();
  try {
    await prepareStore(storage);
    out(`Seeding ${CALLS.toLocaleString('en')} model calls (20 per run, over 7 days) …`);
    const seedSeconds = await seedSyntheticStore(storage, { calls: CALLS, callsPerRun: 20, days: 7 }, out);
    await settle(storage);
    const [recent] = await storage.query<{ TraceId: string }>(
      UNSAFE_rawSql(`SELECT TraceId FROM ${storage.database}.workflow_runs ORDER BY Start DESC LIMIT 1`),
    );
    const app = await createApp(
      { config, storage, registry: new Registry(), logger: pino({ level: 'silent' }) },
      { background: false },
    );
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const requests: [string, string][] = [
      ['runs, last 24 h, newest first', '/api/workflows'],
      ['runs, last 24 h, costliest first', '/api/workflows?sort=cost'],
      ['runs, 7 days, one workflow', '/api/workflows?since=7d&workflow=wf-7'],
      ['runs, next page (cursor)', ''],
      ['one run and its calls', `/api/workflows/${recent!.TraceId}`],
      ['summary, 24 h', '/api/summary'],
      ['summary, 7 days', '/api/summary?since=7d'],
      ['findings, 7 days, by saving', '/api/findings'],
      ['models, 24 h', '/api/models'],
      ['/metrics scrape (cache cold)', '/metrics'],
    ];
    const first = (await (await fetch(`${base}/api/workflows?limit=50`)).json()) as { nextCursor: string | null };
    requests[3]![1] = `/api/workflows?cursor=${encodeURIComponent(first.nextCursor ?? '')}`;
    const results: { name: string; path: string; bytes: number; p50Ms: number; p95Ms: number; maxMs: number }[] = [];
    try {
      for (const [name, path] of requests) {
        let bytes = 0;
        const times: number[] = [];
        for (let i = 0; i < 3 + TIMED; i++) {
          // /metrics caches its ClickHouse reads for 5 s; wait it out so each timing pays for the queries.
          if (path === '/metrics' && i > 0) await new Promise((r) => setTimeout(r, 5_100));
          const t0 = performance.now();
          const r = await fetch(`${base}${path}`);
          const body = await r.arrayBuffer();
          const ms = performance.now() - t0;
          if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${Buffer.from(body).toString()}`);
          bytes = body.byteLength;
          if (i >= 3) times.push(ms);
          // 21 timed scrapes (5 s apart): the fewest for which the nearest-rank p95 is not simply the maximum.
          if (path === '/metrics' && i >= 3 + METRICS_TIMED - 1) break;
        }
        results.push({ name, path, bytes, ...percentiles(times) });
      }
    } finally {
      await app.close();
    }
    const loadAfter = loadavg();
    const width = Math.max(...results.map((r) => r.name.length));
    out(
      `\n${'request'.padEnd(width)}  ${'bytes'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  ${'max ms'.padStart(7)}`,
    );
    for (const r of results) {
      out(
        `${r.name.padEnd(width)}  ${String(r.bytes).padStart(7)}  ${r.p50Ms.toFixed(1).padStart(7)}  ${r.p95Ms.toFixed(1).padStart(7)}  ${r.maxMs.toFixed(1).padStart(7)}${r.p95Ms > TARGET_P95_MS ? '  over target' : ''}`,
      );
    }
    const worst = results.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
    out(
      `\nworst p95 ${worst.p95Ms.toFixed(1)} ms (${worst.name}); target ${TARGET_P95_MS} ms. ` +
        `Load ${loadBefore.map((l) => l.toFixed(2)).join(' ')} → ${loadAfter.map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs.`,
    );
    mkdirSync('.bench', { recursive: true });
    writeFileSync(
      join('.bench', 'service.json'),
      `${JSON.stringify(
        {
          name: 'service',
          date: new Date().toISOString(),
          machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version },
          command: 'npm run bench:service',
          up: { coldMs: Math.round(up.cold), warmMedianMs: Math.round(warm.p50Ms), warmMs: up.warm.map(Math.round) },
          api: { calls: CALLS, seedSeconds: Math.round(seedSeconds), targetP95Ms: TARGET_P95_MS, results },
          load: { before: loadBefore, after: loadAfter },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await storage.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
