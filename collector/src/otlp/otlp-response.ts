/**
 * The answers OTLP prescribes, in the request's encoding: `Export*ServiceResponse` (empty on full
 * success, `partial_success` otherwise) and `google.rpc.Status` for failures, with a
 * `google.rpc.RetryInfo` detail when the client should come back later.
 */
import type { Signal } from './decoded-batch.js';
import type { OtlpFormat } from './otlp-decoder.js';

/** gRPC status codes used in answers. */
export const GrpcCode = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

class Writer {
  private readonly parts: Buffer[] = [];

  varint(v: bigint | number): this {
    let n = BigInt.asUintN(64, BigInt(v));
    const bytes: number[] = [];
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) b |= 0x80;
      bytes.push(b);
    } while (n > 0n);
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, v: number): this {
    return v === 0 ? this : this.tag(field, 0).varint(v);
  }

  bytes(field: number, b: Buffer): this {
    return this.tag(field, 2).varint(b.length).raw(b);
  }

  string(field: number, s: string): this {
    return s === '' ? this : this.bytes(field, Buffer.from(s, 'utf8'));
  }

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** The success answer: full success when nothing was rejected and there is no message. */
export function exportResponse(signal: Signal, format: OtlpFormat, rejected: number, message: string): Buffer {
  const partial = rejected > 0 || message !== '';
  if (format === 'json') {
    if (!partial) return Buffer.from('{}');
    const field = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
    return Buffer.from(JSON.stringify({ partialSuccess: { [field]: String(rejected), errorMessage: message } }));
  }
  if (!partial) return Buffer.alloc(0);
  const ps = new Writer().int(1, rejected).string(2, message).finish();
  return new Writer().bytes(1, ps).finish();
}

/** google.rpc.Status, optionally with a RetryInfo detail (retry_delay in whole seconds). */
export function statusProto(code: number, message: string, retryAfterSeconds?: number): Buffer {
  const w = new Writer().int(1, code).string(2, message);
  if (retryAfterSeconds !== undefined) {
    const duration = new Writer().int(1, retryAfterSeconds).finish();
    const retryInfo = new Writer().bytes(1, duration).finish();
    const any = new Writer().string(1, 'type.googleapis.com/google.rpc.RetryInfo').bytes(2, retryInfo).finish();
    w.bytes(3, any);
  }
  return w.finish();
}

export function statusBody(format: OtlpFormat, code: number, message: string, retryAfterSeconds?: number): Buffer {
  if (format === 'json') {
    const details =
      retryAfterSeconds === undefined
        ? []
        : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }];
    return Buffer.from(JSON.stringify({ code, message, ...(details.length > 0 ? { details } : {}) }));
  }
  return statusProto(code, message, retryAfterSeconds);
}
