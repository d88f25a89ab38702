import { OtlpDecodeError } from './decoded-batch.js';

/** Protobuf wire types. */
export const WT_VARINT = 0;
export const WT_I64 = 1;
export const WT_LEN = 2;
const WT_SGROUP = 3;
const WT_EGROUP = 4;
export const WT_I32 = 5;

const TWO_32 = 4294967296;

/**
 * A minimal protobuf wire reader over one buffer: the OTLP decoder walks messages with it field by
 * field and never materialises a message object. Every read is bounds-checked against `end`;
 * anything malformed throws {@link OtlpDecodeError}.
 */
export class ProtoReader {
  /** Results of the last 64-bit read, as unsigned 32-bit halves. */
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number,
  ) {}

  static of(bytes: Uint8Array): ProtoReader {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new ProtoReader(buf, 0, buf.length);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A field tag: (field number << 3) | wire type. */
  tag(): number {
    const t = this.uint32();
    if (t >>> 3 === 0) throw new OtlpDecodeError(`invalid field number 0 at byte ${this.pos}`);
    return t;
  }

  /** A varint truncated to its low 32 bits (how int32, uint32, enums and bools read). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    if (pos < end) {
      const b = buf[pos] as number;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new OtlpDecodeError('truncated varint');
      const b = buf[pos++] as number;
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    throw new OtlpDecodeError('varint longer than 10 bytes');
  }

  /** A full 64-bit varint into lo/hi. */
  varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) throw new OtlpDecodeError('truncated varint');
      const b = buf[pos++] as number;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new OtlpDecodeError('varint longer than 10 bytes');
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new OtlpDecodeError('truncated fixed32');
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  fixed64(): void {
    if (this.pos + 8 > this.end) throw new OtlpDecodeError('truncated fixed64');
    this.lo = this.buf.readUInt32LE(this.pos);
    this.hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new OtlpDecodeError('truncated double');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns where the field's bytes end; `pos` is at their start. */
  lenEnd(): number {
    const len = this.uint32();
    const stop = this.pos + len;
    if (len > TWO_32 / 2 || stop > this.end) throw new OtlpDecodeError('length-delimited field runs past its message');
    return stop;
  }

  string(): string {
    const stop = this.lenEnd();
    const s = stop === this.pos ? '' : this.buf.toString('utf8', this.pos, stop);
    this.pos = stop;
    return s;
  }

  /** A trace or span id: lower-case hex, '' when empty or all zero; any other length is an error. */
  id(size: 8 | 16, what: string): string {
    const stop = this.lenEnd();
    const len = stop - this.pos;
    const start = this.pos;
    this.pos = stop;
    if (len === 0) return '';
    if (len !== size) throw new OtlpDecodeError(`${what} must be ${size} bytes, got ${len}`);
    const buf = this.buf;
    for (let i = start; i < stop; i++) if (buf[i] !== 0) return buf.toString('hex', start, stop);
    return '';
  }

  /** Throws unless the field has the wire type its schema gives it (as Go's generated code does). */
  expect(tag: number, wireType: number, what: string): void {
    if ((tag & 7) !== wireType) throw new OtlpDecodeError(`${what} has wire type ${tag & 7}, expected ${wireType}`);
  }

  /** Skips one field of any wire type. */
  skip(tag: number): void {
    switch (tag & 7) {
      case WT_VARINT:
        this.varint64();
        return;
      case WT_I64:
        if (this.pos + 8 > this.end) throw new OtlpDecodeError('truncated fixed64');
        this.pos += 8;
        return;
      case WT_LEN:
        this.pos = this.lenEnd();
        return;
      case WT_I32:
        if (this.pos + 4 > this.end) throw new OtlpDecodeError('truncated fixed32');
        this.pos += 4;
        return;
      case WT_SGROUP: {
        const field = tag >>> 3;
        for (;;) {
          if (this.done) throw new OtlpDecodeError('unterminated group');
          const t = this.tag();
          if ((t & 7) === WT_EGROUP) {
            if (t >>> 3 !== field) throw new OtlpDecodeError('mismatched end group');
            return;
          }
          this.skip(t);
        }
      }
      default:
        throw new OtlpDecodeError(`invalid wire type ${tag & 7}`);
    }
  }

  /** A reader over [pos, stop) of the same buffer; advances this reader past it. */
  sub(stop: number): ProtoReader {
    const r = new ProtoReader(this.buf, this.pos, stop);
    this.pos = stop;
    return r;
  }
}
