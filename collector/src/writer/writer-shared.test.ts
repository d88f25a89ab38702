import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CollectorMetrics } from '../metrics/collector-metrics.js';
import { observeInsert, setClickhouseUp, type WriterContext } from './writer-shared.js';

function context(): { ctx: WriterContext; up: () => Promise<number | undefined> } {
  const registry = new Registry();
  const metrics = new CollectorMetrics(registry);
  const ctx = {
    storage: () => undefined,
    metrics,
    log: pino({ level: 'silent' }),
    counts: { written: 0, spooled: 0, spooledBatches: 0, replayed: 0, replayInserts: 0, quarantined: 0 },
    upSetBy: -Infinity,
  } as unknown as WriterContext;
  const up = async () => (await metrics.clickhouseUp.get()).values[0]?.value;
  return { ctx, up };
}

describe('kaizen_collector_clickhouse_up', () => {
  it('follows the newest attempt, not the one that happens to finish last', async () => {
    const { ctx, up } = context();
    observeInsert(ctx, 'traces', 200, 'error'); // a new insert fails: ClickHouse is gone
    expect(await up()).toBe(0);
    observeInsert(ctx, 'traces', 100, 'ok'); // one in flight since before the outage finishes late
    expect(await up()).toBe(0);
    observeInsert(ctx, 'traces', 300, 'ok'); // a newer attempt gets through
    expect(await up()).toBe(1);
    observeInsert(ctx, 'traces', 250, 'error'); // an older one fails late: still up
    expect(await up()).toBe(1);
  });

  it('is down from the moment the writer starts spooling, whatever older inserts report afterwards', async () => {
    const { ctx, up } = context();
    observeInsert(ctx, 'traces', 10, 'ok');
    setClickhouseUp(ctx, false, 50); // a slow insert sends the writer to the spool at t = 50
    observeInsert(ctx, 'logs', 40, 'ok'); // an insert started at t = 40 ends well
    expect(await up()).toBe(0);
    observeInsert(ctx, 'traces', 60, 'ok'); // the replayer's first insert after that
    expect(await up()).toBe(1);
  });
});
