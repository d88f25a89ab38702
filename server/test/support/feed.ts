import { loadConfig, openStorage, p, prepareStore, sql, T } from '@kaizen/clickhouse';
import { startCollector } from '@kaizen/collector';
import { pino } from 'pino';
import { sendRuns } from './otlp.js';
import type { SeedRun } from './seed.js';

/**
 * Feeds the store in `dataDir` through the real collector in this process (real OTLP exporter),
 * waits until genai_calls holds every call, then lets go of the store so a child process can open it.
 */
export async function feedStore(dataDir: string, runs: readonly SeedRun[]): Promise<string[]> {
  const config = loadConfig({ KAIZEN_DATA_DIR: dataDir });
  const storage = await openStorage(config.storage);
  try {
    await prepareStore(storage, { retentionDays: config.storage.retentionDays });
    const collector = await startCollector({
      storage,
      config,
      logger: pino({ level: 'silent' }),
      host: '127.0.0.1',
      httpPort: 0,
      grpcPort: 0,
      writer: { maxBatchAgeMs: 20 },
    });
    try {
      const ids = await sendRuns(`http://127.0.0.1:${collector.httpPort}`, runs);
      const want = runs.reduce((n, r) => n + r.calls.length, 0);
      for (let i = 0; ; i++) {
        const [row] = await storage.query<{ n: string }>(
          sql`SELECT count() AS n FROM ${storage.table(T.genaiCalls)} WHERE has(${p.strings(ids)}, TraceId)`,
        );
        if (Number(row!.n) >= want) return ids;
        if (i > 1500) throw new Error(`only ${row!.n} of ${want} calls reached genai_calls`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await collector.close();
    }
  } finally {
    await storage.close();
  }
}
