import type { Logger } from 'pino';
import type { CollectorMetrics, Protocol } from '../metrics/collector-metrics.js';
import { OtlpDecodeError, type DecodedBatch, type Signal } from '../otlp/decoded-batch.js';
import { decodeExport, type OtlpFormat } from '../otlp/otlp-decoder.js';
import type { Redactor } from '../redaction/redactor.js';
import { OverloadError, type BatchWriter } from '../writer/batch-writer.js';

/** What an export request comes to, whichever transport carried it. */
export type ExportOutcome =
  | { readonly kind: 'ok'; readonly rejected: number; readonly message: string }
  | { readonly kind: 'bad_request'; readonly message: string }
  | {
      readonly kind: 'overload';
      readonly message: string;
      readonly unavailable: boolean;
      readonly retryAfterSeconds: number;
    };

/** Decode, count, hand to the writer, and wait until the rows are held: shared by OTLP/HTTP and OTLP/gRPC. */
export class ExportHandler {
  constructor(
    private readonly writer: BatchWriter,
    private readonly redactor: Redactor,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
  ) {}

  async export(signal: Signal, protocol: Protocol, format: OtlpFormat, body: Buffer): Promise<ExportOutcome> {
    let batch: DecodedBatch;
    try {
      batch = decodeExport(signal, format, body, this.redactor);
    } catch (e) {
      this.metrics.reject(signal, 'decode');
      if (!(e instanceof OtlpDecodeError)) this.log.warn({ err: e, signal, format }, 'unexpected decoder failure');
      const reason = e instanceof OtlpDecodeError ? e.message : `undecodable request (${(e as Error).message})`;
      return { kind: 'bad_request', message: `could not decode the ${format} ${signal} request: ${reason}` };
    }
    this.metrics.received.inc({ signal, protocol }, batch.accepted + batch.rejected);
    this.metrics.reject(signal, 'invalid', batch.rejected);
    try {
      await this.writer.submit(batch);
    } catch (e) {
      if (e instanceof OverloadError)
        return {
          kind: 'overload',
          message: e.message,
          unavailable: e.unavailable,
          retryAfterSeconds: e.retryAfterSeconds,
        };
      throw e;
    }
    return { kind: 'ok', rejected: batch.rejected, message: batch.rejectedReason };
  }
}
