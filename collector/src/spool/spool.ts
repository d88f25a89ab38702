/**
 * The on-disk spool: acknowledged batches that ClickHouse could not take (down, slow, or memory
 * full) wait here until they are replayed, oldest first. One file per batch, written to a temporary
 * name, fsynced, renamed and the directory fsynced, so a file that exists under its final name is
 * whole. Each file starts with a JSON header line (batch id = insert deduplication token, signal,
 * row count, part lengths, CRC-32 of the body), then the JSONEachRow body.
 */
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Signal } from '../otlp/decoded-batch.js';

export interface SpoolEntry {
  readonly seq: number;
  readonly file: string;
  readonly bytes: number;
}

export interface SpooledBatch {
  readonly id: string;
  readonly signal: Signal;
  readonly rows: number;
  /** Lengths (in characters) of the request parts that make up the body, for salvaging. */
  readonly parts: readonly number[];
  /**
   * An insert of this batch was started (it timed out or failed): it may be in ClickHouse already, so
   * only its own token may replay it. Batches never tried can be replayed together under a new token.
   */
  readonly attempted: boolean;
  readonly body: string;
}

interface Header {
  readonly v: 1;
  readonly id: string;
  readonly signal: Signal;
  readonly rows: number;
  readonly parts: readonly number[];
  readonly attempted?: boolean;
  readonly crc: number;
}

/** The spool has no room (KAIZEN_SPOOL_MAX_BYTES) or the disk refused the write. */
class SpoolFullError extends Error {
  override readonly name = 'SpoolFullError';
}

/** A spool file that is not a whole batch (a torn or edited file); it is quarantined, never replayed. */
export class SpoolCorruptError extends Error {
  override readonly name = 'SpoolCorruptError';
}

const NAME = /^(\d{12})\.batch$/;

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class Spool {
  private readonly entries: SpoolEntry[] = [];
  private nextSeq = 1;
  private usedBytes = 0;
  private reservedBytes = 0;
  /** Sequence numbers of appends still being written. */
  private readonly writing = new Set<number>();

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens (creating) the spool in `dir`, dropping half-written files of an earlier crash. */
  static async open(dir: string, maxBytes: number): Promise<Spool> {
    mkdirSync(join(dir, 'quarantine'), { recursive: true });
    const spool = new Spool(dir, maxBytes);
    const names = await readdir(dir);
    for (const name of names) {
      if (name.endsWith('.tmp')) {
        await unlink(join(dir, name));
        continue;
      }
      const m = NAME.exec(name);
      if (!m) continue;
      const file = join(dir, name);
      const seq = Number(m[1]);
      const { size } = await stat(file);
      spool.entries.push({ seq, file, bytes: size });
      spool.usedBytes += size;
      spool.nextSeq = Math.max(spool.nextSeq, seq + 1);
    }
    spool.entries.sort((a, b) => a.seq - b.seq);
    return spool;
  }

  /** Bytes of whole batches on disk. */
  get bytes(): number {
    return this.usedBytes;
  }

  /** Batches on disk plus those being written. */
  get size(): number {
    return this.entries.length + this.writing.size;
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  canAccept(bytes: number): boolean {
    return this.usedBytes + this.reservedBytes + bytes <= this.maxBytes;
  }

  /** Writes a batch durably (fsync of file and directory) before resolving. */
  async append(batch: SpooledBatch): Promise<void> {
    const body = Buffer.from(batch.body, 'utf8');
    const header: Header = {
      v: 1,
      id: batch.id,
      signal: batch.signal,
      rows: batch.rows,
      parts: batch.parts,
      attempted: batch.attempted,
      crc: crc32(body),
    };
    const head = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
    const bytes = head.length + body.length;
    if (!this.canAccept(bytes)) throw new SpoolFullError(`the spool is full (${this.maxBytes} bytes)`);
    const seq = this.nextSeq++;
    const name = `${String(seq).padStart(12, '0')}.batch`;
    const file = join(this.dir, name);
    const tmp = `${file}.tmp`;
    this.writing.add(seq);
    this.reservedBytes += bytes;
    try {
      const fh = await open(tmp, 'w');
      try {
        await fh.writev([head, body]);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
      await fsyncDir(this.dir);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw new SpoolFullError(`could not write to the spool in ${this.dir}: ${(e as Error).message}`, { cause: e });
    } finally {
      this.writing.delete(seq);
      this.reservedBytes -= bytes;
    }
    this.usedBytes += bytes;
    const at = this.entries.findIndex((x) => x.seq > seq);
    const entry = { seq, file, bytes };
    if (at < 0) this.entries.push(entry);
    else this.entries.splice(at, 0, entry);
  }

  /** The oldest whole batch, unless an older one is still being written (replay keeps the order). */
  peek(): SpoolEntry | undefined {
    const first = this.entries[0];
    if (first === undefined) return undefined;
    for (const w of this.writing) if (w < first.seq) return undefined;
    return first;
  }

  /** Whole batches right after `entry`, in order, stopping before any older one still being written. */
  following(entry: SpoolEntry, max: number): SpoolEntry[] {
    let limit = Infinity;
    for (const w of this.writing) limit = Math.min(limit, w);
    const at = this.entries.indexOf(entry);
    return this.entries.slice(at + 1, at + 1 + max).filter((e) => e.seq < limit);
  }

  async read(entry: SpoolEntry): Promise<SpooledBatch> {
    const data = await readFile(entry.file);
    const nl = data.indexOf(0x0a);
    let header: Header;
    try {
      if (nl < 0) throw new Error('no header line');
      header = JSON.parse(data.subarray(0, nl).toString('utf8')) as Header;
    } catch (e) {
      throw new SpoolCorruptError(`${entry.file}: unreadable header`, { cause: e });
    }
    const body = data.subarray(nl + 1);
    if (header.v !== 1 || crc32(body) !== header.crc)
      throw new SpoolCorruptError(`${entry.file}: the body does not match its checksum`);
    return {
      id: header.id,
      signal: header.signal,
      rows: header.rows,
      parts: header.parts,
      attempted: header.attempted ?? true,
      body: body.toString('utf8'),
    };
  }

  async remove(entry: SpoolEntry): Promise<void> {
    await unlink(entry.file).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    this.forget(entry);
  }

  /** Moves a batch that ClickHouse refuses (or a corrupt file) aside, out of the replay order. */
  async quarantine(entry: SpoolEntry): Promise<string> {
    const target = join(this.dir, 'quarantine', `${String(entry.seq).padStart(12, '0')}-${Date.now()}.batch`);
    await rename(entry.file, target);
    this.forget(entry);
    return target;
  }

  /** Writes a refused batch (never spooled) straight into quarantine, durably. */
  async quarantineBatch(batch: SpooledBatch, reason: string): Promise<string> {
    const target = join(this.dir, 'quarantine', `direct-${batch.id}.batch`);
    const fh = await open(target, 'w');
    try {
      await fh.writeFile(
        `${JSON.stringify({ v: 1, id: batch.id, signal: batch.signal, rows: batch.rows, reason })}\n${batch.body}`,
      );
      await fh.sync();
    } finally {
      await fh.close();
    }
    return target;
  }

  private forget(entry: SpoolEntry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) {
      this.entries.splice(i, 1);
      this.usedBytes -= entry.bytes;
    }
  }
}
