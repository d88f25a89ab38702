import type { Redactor } from '../redaction/redactor.js';
import type { DecodedBatch, Signal } from './decoded-batch.js';
import { decodeLogsJson, decodeTracesJson } from './otlp-json.decoder.js';
import { decodeLogsProto, decodeTracesProto } from './otlp-proto.decoder.js';

/** The two OTLP encodings; the HTTP answer uses the request's. */
export type OtlpFormat = 'protobuf' | 'json';

/** Decodes one export request body of either signal and encoding into rows. Throws OtlpDecodeError. */
export function decodeExport(signal: Signal, format: OtlpFormat, body: Buffer, redactor: Redactor): DecodedBatch {
  if (format === 'protobuf')
    return signal === 'traces' ? decodeTracesProto(body, redactor) : decodeLogsProto(body, redactor);
  const text = body.toString('utf8');
  return signal === 'traces' ? decodeTracesJson(text, redactor) : decodeLogsJson(text, redactor);
}
