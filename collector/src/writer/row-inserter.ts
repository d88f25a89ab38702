/**
 * One bulk insert of pre-serialised JSONEachRow rows through the store's client. The rows are
 * already text, so the body is streamed as is rather than parsed back into objects for
 * `storage.insert` (measured: the same rows insert faster this way, and no JSON is built twice).
 *
 * Settings go in the statement's own SETTINGS clause, not as client settings: the embedded engine's
 * adapter turns client settings into session-wide SETs, which would leak the deduplication token
 * into every later insert of the process.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ClickHouseQueryError, T, toClickHouseError, type Storage } from '@kaizen/clickhouse';
import type { Signal } from '../otlp/decoded-batch.js';

/** Where rows are written: the store, or nothing while it is being swapped or is down. */
export type StorageProvider = () => Storage | undefined;

const TOKEN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Raised when there is no open store to write to. */
class StorageUnavailableError extends ClickHouseQueryError {
  override readonly name = 'StorageUnavailableError';
  constructor() {
    super('ClickHouse is not available (the store is closed)', { kind: 'unavailable' });
  }
}

/**
 * True when ClickHouse refused the rows themselves (a value it cannot parse), so retrying the same
 * bytes can never succeed; false for anything that may pass later (network, closed store, limits).
 */
export function isDataError(e: unknown): boolean {
  if (!(e instanceof ClickHouseQueryError)) return false;
  return (
    e.kind === 'invalid_input' ||
    /^CANNOT_(PARSE|READ)|^INCORRECT_DATA$|^TYPE_MISMATCH$|^TOO_LARGE_STRING_SIZE$/.test(e.type)
  );
}

export async function insertRows(
  storage: Storage | undefined,
  signal: Signal,
  token: string,
  body: string,
): Promise<void> {
  if (storage === undefined || storage.isClosed) throw new StorageUnavailableError();
  if (!TOKEN.test(token)) throw new TypeError(`Not a safe deduplication token: ${JSON.stringify(token)}`);
  const table = `${storage.table(signal === 'traces' ? T.otelTraces : T.otelLogs).text}`;
  // A broken derived view must never cost the spans themselves (ClickHouse fails the whole insert by
  // default); the token makes a replayed batch a no-op in the table and in every view below it.
  const query =
    `INSERT INTO ${table} SETTINGS insert_deduplicate = 1, insert_deduplication_token = '${token}', ` +
    `deduplicate_blocks_in_dependent_materialized_views = 1, materialized_views_ignore_errors = 1, ` +
    // A batch may span many days (late or clock-skewed spans): slower, never refused.
    `throw_on_max_partitions_per_insert_block = 0, ` +
    `async_insert = 0, log_comment = 'kaizen-collector' FORMAT JSONEachRow`;
  const queryId = `kaizen-collector-${token}-${randomBytes(4).toString('hex')}`;
  try {
    const result = await storage.client.exec({ query, values: Readable.from([body]), query_id: queryId });
    result.stream.resume();
    await new Promise<void>((resolve, reject) => {
      result.stream.once('end', resolve);
      result.stream.once('close', resolve);
      result.stream.once('error', reject);
    });
  } catch (e) {
    throw toClickHouseError(e, queryId);
  }
}
