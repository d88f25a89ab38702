import { p, sql, T } from '@kaizen/clickhouse';
import { startCollector, type RunningCollector } from '@kaizen/collector';
import { pino } from 'pino';
import type { AppOptions } from '../../src/app/app.options.js';
import { startTestApp, type TestApp } from './app-harness.js';
import { sendRuns } from './otlp.js';
import type { SeedRun } from './seed.js';

export interface TestStack extends TestApp {
  readonly collector: RunningCollector;
  /** Sends runs through the real OTLP exporter and collector; resolves once genai_calls holds every call. */
  send(runs: readonly SeedRun[]): Promise<string[]>;
}

/** The service and the real collector over one temporary embedded store. */
export async function startTestStack(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestStack> {
  const t = await startTestApp(env, options);
  const collector = await startCollector({
    storage: t.store.storage,
    config: t.store.config,
    logger: pino({ level: 'silent' }),
    host: '127.0.0.1',
    httpPort: 0,
    grpcPort: 0,
    writer: { maxBatchAgeMs: 20 },
  });
  const storage = t.store.storage;
  return {
    ...t,
    collector,
    async send(runs) {
      const ids = await sendRuns(`http://127.0.0.1:${collector.httpPort}`, runs);
      const want = runs.reduce((n, r) => n + r.calls.length, 0);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await storage.query<{ n: string }>(
          sql`SELECT count() AS n FROM ${storage.table(T.genaiCalls)} WHERE has(${p.strings(ids)}, TraceId)`,
        );
        if (Number(row!.n) >= want) return ids;
        if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${want} calls reached genai_calls`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await collector.close();
      await t.close();
    },
  };
}
