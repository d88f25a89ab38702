/** The two OTLP signals Kaizen stores. */
export type Signal = 'traces' | 'logs';

/** A request that cannot be decoded (truncated or garbage protobuf, invalid JSON, wrong ids): HTTP 400. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/** What one export request decoded to: rows ready to insert, and the items left out. */
export interface DecodedBatch {
  readonly signal: Signal;
  /** JSONEachRow lines, each ending in a newline; '' when nothing is stored. */
  readonly rows: string;
  /** Items turned into rows. */
  readonly accepted: number;
  /** Items refused as invalid (reported as a partial success). */
  readonly rejected: number;
  /** Why items were refused, for the partial-success message ('' when none were). */
  readonly rejectedReason: string;
}
