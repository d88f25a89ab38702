/**
 * The writer: requests' rows are gathered into batches (by size and age), each batch goes into
 * ClickHouse as one insert, and a request is answered only when ClickHouse — or the fsynced spool —
 * holds its rows. While ClickHouse is down or slow, or memory is full, batches go to the spool and a
 * replayer puts them back in order once ClickHouse answers again. Every batch carries a stable id
 * used as its insert deduplication token, so a replay (or a retry after a timeout) never adds rows.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CollectorMetrics } from '../metrics/collector-metrics.js';
import type { DecodedBatch, Signal } from '../otlp/decoded-batch.js';
import { SpoolCorruptError, type Spool, type SpooledBatch } from '../spool/spool.js';
import { insertRows, isDataError, type StorageProvider } from './row-inserter.js';

export interface WriterOptions {
  /** Seal a batch at this many rows (default 10,000). */
  readonly maxBatchRows: number;
  /** Seal a batch at this many bytes of rows (default 8 MiB). */
  readonly maxBatchBytes: number;
  /** Seal a batch this long after its first rows arrived (default 200 ms). */
  readonly maxBatchAgeMs: number;
  /** Rows held in memory (open, queued and in-flight batches) before batches go to the spool (default 64 MiB). */
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
  maxBatchRows: 10_000,
  maxBatchBytes: 8 * 1024 * 1024,
  maxBatchAgeMs: 200,
  maxQueueBytes: 64 * 1024 * 1024,
  maxConcurrentInserts: 2,
  insertTimeoutMs: 10_000,
  retryIntervalMs: 500,
  drainTimeoutMs: 5_000,
};

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
  readonly replayed: number;
  readonly quarantined: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export class BatchWriter {
  private readonly open: Partial<Record<Signal, Batch>> = {};
  private readonly queue: Batch[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** Inserts that outlived the timeout (their batch is already spooled); replay waits for them. */
  private readonly slow = new Set<Promise<void>>();
  private memBytes = 0;
  private queuedItems = 0;
  private mode: 'direct' | 'spooling' = 'direct';
  private replayer: Promise<void> | undefined;
  private closing = false;
  private stopReplay = false;
  private readonly stopper = new AbortController();
  /** The last replay attempt failed: ClickHouse is still down. */
  private replayFailing = false;
  private readonly counts = { written: 0, spooled: 0, replayed: 0, quarantined: 0 };

  constructor(
    private readonly storage: StorageProvider,
    private readonly spool: Spool,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
    private readonly opts: WriterOptions = DEFAULT_WRITER_OPTIONS,
  ) {
    this.metrics.spoolBytes.set(spool.bytes);
    this.metrics.clickhouseUp.set(1);
    if (!spool.isEmpty) {
      // Batches left from an earlier run go first; new ones queue behind them on disk.
      this.mode = 'spooling';
      this.ensureReplayer();
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
      ...this.counts,
    };
  }

  /** Resolves once ClickHouse or the spool holds the rows; rejects with OverloadError when neither can take them. */
  submit(d: DecodedBatch): Promise<void> {
    if (d.accepted === 0) return Promise.resolve();
    if (this.closing) return Promise.reject(new OverloadError('the collector is shutting down', true, 1));
    const bytes = d.rows.length;
    const current = this.open[d.signal];
    if (this.memBytes + bytes > this.opts.maxQueueBytes && !this.spool.canAccept(bytes + (current?.bytes ?? 0))) {
      const down = this.mode === 'spooling';
      this.metrics.reject(d.signal, 'overload', d.accepted);
      return Promise.reject(
        new OverloadError(
          down
            ? 'ClickHouse is unavailable and the spool is full'
            : 'the collector is busy: its queue and spool are full',
          down,
          down ? 5 : 1,
        ),
      );
    }
    const batch = current ?? this.newBatch(d.signal);
    batch.parts.push(d.rows);
    batch.rows += d.accepted;
    batch.bytes += bytes;
    this.memBytes += bytes;
    this.queuedItems += d.accepted;
    this.metrics.queued.inc({ signal: d.signal }, d.accepted);
    const promise = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (
      batch.rows >= this.opts.maxBatchRows ||
      batch.bytes >= this.opts.maxBatchBytes ||
      this.memBytes > this.opts.maxQueueBytes
    )
      this.seal(batch);
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
    if (this.replayer) {
      // Keep replaying into a reachable ClickHouse for a while; a ClickHouse that is down keeps the spool for the next start.
      let drained = false;
      void this.replayer.then(() => (drained = true));
      const deadline = Date.now() + this.opts.drainTimeoutMs;
      while (!drained && !this.replayFailing && Date.now() < deadline) await sleep(20);
      this.stopReplay = true;
      this.stopper.abort();
      if (!drained) this.log.warn({ spool: this.spool.dir, batches: this.spool.size }, 'spool left for the next start');
      await this.replayer;
    }
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
    batch.timer = setTimeout(() => this.seal(batch), this.opts.maxBatchAgeMs);
    this.open[signal] = batch;
    return batch;
  }

  private seal(batch: Batch): void {
    if (this.open[batch.signal] === batch) delete this.open[batch.signal];
    clearTimeout(batch.timer);
    batch.timer = undefined;
    if (this.mode === 'spooling' || this.memBytes > this.opts.maxQueueBytes) this.track(batch, this.toSpool(batch));
    else this.queue.push(batch);
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inflight.size < this.opts.maxConcurrentInserts) {
      const batch = this.coalesce(this.queue.shift() as Batch);
      if (this.mode === 'spooling') this.track(batch, this.toSpool(batch));
      else this.track(batch, this.insert(batch));
    }
  }

  /**
   * Folds the batches of the same signal that queued up behind `first` (while every insert slot was
   * busy) into one insert, up to the batch limits: each insert has a large fixed cost in ClickHouse
   * (its materialized views are planned per insert), so under load fewer, larger inserts go faster.
   * None of them has been tried yet, so none has a token to keep.
   */
  private coalesce(first: Batch): Batch {
    let merged = first;
    for (let i = 0; i < this.queue.length;) {
      const next = this.queue[i] as Batch;
      if (
        next.signal !== first.signal ||
        merged.rows + next.rows > this.opts.maxBatchRows ||
        merged.bytes + next.bytes > this.opts.maxBatchBytes
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
      this.log.error({ err: e, batch: batch.id }, 'writing a batch failed');
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
    const body = batch.parts.join('');
    let timer: NodeJS.Timeout | undefined;
    const attempt = insertRows(this.storage(), batch.signal, batch.id, body);
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), this.opts.insertTimeoutMs)));
    try {
      const first = await Promise.race([attempt.then(() => 'ok' as const), timeout]);
      if (first === 'timeout') {
        this.log.warn({ batch: batch.id, ms: this.opts.insertTimeoutMs }, 'insert is slow: answering from the spool');
        this.enterSpooling();
        const settled = attempt.then(
          () => this.observe(batch.signal, started, 'ok'),
          () => this.observe(batch.signal, started, 'error'),
        );
        this.slow.add(settled);
        try {
          await this.toSpool(batch);
          await settled;
        } finally {
          this.slow.delete(settled);
        }
        return;
      }
      this.observe(batch.signal, started, 'ok');
      this.written(batch.signal, batch.rows);
      this.settle(batch);
    } catch (e) {
      this.observe(batch.signal, started, 'error');
      if (isDataError(e)) {
        await this.salvage(this.spooled(batch), e);
        this.settle(batch);
        return;
      }
      this.log.warn({ err: e, batch: batch.id }, 'ClickHouse insert failed: spooling');
      this.enterSpooling();
      await this.toSpool(batch);
    } finally {
      clearTimeout(timer);
    }
  }

  private spooled(batch: Batch): SpooledBatch {
    return {
      id: batch.id,
      signal: batch.signal,
      rows: batch.rows,
      parts: batch.parts.map((p) => p.length),
      body: batch.parts.join(''),
    };
  }

  private async toSpool(batch: Batch): Promise<void> {
    if (batch.done) return;
    try {
      await this.spool.append(this.spooled(batch));
    } catch (e) {
      this.log.error({ err: e, batch: batch.id }, 'could not spool a batch: its requests are refused (503)');
      this.settle(batch, new OverloadError((e as Error).message, true, 5));
      return;
    }
    this.metrics.spooled.inc({ signal: batch.signal }, batch.rows);
    this.metrics.spoolBytes.set(this.spool.bytes);
    this.counts.spooled += batch.rows;
    this.settle(batch);
    this.ensureReplayer();
  }

  private observe(signal: Signal, started: number, outcome: 'ok' | 'error'): void {
    this.metrics.batchDuration.observe({ signal, outcome }, (performance.now() - started) / 1000);
    this.metrics.clickhouseUp.set(outcome === 'ok' ? 1 : 0);
  }

  private written(signal: Signal, rows: number): void {
    this.metrics.written.inc({ signal }, rows);
    this.counts.written += rows;
  }

  private enterSpooling(): void {
    if (this.mode === 'direct') this.log.warn('ClickHouse is failing or slow: new batches go to the spool');
    this.mode = 'spooling';
    this.metrics.clickhouseUp.set(0);
  }

  private ensureReplayer(): void {
    if (this.replayer || this.stopReplay) return;
    const run = this.replay().catch(async (e: unknown) => {
      this.log.error({ err: e, spool: this.spool.dir }, 'spool replay failed; retrying');
      await sleep(1000, this.stopper.signal);
    });
    this.replayer = run.finally(() => {
      this.replayer = undefined;
      if (!this.spool.isEmpty && !this.stopReplay) this.ensureReplayer();
    });
  }

  /** Replays spooled batches oldest first until the spool is empty, backing off while ClickHouse fails. */
  private async replay(): Promise<void> {
    let wait = this.opts.retryIntervalMs;
    let failures = 0;
    while (!this.stopReplay) {
      const entry = this.spool.peek();
      if (entry === undefined) {
        if (this.spool.isEmpty) {
          if (this.mode === 'spooling') this.log.info('spool replayed: writing to ClickHouse directly again');
          this.mode = 'direct';
          this.pump();
          return;
        }
        await sleep(20, this.stopper.signal);
        continue;
      }
      // A batch whose first insert timed out may still be running: let it finish before its replay.
      if (this.slow.size > 0) {
        await Promise.all(this.slow);
        continue;
      }
      let batch: SpooledBatch;
      try {
        batch = await this.spool.read(entry);
      } catch (e) {
        if (!(e instanceof SpoolCorruptError)) throw e;
        const where = await this.spool.quarantine(entry);
        this.log.error({ err: e, file: where }, 'corrupt spool file quarantined');
        this.counts.quarantined++;
        continue;
      }
      const started = performance.now();
      try {
        await insertRows(this.storage(), batch.signal, batch.id, batch.body);
        this.observe(batch.signal, started, 'ok');
        await this.spool.remove(entry);
        this.metrics.replayed.inc({ signal: batch.signal }, batch.rows);
        this.metrics.written.inc({ signal: batch.signal }, batch.rows);
        this.counts.replayed += batch.rows;
        this.counts.written += batch.rows;
        wait = this.opts.retryIntervalMs;
        failures = 0;
        this.replayFailing = false;
      } catch (e) {
        this.observe(batch.signal, started, 'error');
        failures++;
        this.replayFailing = true;
        if (isDataError(e) || (failures >= 5 && (await this.storage()?.ping()) === true)) {
          await this.salvage(batch, e);
          await this.spool.remove(entry);
          failures = 0;
        } else {
          if (failures === 1) this.log.warn({ err: e }, 'ClickHouse still failing; the spool waits');
          await sleep(wait, this.stopper.signal);
          wait = Math.min(wait * 2, 10_000);
        }
      }
      this.metrics.spoolBytes.set(this.spool.bytes);
    }
  }

  /**
   * A batch ClickHouse refuses as data: each request part is inserted on its own (own token) so one
   * bad request cannot take the others down; parts still refused are kept in quarantine on disk.
   */
  private async salvage(batch: SpooledBatch, cause: unknown): Promise<void> {
    this.log.error({ err: cause, batch: batch.id }, 'ClickHouse refused a batch: inserting its requests one by one');
    let offset = 0;
    for (let i = 0; i < batch.parts.length; i++) {
      const len = batch.parts[i] ?? 0;
      const body = batch.body.slice(offset, offset + len);
      offset += len;
      const rows = body.split('\n').length - 1;
      try {
        await insertRows(this.storage(), batch.signal, `${batch.id}-p${i}`, body);
        this.written(batch.signal, rows);
      } catch (e) {
        const where = await this.spool.quarantineBatch(
          { ...batch, id: `${batch.id}-p${i}`, rows, parts: [len], body },
          String(e),
        );
        this.log.error({ err: e, file: where, rows }, 'rows ClickHouse refuses were quarantined');
        this.metrics.reject(batch.signal, 'invalid', rows);
        this.counts.quarantined += rows;
      }
    }
  }
}
