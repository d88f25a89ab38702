/**
 * The writer: requests' rows are gathered into batches (by size and age), each batch goes into
 * ClickHouse as one insert, and a request is answered only when ClickHouse — or the fsynced spool —
 * holds its rows. While ClickHouse is down or slow, or queued rows pass the memory limit, batches go
 * to the spool and a replayer puts them back in order once ClickHouse answers again. Every batch
 * carries a stable id used as its insert deduplication token, so a replay (or a retry after a
 * timeout) never adds rows.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { DecodedBatch, Signal } from '../otlp/decoded-batch.js';
import type { Spool, SpooledBatch } from '../spool/spool.js';
import { insertRows, isDataError, type StorageProvider } from './row-inserter.js';
import { SpoolReplayer } from './spool-replayer.js';
import {
  countWritten,
  DEFAULT_WRITER_OPTIONS,
  observeInsert,
  salvage,
  setClickhouseUp,
  sleep,
  type WriterContext,
  type WriterOptions,
} from './writer-shared.js';

export { DEFAULT_WRITER_OPTIONS, type WriterOptions } from './writer-shared.js';

/** Neither memory nor the spool can take more: the client should come back later (HTTP 429/503). */
export class OverloadError extends Error {
  override readonly name = 'OverloadError';
  constructor(
    message: string,
    /** True when ClickHouse is down (503), false when the collector is merely busy (429). */
    readonly unavailable: boolean,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

interface Batch {
  readonly id: string;
  readonly signal: Signal;
  readonly parts: string[];
  rows: number;
  bytes: number;
  readonly waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  /** Settled once the batch is held by ClickHouse or the spool (or refused). */
  done: boolean;
}

export interface WriterStats {
  readonly mode: 'direct' | 'spooling';
  readonly queuedItems: number;
  readonly queuedBytes: number;
  readonly inflightInserts: number;
  readonly spoolBatches: number;
  readonly spoolBytes: number;
  readonly written: number;
  readonly spooled: number;
  readonly spooledBatches: number;
  readonly replayed: number;
  readonly replayInserts: number;
  readonly quarantined: number;
}

export class BatchWriter {
  private readonly ctx: WriterContext;
  private readonly open: Partial<Record<Signal, Batch>> = {};
  private readonly queue: Batch[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** Inserts that outlived the timeout (their batch is already spooled); replay waits for them. */
  private readonly slow = new Set<Promise<void>>();
  private readonly replayer: SpoolReplayer;
  /** Bytes of rows accepted and not yet held by ClickHouse or the spool. */
  private memBytes = 0;
  /** Of those, the bytes already on their way to the spool. */
  private spoolingBytes = 0;
  private queuedItems = 0;
  private mode: 'direct' | 'spooling' = 'direct';
  private closing = false;

  constructor(
    storage: StorageProvider,
    private readonly spool: Spool,
    private readonly metrics: CollectorMetrics,
    log: Logger,
    opts: WriterOptions = DEFAULT_WRITER_OPTIONS,
  ) {
    const counts = { written: 0, spooled: 0, spooledBatches: 0, replayed: 0, replayInserts: 0, quarantined: 0 };
    this.ctx = { storage, spool, metrics, log, opts, counts, upSetBy: -Infinity };
    this.replayer = new SpoolReplayer(this.ctx, {
      drained: () => {
        if (this.mode === 'spooling') log.info('spool replayed: writing to ClickHouse directly again');
        this.mode = 'direct';
        this.pump();
      },
      slowInserts: () => [...this.slow],
    });
    metrics.spoolBytes.set(spool.bytes);
    metrics.clickhouseUp.set(1);
    if (!spool.isEmpty) {
      // Batches left from an earlier run go first; new ones queue behind them on disk.
      this.mode = 'spooling';
      this.replayer.ensure();
    }
  }

  stats(): WriterStats {
    return {
      mode: this.mode,
      queuedItems: this.queuedItems,
      queuedBytes: this.memBytes,
      inflightInserts: this.inflight.size,
      spoolBatches: this.spool.size,
      spoolBytes: this.spool.bytes,
      ...this.ctx.counts,
    };
  }

  /** Resolves once ClickHouse or the spool holds the rows; rejects with OverloadError when neither can take them. */
  submit(d: DecodedBatch): Promise<void> {
    if (d.accepted === 0) return Promise.resolve();
    if (this.closing) return Promise.reject(new OverloadError('the collector is shutting down', true, 1));
    const bytes = d.rows.length;
    const current = this.open[d.signal];
    if (this.memBytes + bytes > this.ctx.opts.maxQueueBytes && !this.spool.canAccept(bytes + (current?.bytes ?? 0))) {
      const down = this.mode === 'spooling';
      this.metrics.reject(d.signal, 'overload', d.accepted);
      const message = down
        ? 'ClickHouse is unavailable and the spool is full'
        : 'the collector is busy: its queue and spool are full';
      return Promise.reject(new OverloadError(message, down, down ? 5 : 1));
    }
    const batch = current ?? this.newBatch(d.signal);
    batch.parts.push(d.rows);
    batch.rows += d.accepted;
    batch.bytes += bytes;
    this.memBytes += bytes;
    this.queuedItems += d.accepted;
    this.metrics.queued.inc({ signal: d.signal }, d.accepted);
    const promise = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.rows >= this.ctx.opts.maxBatchRows || batch.bytes >= this.ctx.opts.maxBatchBytes) this.seal(batch);
    return promise;
  }

  /** Seals open batches, waits until every acknowledged row is in ClickHouse or the spool, then stops. */
  async close(): Promise<void> {
    this.closing = true;
    for (const signal of ['traces', 'logs'] as const) {
      const b = this.open[signal];
      if (b) this.seal(b);
    }
    while (this.queue.length > 0 || this.inflight.size > 0) await Promise.race([...this.inflight, sleep(50)]);
    // Keep replaying into a reachable ClickHouse for a while; a ClickHouse that is down keeps the spool for the next start.
    if (!(await this.replayer.stop(this.ctx.opts.drainTimeoutMs)) && !this.spool.isEmpty)
      this.ctx.log.warn({ spool: this.spool.dir, batches: this.spool.size }, 'spool left for the next start');
  }

  private newBatch(signal: Signal): Batch {
    const batch: Batch = {
      id: `kz-${signal}-${randomUUID()}`,
      signal,
      parts: [],
      rows: 0,
      bytes: 0,
      waiters: [],
      timer: undefined,
      done: false,
    };
    batch.timer = setTimeout(() => this.seal(batch), this.ctx.opts.maxBatchAgeMs);
    this.open[signal] = batch;
    return batch;
  }

  private seal(batch: Batch): void {
    if (this.open[batch.signal] === batch) delete this.open[batch.signal];
    clearTimeout(batch.timer);
    batch.timer = undefined;
    this.queue.push(batch);
    this.pump();
  }

  /**
   * Inserts queued batches while there are free slots; spools them instead while ClickHouse is down
   * or slow, or while the rows waiting in memory pass the limit (oldest first, folded together).
   */
  private pump(): void {
    while (this.queue.length > 0 && this.mode === 'direct' && this.inflight.size < this.ctx.opts.maxConcurrentInserts) {
      const batch = this.coalesce(this.queue.shift() as Batch);
      this.track(batch, this.insert(batch));
    }
    while (
      this.queue.length > 0 &&
      (this.mode === 'spooling' || this.memBytes - this.spoolingBytes > this.ctx.opts.maxQueueBytes)
    ) {
      const batch = this.coalesce(this.queue.shift() as Batch);
      this.track(batch, this.toSpool(batch, false));
    }
  }

  /**
   * Folds the batches of the same signal that queued up behind `first` (while every insert slot was
   * busy) into one, up to the batch limits: each insert has a large fixed cost in ClickHouse (its
   * materialized views are planned per insert), so under load fewer, larger inserts go faster.
   * None of them has been tried yet, so none has a token to keep.
   */
  private coalesce(first: Batch): Batch {
    let merged = first;
    for (let i = 0; i < this.queue.length;) {
      const next = this.queue[i] as Batch;
      if (
        next.signal !== first.signal ||
        merged.rows + next.rows > this.ctx.opts.maxBatchRows ||
        merged.bytes + next.bytes > this.ctx.opts.maxBatchBytes
      ) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      if (merged === first) merged = { ...first, parts: [...first.parts], waiters: [...first.waiters] };
      merged.parts.push(...next.parts);
      merged.waiters.push(...next.waiters);
      merged.rows += next.rows;
      merged.bytes += next.bytes;
      next.done = true; // accounted for by the merged batch from here on
    }
    return merged;
  }

  private track(batch: Batch, work: Promise<void>): void {
    const p = work.catch((e: unknown) => {
      this.ctx.log.error({ err: e, batch: batch.id }, 'writing a batch failed');
      this.settle(batch, new OverloadError(`could not store the batch: ${(e as Error).message}`, true, 5));
    });
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.pump();
    });
  }

  private settle(batch: Batch, error?: Error): void {
    if (batch.done) return;
    batch.done = true;
    this.memBytes -= batch.bytes;
    this.queuedItems -= batch.rows;
    this.metrics.queued.dec({ signal: batch.signal }, batch.rows);
    for (const w of batch.waiters) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  private async insert(batch: Batch): Promise<void> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const attempt = insertRows(this.ctx.storage(), batch.signal, batch.id, batch.parts.join(''));
    const timeout = new Promise<'timeout'>(
      (r) => (timer = setTimeout(() => r('timeout'), this.ctx.opts.insertTimeoutMs)),
    );
    try {
      const first = await Promise.race([attempt.then(() => 'ok' as const), timeout]);
      if (first === 'timeout') {
        this.ctx.log.warn(
          { batch: batch.id, ms: this.ctx.opts.insertTimeoutMs },
          'insert is slow: answering from the spool',
        );
        this.enterSpooling();
        const settled = attempt.then(
          () => observeInsert(this.ctx, batch.signal, started, 'ok'),
          () => observeInsert(this.ctx, batch.signal, started, 'error'),
        );
        this.slow.add(settled);
        try {
          await this.toSpool(batch, true);
          await settled;
        } finally {
          this.slow.delete(settled);
        }
        return;
      }
      observeInsert(this.ctx, batch.signal, started, 'ok');
      countWritten(this.ctx, batch.signal, batch.rows);
      this.settle(batch);
    } catch (e) {
      observeInsert(this.ctx, batch.signal, started, 'error');
      if (isDataError(e)) {
        await salvage(this.ctx, this.spooled(batch, true), e);
        this.settle(batch);
        return;
      }
      this.ctx.log.warn({ err: e, batch: batch.id }, 'ClickHouse insert failed: spooling');
      this.enterSpooling();
      await this.toSpool(batch, true);
    } finally {
      clearTimeout(timer);
    }
  }

  private spooled(batch: Batch, attempted: boolean): SpooledBatch {
    return {
      id: batch.id,
      signal: batch.signal,
      rows: batch.rows,
      parts: batch.parts.map((p) => p.length),
      attempted,
      body: batch.parts.join(''),
    };
  }

  private async toSpool(batch: Batch, attempted: boolean): Promise<void> {
    if (batch.done) return;
    this.spoolingBytes += batch.bytes;
    try {
      await this.spool.append(this.spooled(batch, attempted));
    } catch (e) {
      this.ctx.log.error({ err: e, batch: batch.id }, 'could not spool a batch: its requests are refused (503)');
      this.settle(batch, new OverloadError((e as Error).message, true, 5));
      return;
    } finally {
      this.spoolingBytes -= batch.bytes;
    }
    this.metrics.spooled.inc({ signal: batch.signal }, batch.rows);
    this.metrics.spoolBytes.set(this.spool.bytes);
    this.ctx.counts.spooled += batch.rows;
    this.ctx.counts.spooledBatches++;
    this.settle(batch);
    this.replayer.ensure();
  }

  private enterSpooling(): void {
    if (this.mode === 'direct') this.ctx.log.warn('ClickHouse is failing or slow: new batches go to the spool');
    this.mode = 'spooling';
    setClickhouseUp(this.ctx, false, performance.now());
  }
}
