/**
 * Puts spooled batches back into ClickHouse, oldest first, backing off while it fails. Batches that
 * were never tried (spooled while ClickHouse was down or memory full) are replayed several at a time
 * under one token derived from their ids, so the same group replays under the same token after a
 * crash; a batch whose insert was started keeps its own token, since it may already be stored.
 * A batch ClickHouse keeps refusing while it answers pings is salvaged request by request.
 */
import { createHash } from 'node:crypto';
import { SpoolCorruptError, type SpoolEntry, type SpooledBatch } from '../spool/spool.js';
import { insertRows, isDataError } from './row-inserter.js';
import { observeInsert, salvage, sleep, type WriterContext } from './writer-shared.js';

export interface ReplayerHooks {
  /** The spool is empty: the writer may insert directly again. */
  drained(): void;
  /** Inserts that outlived their timeout (their batches are spooled): replay waits for them. */
  slowInserts(): readonly Promise<void>[];
}

export class SpoolReplayer {
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly stopper = new AbortController();
  /** The last replay attempt failed: ClickHouse is still down. */
  private failing = false;

  constructor(
    private readonly ctx: WriterContext,
    private readonly hooks: ReplayerHooks,
  ) {}

  /** Starts replaying unless it already runs. */
  ensure(): void {
    if (this.running || this.stopped) return;
    const run = this.loop().catch(async (e: unknown) => {
      this.ctx.log.error({ err: e, spool: this.ctx.spool.dir }, 'spool replay failed; retrying');
      await sleep(1000, this.stopper.signal);
    });
    this.running = run.finally(() => {
      this.running = undefined;
      if (!this.ctx.spool.isEmpty && !this.stopped) this.ensure();
    });
  }

  /**
   * Lets the replay go on for up to `drainMs` while ClickHouse answers, then stops it. True when the
   * spool was emptied.
   */
  async stop(drainMs: number): Promise<boolean> {
    let drained = this.running === undefined;
    void this.running?.then(() => (drained = true));
    const deadline = Date.now() + drainMs;
    while (!drained && !this.failing && Date.now() < deadline) await sleep(20);
    this.stopped = true;
    this.stopper.abort();
    await this.running;
    return drained;
  }

  private async loop(): Promise<void> {
    let wait = this.ctx.opts.retryIntervalMs;
    let failures = 0;
    while (!this.stopped) {
      const entry = this.ctx.spool.peek();
      if (entry === undefined) {
        if (this.ctx.spool.isEmpty) {
          this.hooks.drained();
          return;
        }
        await sleep(20, this.stopper.signal);
        continue;
      }
      const slow = this.hooks.slowInserts();
      if (slow.length > 0) {
        await Promise.all(slow);
        continue;
      }
      let first: SpooledBatch;
      try {
        first = await this.ctx.spool.read(entry);
      } catch (e) {
        if (!(e instanceof SpoolCorruptError)) throw e;
        const where = await this.ctx.spool.quarantine(entry);
        this.ctx.log.error({ err: e, file: where }, 'corrupt spool file quarantined');
        this.ctx.counts.quarantined++;
        continue;
      }
      const { entries, batch } = await this.gather(entry, first);
      const started = performance.now();
      try {
        await insertRows(this.ctx.storage(), batch.signal, batch.id, batch.body);
        observeInsert(this.ctx, batch.signal, started, 'ok');
        for (const e of entries) await this.ctx.spool.remove(e);
        this.ctx.metrics.replayed.inc({ signal: batch.signal }, batch.rows);
        this.ctx.metrics.written.inc({ signal: batch.signal }, batch.rows);
        this.ctx.counts.replayed += batch.rows;
        this.ctx.counts.replayInserts++;
        this.ctx.counts.written += batch.rows;
        wait = this.ctx.opts.retryIntervalMs;
        failures = 0;
        this.failing = false;
      } catch (e) {
        observeInsert(this.ctx, batch.signal, started, 'error');
        failures++;
        this.failing = true;
        if (isDataError(e) || (failures >= 5 && (await this.ctx.storage()?.ping()) === true)) {
          await salvage(this.ctx, batch, e);
          for (const en of entries) await this.ctx.spool.remove(en);
          failures = 0;
        } else {
          if (failures === 1) this.ctx.log.warn({ err: e }, 'ClickHouse still failing; the spool waits');
          await sleep(wait, this.stopper.signal);
          wait = Math.min(wait * 2, 10_000);
        }
      }
      this.ctx.metrics.spoolBytes.set(this.ctx.spool.bytes);
    }
  }

  /** The batch to replay: `first` alone, or with the never-tried batches right after it, up to the batch limits. */
  private async gather(
    entry: SpoolEntry,
    first: SpooledBatch,
  ): Promise<{ entries: SpoolEntry[]; batch: SpooledBatch }> {
    const entries = [entry];
    if (first.attempted) return { entries, batch: first };
    const ids = [first.id];
    const parts = [...first.parts];
    const bodies = [first.body];
    let rows = first.rows;
    let bytes = first.body.length;
    for (const next of this.ctx.spool.following(entry, 256)) {
      let b: SpooledBatch;
      try {
        b = await this.ctx.spool.read(next);
      } catch {
        break;
      }
      if (
        b.attempted ||
        b.signal !== first.signal ||
        rows + b.rows > this.ctx.opts.maxBatchRows ||
        bytes + b.body.length > this.ctx.opts.maxBatchBytes
      )
        break;
      entries.push(next);
      ids.push(b.id);
      parts.push(...b.parts);
      bodies.push(b.body);
      rows += b.rows;
      bytes += b.body.length;
    }
    if (entries.length === 1) return { entries, batch: first };
    const id = `kz-r-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 40)}`;
    return { entries, batch: { id, signal: first.signal, rows, parts, attempted: false, body: bodies.join('') } };
  }
}
