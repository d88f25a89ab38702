import { openTempStore, type TempStore } from '@kaizen/clickhouse/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { startCollector, type RunningCollector, type StartCollectorOptions } from '../../src/index.js';
import type { Storage } from '@kaizen/clickhouse';

export interface TestCollector {
  readonly store: TempStore;
  readonly collector: RunningCollector;
  readonly registry: Registry;
  /** http://127.0.0.1:<port> of OTLP/HTTP. */
  readonly httpUrl: string;
  /** 127.0.0.1:<port> of OTLP/gRPC. */
  readonly grpcAddress: string;
  /** The store the collector writes to now (tests swap it to simulate an outage). */
  storage: Storage | undefined;
  close(): Promise<void>;
}

/** A real embedded ClickHouse (migrated, priced) and a collector on free ports writing to it. */
export async function startTestCollector(
  env: Record<string, string> = {},
  opts: Partial<Omit<StartCollectorOptions, 'storage' | 'config'>> = {},
): Promise<TestCollector> {
  const store = await openTempStore(env);
  const registry = new Registry();
  const holder: { storage: Storage | undefined } = { storage: store.storage };
  const collector = await startCollector({
    storage: () => holder.storage,
    config: store.config,
    registry,
    logger: pino({ level: process.env['KAIZEN_TEST_LOG'] ?? 'silent' }),
    httpPort: 0,
    grpcPort: 0,
    ...opts,
    writer: { maxBatchAgeMs: 20, retryIntervalMs: 50, ...opts.writer },
  });
  const t: TestCollector = {
    store,
    collector,
    registry,
    httpUrl: `http://127.0.0.1:${collector.httpPort}`,
    grpcAddress: `127.0.0.1:${collector.grpcPort}`,
    get storage() {
      return holder.storage;
    },
    set storage(s) {
      holder.storage = s;
    },
    async close() {
      await collector.close();
      if (holder.storage && holder.storage !== store.storage) await holder.storage.close();
      await store.close();
    },
  };
  return t;
}

/** The value of one sample of a metric (0 when absent). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  let total = 0;
  for (const v of data.values) {
    const l = v.labels as Record<string, string | number>;
    if (Object.entries(labels).every(([k, x]) => String(l[k]) === x)) total += v.value;
  }
  return total;
}
