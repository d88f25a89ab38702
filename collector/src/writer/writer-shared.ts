import type { Logger } from 'pino';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { Signal } from '../otlp/decoded-batch.js';
import type { Spool, SpooledBatch } from '../spool/spool.js';
import { insertRows, type StorageProvider } from './row-inserter.js';

export interface WriterOptions {
  /** Seal a batch at this many rows (default 50,000). */
  readonly maxBatchRows: number;
  /**
   * Seal a batch at this many bytes of rows (default 16 MiB). Each insert pays a large fixed cost in
   * the views below otel_traces (measured: ~0.45 s for a one-row insert), so large batches pay.
   */
  readonly maxBatchBytes: number;
  /** Seal a batch this long after its first rows arrived (default 200 ms). */
  readonly maxBatchAgeMs: number;
  /** Rows held in memory by queued batches before they go to the spool instead (default 128 MiB). */
  readonly maxQueueBytes: number;
  /** Inserts running at once (default 2). */
  readonly maxConcurrentInserts: number;
  /** An insert slower than this is answered from the spool instead (default 10 s). */
  readonly insertTimeoutMs: number;
  /** First wait before retrying ClickHouse from the spool; doubles up to 10 s (default 500 ms). */
  readonly retryIntervalMs: number;
  /** On close, how long the spool may keep replaying into a reachable ClickHouse (default 5 s). */
  readonly drainTimeoutMs: number;
}

export const DEFAULT_WRITER_OPTIONS: WriterOptions = {
  maxBatchRows: 50_000,
  maxBatchBytes: 16 * 1024 * 1024,
  maxBatchAgeMs: 200,
  maxQueueBytes: 128 * 1024 * 1024,
  maxConcurrentInserts: 2,
  insertTimeoutMs: 10_000,
  retryIntervalMs: 500,
  drainTimeoutMs: 5_000,
};

/** Counts behind WriterStats, shared by the writer and its replayer. */
export interface WriterCounts {
  /** Items written to ClickHouse (directly or replayed). */
  written: number;
  /** Items written to the spool. */
  spooled: number;
  /** Batches written to the spool. */
  spooledBatches: number;
  /** Items replayed from the spool. */
  replayed: number;
  /** Inserts the replayer made (batches never tried are replayed several at a time). */
  replayInserts: number;
  /** Items ClickHouse refused, kept in spool/quarantine. */
  quarantined: number;
}

/** What the writer and the replayer share. */
export interface WriterContext {
  readonly storage: StorageProvider;
  readonly spool: Spool;
  readonly metrics: CollectorMetrics;
  readonly log: Logger;
  readonly opts: WriterOptions;
  readonly counts: WriterCounts;
  /**
   * When the attempt that last set `kaizen_collector_clickhouse_up` started (performance.now()): an
   * older insert that settles later (one in flight when ClickHouse went away, a slow one) does not
   * overwrite what a newer attempt found.
   */
  upSetBy: number;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export function observeInsert(ctx: WriterContext, signal: Signal, started: number, outcome: 'ok' | 'error'): void {
  ctx.metrics.batchDuration.observe({ signal, outcome }, (performance.now() - started) / 1000);
  setClickhouseUp(ctx, outcome === 'ok', started);
}

/** Sets `kaizen_collector_clickhouse_up` unless a newer attempt than the one `since` began has set it. */
export function setClickhouseUp(ctx: WriterContext, up: boolean, since: number): void {
  if (since < ctx.upSetBy) return;
  ctx.upSetBy = since;
  ctx.metrics.clickhouseUp.set(up ? 1 : 0);
}

export function countWritten(ctx: WriterContext, signal: Signal, rows: number): void {
  ctx.metrics.written.inc({ signal }, rows);
  ctx.counts.written += rows;
}

/**
 * A batch ClickHouse refuses as data: each request part is inserted on its own (own token) so one
 * bad request cannot take the others down; parts still refused are kept in quarantine on disk.
 */
export async function salvage(ctx: WriterContext, batch: SpooledBatch, cause: unknown): Promise<void> {
  ctx.log.error({ err: cause, batch: batch.id }, 'ClickHouse refused a batch: inserting its requests one by one');
  let offset = 0;
  for (let i = 0; i < batch.parts.length; i++) {
    const len = batch.parts[i] ?? 0;
    const body = batch.body.slice(offset, offset + len);
    offset += len;
    const rows = body.split('\n').length - 1;
    try {
      await insertRows(ctx.storage(), batch.signal, `${batch.id}-p${i}`, body);
      countWritten(ctx, batch.signal, rows);
    } catch (e) {
      const part = { ...batch, id: `${batch.id}-p${i}`, rows, parts: [len], body };
      const where = await ctx.spool.quarantineBatch(part, String(e));
      ctx.log.error({ err: e, file: where, rows }, 'rows ClickHouse refuses were quarantined');
      ctx.metrics.reject(batch.signal, 'invalid', rows);
      ctx.counts.quarantined += rows;
    }
  }
}
